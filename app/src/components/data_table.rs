use leptos::prelude::*;

/// A table of text: the one table type every report and statement renders (tables are costly
/// in wasm per distinct view type, so they share this one). `head` is the header row, if any;
/// `total` marks the last row.
pub fn data_table(
    id: &'static str,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    total: bool,
) -> AnyView {
    linked_table(id, head, rows, total, Vec::new())
}

/// [`data_table`] whose rows may link somewhere: `links[i]` is where row `i`'s first cell
/// leads (a dispute row to its ticket).
pub fn linked_table(
    id: &'static str,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    total: bool,
    links: Vec<Option<String>>,
) -> AnyView {
    let last = rows.len().saturating_sub(1);
    view! {
        <div class="report">
            <table class="table" data-testid=id>
                {(!head.is_empty()).then(|| view! {
                    <thead><tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                })}
                <tbody>{rows.into_iter().enumerate().map(|(i, cells)| {
                    let href = links.get(i).cloned().flatten();
                    view! {
                        <tr class:table__total=total && i == last>
                            {cells.into_iter().enumerate().map(|(j, c)| match (j, href.clone()) {
                                (0, Some(h)) => view! { <td><a class="link" href=h>{c}</a></td> }.into_any(),
                                _ => view! { <td>{c}</td> }.into_any(),
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Parses CSV as the API writes it (RFC 4180: quoted fields, doubled quotes, CRLF), without
/// the byte-order mark.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
