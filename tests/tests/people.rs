//! People and organisations over HTTP: invitations refuse bad input field by field, a
//! duplicate email is `taken`, an invitation's mail lands in the outbox in the person's
//! language, deactivation ends sessions, organisations and plans refuse what the domain does.

use pointdesk_e2e::{d1_rows, people, Caller, FIXTURE_PASSWORD};

fn codes(a: &pointdesk_e2e::Answer) -> Vec<(String, String)> {
    let p = a.problem(422, "/problems/validation");
    p.errors.into_iter().map(|e| (e.field, e.code)).collect()
}

fn pair(f: &str, c: &str) -> (String, String) {
    (f.to_owned(), c.to_owned())
}

#[test]
fn invitations_refuse_bad_input_field_by_field() {
    let org = people(601, "invite");
    let mut m = Caller::sign_in("manager@invite.e2e", FIXTURE_PASSWORD);
    let invite = |m: &mut Caller, body: serde_json::Value| {
        m.call("POST", "/api/v1/users", Some(&body.to_string()))
    };

    let a = invite(
        &mut m,
        serde_json::json!({"email":"user@invite.e2e","name":"Dup","role":"client_user","organization_id":org}),
    );
    assert_eq!(codes(&a), [pair("email", "taken")]);
    let a = invite(
        &mut m,
        serde_json::json!({"email":"","name":"","role":"owner"}),
    );
    assert_eq!(
        codes(&a),
        [
            pair("email", "required"),
            pair("name", "required"),
            pair("role", "malformed")
        ]
    );
    let a = invite(
        &mut m,
        serde_json::json!({"email":"x@invite.e2e","name":"n".repeat(101),"role":"engineer"}),
    );
    let p = a.problem(422, "/problems/validation");
    assert_eq!(
        (
            p.errors[0].field.as_str(),
            p.errors[0].code.as_str(),
            p.errors[0].limit
        ),
        ("name", "too_long", Some(100))
    );
    let a = invite(
        &mut m,
        serde_json::json!({"email":"x@invite.e2e","name":"X","role":"client_user"}),
    );
    assert_eq!(codes(&a), [pair("organization_id", "required")]);
    let a = invite(
        &mut m,
        serde_json::json!({"email":"x@invite.e2e","name":"X","role":"engineer","organization_id":org}),
    );
    assert_eq!(codes(&a), [pair("organization_id", "not_allowed")]);
    let a = invite(
        &mut m,
        serde_json::json!({"email":"x@invite.e2e","name":"X","role":7}),
    );
    let p = a.problem(400, "/problems/malformed-json");
    assert_eq!(p.field("role").map(|f| f.code.as_str()), Some("wrong_type"));

    // A good one: created without a password, the mail in Russian (the organisation's language
    // by default is `ru`), the audit log says who did it.
    let a = invite(
        &mut m,
        serde_json::json!({"email":"New.Person@Invite.e2e","name":"Новый","role":"client_admin","organization_id":org}),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let u: pointdesk_e2e::api::organizations::UserDto =
        serde_json::from_str(&a.body).expect("a user");
    assert_eq!(
        (u.email.as_str(), u.invited, u.active),
        ("new.person@invite.e2e", true, true)
    );
    let mail = d1_rows(
        "SELECT subject, locale, link FROM outbox WHERE to_email = 'new.person@invite.e2e'",
    );
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["locale"], "ru");
    assert!(mail[0]["subject"]
        .as_str()
        .is_some_and(|s| s.contains("приглашение")));
    let audit = d1_rows("SELECT action FROM audit_log WHERE object = 'user:new.person@invite.e2e'");
    assert_eq!(audit[0]["action"], "user.invite");
    // An invited person cannot sign in before accepting.
    Caller::anonymous()
        .call(
            "POST",
            "/api/v1/session",
            Some(r#"{"email":"new.person@invite.e2e","password":"anything at all"}"#),
        )
        .problem(401, "/problems/invalid-credentials");
}

#[test]
fn a_client_admin_invites_only_into_their_own_organisation_and_as_a_client() {
    let org = people(602, "ca");
    people(603, "other");
    let mut admin = Caller::sign_in("admin@ca.e2e", FIXTURE_PASSWORD);
    let a = admin.call(
        "POST",
        "/api/v1/users",
        Some(r#"{"email":"boss@ca.e2e","name":"Boss","role":"manager"}"#),
    );
    assert_eq!(codes(&a), [pair("role", "not_allowed")]);
    let a = admin.call(
        "POST",
        "/api/v1/users",
        Some(r#"{"email":"mate@ca.e2e","name":"Mate","role":"client_user"}"#),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let u: pointdesk_e2e::api::organizations::UserDto =
        serde_json::from_str(&a.body).expect("a user");
    assert_eq!(u.organization.map(|o| o.id), Some(org));
    // Their list is their organisation only.
    let list = admin.get("/api/v1/users").json();
    let emails: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    assert!(emails.iter().all(|e| e.ends_with("@ca.e2e")), "{emails:?}");
    assert!(
        !emails.contains(&"manager@ca.e2e"),
        "provider staff are not listed"
    );
}

#[test]
fn organisations_and_plans_are_checked_and_audited() {
    people(604, "orgs");
    let mut m = Caller::sign_in("manager@orgs.e2e", FIXTURE_PASSWORD);
    let plan = r#"{"name":"Orgs plan","base":"10","per_seat":"0.5","increment_minutes":15,"minimum_charge":"0","rollover":"capped","rollover_cap":"5","overdraft":"never","options":[{"code":"backup","name":"Backup","points":"2"}]}"#;
    let a = m.call("POST", "/api/v1/plans", Some(plan));
    assert_eq!(a.status, 201, "{}", a.body);
    let plan_id = a.json()["id"].as_i64().expect("an id");
    let a = m.call("POST", "/api/v1/plans", Some(plan));
    assert_eq!(codes(&a), [pair("name", "taken")]);
    let a = m.call(
        "POST",
        "/api/v1/plans",
        Some(r#"{"name":"Bad","base":"-1","per_seat":"0","increment_minutes":0,"minimum_charge":"0","rollover":"full","rollover_cap":"1","overdraft":"sometimes"}"#),
    );
    assert_eq!(
        codes(&a),
        [
            pair("base", "out_of_range"),
            pair("increment_minutes", "out_of_range"),
            pair("rollover_cap", "not_allowed"),
            pair("overdraft", "malformed")
        ]
    );

    let a = m.call(
        "POST",
        "/api/v1/organizations",
        Some(&format!(
            r#"{{"name":"Orgs client","plan_id":{plan_id},"seats":8,"option_codes":["backup"]}}"#
        )),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let o = a.json();
    // 10 + 8 × 0.5 + 2 = 16.00, with its breakdown.
    assert_eq!(o["allotment"]["total"], "16.00");
    assert_eq!(o["allotment"]["lines"][1]["kind"], "seats");
    let id = o["id"].as_i64().expect("an id");
    let a = m.call(
        "POST",
        "/api/v1/organizations",
        Some(&format!(
            r#"{{"name":"Orgs client","plan_id":{plan_id},"seats":8,"option_codes":["nope"]}}"#
        )),
    );
    assert_eq!(codes(&a), [pair("option_codes[0]", "unknown")]);
    let a = m.call(
        "PATCH",
        &format!("/api/v1/organizations/{id}"),
        Some(r#"{"seats":10}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["allotment"]["total"], "17.00");
    let a = m.call(
        "PATCH",
        &format!("/api/v1/organizations/{id}"),
        Some(r#"{"seats":100001,"threshold":"-1"}"#),
    );
    assert_eq!(
        codes(&a),
        [
            pair("seats", "out_of_range"),
            pair("threshold", "out_of_range")
        ]
    );
    let audit = d1_rows(&format!(
        "SELECT before, after FROM audit_log WHERE action = 'organization.update' AND object = 'organization:{id}'"
    ));
    assert_eq!(audit.len(), 1);
    assert!(audit[0]["before"]
        .as_str()
        .is_some_and(|b| b.contains("\"seats\":8")));
    assert!(audit[0]["after"]
        .as_str()
        .is_some_and(|a| a.contains("\"seats\":10")));
}
