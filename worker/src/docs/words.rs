//! An amount in Russian words, as invoices and acts state it («Двенадцать тысяч рублей 00
//! копеек»).

const UNITS_M: [&str; 10] = [
    "",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];
const UNITS_F: [&str; 3] = ["", "одна", "две"];
const TEENS: [&str; 10] = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const TENS: [&str; 10] = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
];
const HUNDREDS: [&str; 10] = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
];

/// The form of a noun after `n`: one (1, 21), few (2–4, 22–24), many (0, 5–20, 25–30).
pub fn plural(n: i64, [one, few, many]: [&str; 3]) -> &str {
    let (n10, n100) = (n % 10, n % 100);
    if (11..=14).contains(&n100) {
        many
    } else if n10 == 1 {
        one
    } else if (2..=4).contains(&n10) {
        few
    } else {
        many
    }
}

/// 0..=999 in words; `feminine` for thousands (одна тысяча, две тысячи).
fn triple(n: i64, feminine: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (
        (n / 100) as usize,
        (n / 10 % 10) as usize,
        (n % 10) as usize,
    );
    out.push(HUNDREDS[h]);
    if t == 1 {
        out.push(TEENS[u]);
        return;
    }
    out.push(TENS[t]);
    out.push(if feminine && u < 3 {
        UNITS_F[u]
    } else {
        UNITS_M[u]
    });
}

/// Whole rubles in words with the right noun forms, capitalised, and the kopecks in figures.
pub fn rubles(minor: i64) -> String {
    let (rub, kop) = (minor.abs() / 100, minor.abs() % 100);
    let mut words: Vec<&'static str> = Vec::new();
    if rub == 0 {
        words.push("ноль");
    }
    let groups: [(i64, bool, [&'static str; 3]); 4] = [
        (
            1_000_000_000,
            false,
            ["миллиард", "миллиарда", "миллиардов"],
        ),
        (1_000_000, false, ["миллион", "миллиона", "миллионов"]),
        (1_000, true, ["тысяча", "тысячи", "тысяч"]),
        (1, false, ["", "", ""]),
    ];
    for (scale, feminine, forms) in groups {
        let g = rub / scale % 1000;
        if g == 0 {
            continue;
        }
        triple(g, feminine, &mut words);
        words.push(plural(g, forms));
    }
    let mut text: String = words
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(first) = text.chars().next() {
        text = first.to_uppercase().chain(text.chars().skip(1)).collect();
    }
    format!(
        "{text} {} {kop:02} {}",
        plural(rub, ["рубль", "рубля", "рублей"]),
        plural(kop, ["копейка", "копейки", "копеек"])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_an_accountant_writes_them() {
        assert_eq!(rubles(1_200_000), "Двенадцать тысяч рублей 00 копеек");
        assert_eq!(rubles(100), "Один рубль 00 копеек");
        assert_eq!(rubles(2_101), "Двадцать один рубль 01 копейка");
        assert_eq!(
            rubles(122_154_302),
            "Один миллион двести двадцать одна тысяча пятьсот сорок три рубля 02 копейки"
        );
        assert_eq!(rubles(0), "Ноль рублей 00 копеек");
        assert_eq!(
            rubles(1_111_100),
            "Одиннадцать тысяч сто одиннадцать рублей 00 копеек"
        );
        assert_eq!(rubles(200_000_000), "Два миллиона рублей 00 копеек");
    }
}
