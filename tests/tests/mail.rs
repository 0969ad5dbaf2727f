//! Mail in and files on tickets, over HTTP on the real local runtime: mail goes through
//! miniflare's local email endpoint (`POST /cdn-cgi/local/email`) to the worker's email handler,
//! files through the API into the local R2 bucket. The mails are the fixtures in
//! `tests/fixtures/mail` (Outlook HTML, a Gmail reply with its quoted history, Apple Mail with
//! an inline image, a CP1251 mail, an Exchange auto-reply, a stranger's), with the sender,
//! subject and ids filled in.

use pointdesk_e2e::{d1_rows, desk, ok, post, request, sign, Caller};
use serde_json::{json, Value};

/// The PNG the Outlook and Apple fixtures carry.
fn fixture_png() -> Vec<u8> {
    let raw = fixture("outlook-html.eml");
    let text = String::from_utf8_lossy(&raw);
    let start = text.find("iVBOR").expect("a base64 PNG in the fixture");
    let b64: String = text[start..]
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .collect();
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .expect("the fixture's PNG")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/mail")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Delivers fixture `name` from `from` with the placeholders filled; miniflare's structured
/// answer (`outcome`, `replies`).
fn deliver(name: &str, from: &str, subject: &str, id: &str, in_reply_to: &str) -> Value {
    let raw = fixture(name);
    // Only the ASCII placeholders are replaced: a CP1251 body stays as it is.
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    let fills = [
        ("{FROM}", from),
        ("{TO}", "support@pointdesk.local"),
        ("{SUBJECT}", subject),
        ("{ID}", id),
        ("{IN_REPLY_TO}", in_reply_to),
    ];
    'outer: while i < raw.len() {
        for (k, v) in fills {
            if raw[i..].starts_with(k.as_bytes()) {
                out.extend_from_slice(v.as_bytes());
                i += k.len();
                continue 'outer;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    let a = request(
        "POST",
        &format!(
            "/cdn-cgi/local/email?format=json&from={}&to=support%40pointdesk.local",
            from.replace('@', "%40")
        ),
        &[("content-type", "message/rfc822")],
        Some(&out),
    );
    assert_eq!(a.status, 200, "{name}: {}", a.body);
    a.json()
}

fn outcome(message_id: &str) -> (String, Option<i64>) {
    let rows = d1_rows(&format!(
        "SELECT outcome, ticket_id FROM inbound_mail WHERE message_id = '{message_id}'"
    ));
    let row = rows
        .first()
        .unwrap_or_else(|| panic!("{message_id} was recorded"));
    (
        row["outcome"].as_str().unwrap_or_default().to_owned(),
        row["ticket_id"].as_i64(),
    )
}

fn count(sql: &str) -> i64 {
    d1_rows(sql)[0]["n"].as_i64().unwrap_or(-1)
}

#[test]
fn mail_opens_tickets_threads_replies_and_creates_nothing_for_machines_or_strangers() {
    let org = desk(2401, "mailin", 1000);
    let mut user = sign("user", "mailin");
    let mut manager = sign("manager", "mailin");

    // Outlook, HTML only, with a screenshot: a new incident with its file.
    deliver(
        "outlook-html.eml",
        "user@mailin.e2e",
        "Принтер на 3 этаже",
        "ol-2401",
        "",
    );
    let (what, ticket) = outcome("<ol-2401@EXCH01.acme.local>");
    assert_eq!(what, "opened");
    let ticket = ticket.expect("a ticket");
    let t = ok(user.get(&format!("/api/v1/tickets/{ticket}")), 200);
    assert_eq!(t["title"], "Принтер на 3 этаже");
    assert_eq!(t["kind"], "incident");
    assert_eq!(t["organization"]["id"], org);
    let description = t["description"].as_str().unwrap_or_default();
    assert!(
        description.starts_with("Не печатает принтер на 3 этаже"),
        "{description}"
    );
    assert!(!description.contains("&nbsp;"), "{description}");
    let files = ok(
        user.get(&format!("/api/v1/tickets/{ticket}/attachments")),
        200,
    );
    assert_eq!(files["items"].as_array().map(Vec::len), Some(1), "{files}");
    let file = &files["items"][0];
    assert_eq!(file["name"], "screenshot.png");
    assert_eq!(file["image"], true);
    assert_eq!(file["via"], "mail");
    let got = user.get(file["url"].as_str().unwrap_or_default());
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("image/png"));
    assert!(got
        .header("content-disposition")
        .unwrap_or_default()
        .starts_with("inline"));
    assert_eq!(got.bytes, fixture_png());

    // The acknowledgement the requester got carries the tag and a Message-ID of the ticket.
    let outbox = ok(manager.get("/api/v1/outbox"), 200);
    let ack = outbox["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|m| m["to"] == "user@mailin.e2e" && m["kind"] == "ticket_received")
        })
        .cloned()
        .expect("an acknowledgement");
    let number = t["number"].as_i64().unwrap_or_default();
    assert!(
        ack["subject"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("[#{number}]")),
        "{ack}"
    );
    let ack_id = ack["message_id"].as_str().unwrap_or_default().to_owned();
    assert!(ack_id.starts_with(&format!("<t{ticket}.e")), "{ack_id}");

    // A Gmail reply to it, threaded only by In-Reply-To (its subject has no tag): a public
    // comment with the quoted history gone.
    deliver(
        "gmail-reply.eml",
        "user@mailin.e2e",
        "Pointdesk: заявка принята",
        "gm-2401",
        &ack_id,
    );
    assert_eq!(
        outcome("<CAFgm-2401=mail.gmail.com>"),
        ("commented".to_owned(), Some(ticket))
    );
    // Apple Mail, threaded by the tag in the subject, with an inline photo.
    deliver(
        "apple-inline-image.eml",
        "user@mailin.e2e",
        &format!("Re: [#{number}] фото"),
        "ap-2401",
        "",
    );
    assert_eq!(
        outcome("<ap-2401@acme.example>"),
        ("commented".to_owned(), Some(ticket))
    );
    let comments = d1_rows(&format!(
        "SELECT id, body, via, internal FROM comments WHERE ticket_id = {ticket} ORDER BY id"
    ));
    let bodies: Vec<&str> = comments.iter().filter_map(|c| c["body"].as_str()).collect();
    assert_eq!(bodies, ["Перезагрузили, всё работает.", "Вот фото ошибки:"]);
    assert!(comments
        .iter()
        .all(|c| c["via"] == "mail" && c["internal"] == 0));
    let files = ok(
        user.get(&format!("/api/v1/tickets/{ticket}/attachments")),
        200,
    );
    assert_eq!(files["items"][1]["name"], "IMG_0042.png");
    assert_eq!(files["items"][1]["comment_id"], comments[1]["id"]);

    // A CP1251 mail: a second ticket, its Cyrillic read right.
    deliver("cp1251.eml", "user@mailin.e2e", "", "cp-2401", "");
    let (what, second) = outcome("<cp-2401@bat.acme.local>");
    assert_eq!(what, "opened");
    let t2 = ok(
        user.get(&format!("/api/v1/tickets/{}", second.unwrap_or_default())),
        200,
    );
    assert_eq!(t2["title"], "1С не запускается");
    assert!(t2["description"]
        .as_str()
        .unwrap_or_default()
        .contains("«Ошибка СУБД»"));

    // An out-of-office reply naming the ticket: nothing at all, and no answer.
    let before = count(&format!(
        "SELECT count(*) AS n FROM comments WHERE ticket_id = {ticket}"
    ));
    let tickets = count(&format!(
        "SELECT count(*) AS n FROM tickets WHERE org_id = {org}"
    ));
    let r = deliver(
        "auto-reply.eml",
        "user@mailin.e2e",
        &format!("[#{number}]"),
        "ar-2401",
        "",
    );
    assert_eq!(r["replies"].as_array().map(Vec::len), Some(0), "{r}");
    assert_eq!(outcome("<ar-2401@EXCH01.acme.local>").0, "automatic");
    assert_eq!(
        count(&format!(
            "SELECT count(*) AS n FROM comments WHERE ticket_id = {ticket}"
        )),
        before
    );
    // The same Outlook mail again (a redelivery): handled once.
    deliver(
        "outlook-html.eml",
        "user@mailin.e2e",
        "Принтер на 3 этаже",
        "ol-2401",
        "",
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) AS n FROM tickets WHERE org_id = {org}"
        )),
        tickets
    );

    // A stranger: one polite answer, then no more that day; nothing created.
    let first = deliver(
        "stranger.eml",
        "someone@elsewhere.e2e",
        "Help",
        "st-2401a",
        "",
    );
    let replies = first["replies"].as_array().cloned().unwrap_or_default();
    assert_eq!(replies.len(), 1, "{first}");
    let raw = replies[0]["raw"].as_str().unwrap_or_default();
    assert!(
        raw.contains("In-Reply-To: <st-2401a@elsewhere.example>"),
        "{raw}"
    );
    let again = deliver(
        "stranger.eml",
        "someone@elsewhere.e2e",
        "Help!",
        "st-2401b",
        "",
    );
    assert_eq!(
        again["replies"].as_array().map(Vec::len),
        Some(0),
        "{again}"
    );
    assert_eq!(outcome("<st-2401b@elsewhere.example>").0, "unknown_sender");
    assert_eq!(
        count("SELECT count(*) AS n FROM tickets WHERE title IN ('Help', 'Help!')"),
        0
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) AS n FROM tickets WHERE org_id = {org}"
        )),
        tickets
    );
    drop(post(&mut manager, "/api/v1/session", json!({})));
}

/// A JPEG's first bytes (what the camera gives), then filler.
fn jpeg() -> Vec<u8> {
    let mut b = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    b.extend(std::iter::repeat_n(7u8, 3000));
    b
}

#[test]
fn files_are_typed_by_content_kept_from_clients_when_internal_and_deleted_by_their_owner() {
    let org = desk(2402, "files", 1000);
    let mut user = sign("user", "files");
    let mut engineer = sign("engineer", "files");
    let t = ok(
        post(
            &mut user,
            "/api/v1/tickets",
            json!({"kind": "incident", "title": "Сервер гудит"}),
        ),
        201,
    );
    let id = t["id"].as_i64().unwrap_or_default();
    let base = format!("/api/v1/tickets/{id}/attachments");

    // The engineer's photo from the phone: a path in the name is cut, the type read.
    let photo = ok(
        engineer.upload(&format!("{base}?name=..%2F..%2Fserver.jpg"), &jpeg()),
        201,
    );
    assert_eq!(photo["name"], "server.jpg");
    assert_eq!(photo["content_type"], "image/jpeg");
    assert_eq!(photo["image"], true);
    assert_eq!(photo["size"], 3011);
    // A page posing as a picture is served as text, to download, and never sniffed.
    let fake = ok(
        user.upload(
            &format!("{base}?name=cat.png"),
            b"<html><script>alert(1)</script>",
        ),
        201,
    );
    assert_eq!(fake["content_type"], "text/plain; charset=utf-8");
    assert_eq!(fake["image"], false);
    let got = user.get(fake["url"].as_str().unwrap_or_default());
    assert_eq!(got.status, 200);
    assert!(got
        .header("content-disposition")
        .unwrap_or_default()
        .starts_with("attachment;"));
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    assert!(got
        .header("content-security-policy")
        .unwrap_or_default()
        .contains("sandbox"));
    // An internal note's file: staff only.
    let note = ok(
        engineer.upload(&format!("{base}?name=log.txt&internal=true"), b"disk 98%"),
        201,
    );
    assert_eq!(note["internal"], true);
    let seen = ok(user.get(&base), 200);
    let names: Vec<&str> = seen["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["server.jpg", "cat.png"]);
    assert_eq!(
        user.get(note["url"].as_str().unwrap_or_default()).status,
        404
    );
    assert_eq!(
        ok(engineer.get(&base), 200)["items"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let refused = user.upload(&format!("{base}?name=x.txt&internal=true"), b"x");
    assert_eq!(refused.status, 403, "{}", refused.body);

    // Bad requests say which field: no name, an empty file, an unknown comment.
    let a = user.upload(&base, b"x");
    assert_eq!(
        a.problem(422, "/problems/validation").errors[0].field,
        "name"
    );
    let a = user.upload(&format!("{base}?name=empty.txt"), b"");
    let p = a.problem(422, "/problems/validation");
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("file", "empty")
    );
    let a = user.upload(&format!("{base}?name=a.txt&comment=999999"), b"x");
    assert_eq!(
        a.problem(422, "/problems/validation").errors[0].code,
        "unknown"
    );

    // Deleting: the client may not delete the engineer's photo; the engineer may.
    let photo_url = photo["url"].as_str().unwrap_or_default().to_owned();
    assert_eq!(user.call("DELETE", &photo_url, None).status, 403);
    assert_eq!(engineer.call("DELETE", &photo_url, None).status, 204);
    assert_eq!(user.get(&photo_url).status, 404);
    assert_eq!(
        user.call("DELETE", fake["url"].as_str().unwrap_or_default(), None)
            .status,
        204
    );
    // Another organisation's client never reaches the file.
    let mut stranger = Caller::sign_in("admin@mailin.e2e", pointdesk_e2e::FIXTURE_PASSWORD);
    assert_eq!(stranger.get(&base).status, 404);
    let _ = org;
}
