//! The authorization matrix over HTTP: every operation in the served OpenAPI document ×
//! {anonymous, client user, client admin, engineer, manager} × {own tenant, another
//! organisation of the same provider, another provider} → the expected status. An operation
//! the matrix does not list fails the test, so a new route cannot arrive unjudged.

use std::collections::BTreeMap;

use pointdesk_e2e::{d1, d1_rows, fixture_hash, get, people, Answer, Caller, FIXTURE_PASSWORD};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    ClientUser,
    ClientAdmin,
    Engineer,
    Manager,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::ClientUser,
    Who::ClientAdmin,
    Who::Engineer,
    Who::Manager,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Own,
    OtherOrg,
    OtherProvider,
}

/// Provider A (401) with organisations A1 (401) and A2 (402); provider B (403) with
/// organisation B1 (403). A plan in each provider.
struct World {
    org: BTreeMap<Target, i64>,
    plan: BTreeMap<Target, i64>,
}

fn id_of(sql: &str) -> i64 {
    d1_rows(sql)[0]["id"].as_i64().expect("an id")
}

fn world() -> World {
    people(401, "mxa");
    people(403, "mxb");
    d1("INSERT INTO organisations (id, provider_id, name) VALUES (402, 401, 'E2E org mxa-2')")
        .expect("A2");
    for (provider, name) in [(401, "Matrix A"), (403, "Matrix B")] {
        d1(&format!(
            "INSERT INTO plans (provider_id, name, base, per_seat, increment_minutes, rollover, overdraft) \
             VALUES ({provider}, '{name}', 1000, 100, 15, 'none', 'incidents_only')"
        ))
        .expect("a plan");
    }
    let plan = |name: &str| id_of(&format!("SELECT id FROM plans WHERE name = '{name}'"));
    World {
        org: BTreeMap::from([
            (Target::Own, 401),
            (Target::OtherOrg, 402),
            (Target::OtherProvider, 403),
        ]),
        plan: BTreeMap::from([
            (Target::Own, plan("Matrix A")),
            (Target::OtherOrg, plan("Matrix A")),
            (Target::OtherProvider, plan("Matrix B")),
        ]),
    }
}

/// A person to act on in an organisation (deactivation is for good: one per call).
fn victim(org: i64, n: usize) -> i64 {
    let provider = if org == 403 { 403 } else { 401 };
    let email = format!("victim{n}-{org}@matrix.e2e");
    d1(&format!(
        "INSERT INTO users (provider_id, org_id, email, name, role, locale, password_hash) \
         VALUES ({provider}, {org}, '{email}', 'Victim', 'client_user', 'en', '{}')",
        fixture_hash()
    ))
    .expect("a victim");
    id_of(&format!("SELECT id FROM users WHERE email = '{email}'"))
}

fn caller(who: Who) -> Caller {
    let email = match who {
        Who::Anonymous => return Caller::anonymous(),
        Who::ClientUser => "user@mxa.e2e",
        Who::ClientAdmin => "admin@mxa.e2e",
        Who::Engineer => "engineer@mxa.e2e",
        Who::Manager => "manager@mxa.e2e",
    };
    Caller::sign_in(email, FIXTURE_PASSWORD)
}

/// What each operation answers each caller for each target. Collections and creation have no
/// target beyond the caller's own tenant.
fn expected(op: &str, who: Who, target: Target) -> Option<u16> {
    use Target::*;
    use Who::*;
    let signed_in = |status: u16| if who == Anonymous { 401 } else { status };
    let by_role = |cu: u16, ca: u16, eng: u16, mgr: u16| match who {
        Anonymous => 401,
        ClientUser => cu,
        ClientAdmin => ca,
        Engineer => eng,
        Manager => mgr,
    };
    Some(match op {
        "getHealth" | "getOpenApi" | "previewCharge" => 200,
        "ping" => 204,
        "signIn" => 401,               // a wrong password, whoever asks
        "requestPasswordReset" => 202, // the same answer for anyone
        "resetPassword" | "acceptInvitation" => 410,
        "signOut" => signed_in(204),
        "getMe" | "updateMe" => signed_in(200),
        "changePassword" => signed_in(422), // a wrong current password
        "listOrganizations" | "listPlans" => by_role(403, 403, 200, 200),
        "createOrganization" => by_role(403, 403, 403, 201),
        "createPlan" => by_role(403, 403, 403, 201),
        "listUsers" => by_role(403, 200, 403, 200),
        "listOutbox" | "listAuditLog" => by_role(403, 403, 403, 200),
        "getOrganization" => match target {
            Own => by_role(200, 200, 200, 200),
            OtherOrg => by_role(404, 404, 200, 200),
            OtherProvider => by_role(404, 404, 404, 404),
        },
        "updateOrganization" => match target {
            Own => by_role(403, 200, 403, 200),
            OtherOrg => by_role(404, 404, 403, 200),
            OtherProvider => by_role(404, 404, 404, 404),
        },
        "updatePlan" => match target {
            Own | OtherOrg => by_role(403, 403, 403, 200),
            OtherProvider => by_role(403, 403, 403, 404),
        },
        "inviteUser" => match target {
            Own => by_role(403, 201, 403, 201),
            // Into another organisation: a client admin may not; a manager may; another
            // provider's organisation is unknown to everyone.
            OtherOrg => by_role(403, 422, 403, 201),
            OtherProvider => by_role(403, 422, 403, 422),
        },
        "deactivateUser" => match target {
            Own => by_role(403, 200, 403, 200),
            OtherOrg => by_role(404, 404, 403, 200),
            OtherProvider => by_role(404, 404, 404, 404),
        },
        _ => return None,
    })
}

struct Request {
    method: String,
    path: String,
    body: Option<String>,
}

fn request(w: &World, method: &str, template: &str, op: &str, target: Target, n: usize) -> Request {
    let id = match op {
        "getOrganization" | "updateOrganization" => w.org[&target],
        "updatePlan" => w.plan[&target],
        "deactivateUser" => victim(w.org[&target], n),
        _ => 0,
    };
    let unique = format!("{op}-{n}");
    let body = match op {
        "previewCharge" => {
            Some(r#"{"logged_minutes":12,"increment_minutes":15,"minimum_charge":"0"}"#.to_owned())
        }
        "signIn" => Some(r#"{"email":"user@mxa.e2e","password":"wrong password"}"#.to_owned()),
        "requestPasswordReset" => Some(r#"{"email":"nobody@mxa.e2e"}"#.to_owned()),
        "resetPassword" => Some(
            r#"{"token":"0123456789abcdef0123456789abcdef","password":"long enough phrase"}"#
                .to_owned(),
        ),
        "acceptInvitation" => Some(
            r#"{"token":"0123456789abcdef0123456789abcdef","password":"long enough phrase"}"#
                .to_owned(),
        ),
        "updateMe" => Some(r#"{"locale":"en"}"#.to_owned()),
        "changePassword" => Some(
            r#"{"current_password":"not it at all","new_password":"long enough phrase"}"#
                .to_owned(),
        ),
        "createOrganization" => Some(format!(
            r#"{{"name":"Matrix {unique}","plan_id":{},"seats":3}}"#,
            w.plan[&Target::Own]
        )),
        "updateOrganization" => Some(r#"{"threshold":"4.00"}"#.to_owned()),
        "createPlan" | "updatePlan" => Some(format!(
            r#"{{"name":"Plan {unique}","base":"10","per_seat":"1","increment_minutes":15,"minimum_charge":"0","rollover":"none","overdraft":"never"}}"#
        )),
        "inviteUser" => Some(format!(
            r#"{{"email":"{unique}@invited.e2e","name":"Invited","role":"client_user","organization_id":{}}}"#,
            w.org[&target]
        )),
        _ => None,
    };
    Request {
        method: method.to_ascii_uppercase(),
        path: template.replace("{id}", &id.to_string()),
        body,
    }
}

fn has_object(template: &str, op: &str) -> bool {
    template.contains("{id}") || op == "inviteUser"
}

#[test]
fn every_operation_answers_every_role_and_tenant_as_the_policy_says() {
    let w = world();
    let doc = get("/api/v1/openapi.json").json();
    let mut unjudged = Vec::new();
    let mut wrong = Vec::new();
    let mut cells = 0;
    let mut n = 0;
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("an item") {
            let op = operation["operationId"].as_str().expect("an id");
            let targets: &[Target] = if has_object(template, op) {
                &[Target::Own, Target::OtherOrg, Target::OtherProvider]
            } else {
                &[Target::Own]
            };
            for &target in targets {
                for who in EVERYONE {
                    let Some(want) = expected(op, who, target) else {
                        unjudged.push(op.to_owned());
                        continue;
                    };
                    n += 1;
                    let r = request(&w, method, template, op, target, n);
                    let mut c = caller(who);
                    let a: Answer = c.call(&r.method, &r.path, r.body.as_deref());
                    cells += 1;
                    if a.status != want {
                        wrong.push(format!(
                            "{op} {who:?} {target:?}: {} {} → {} (expected {want}) {}",
                            r.method, r.path, a.status, a.body
                        ));
                    }
                    // Every refusal is a problem document.
                    if a.status >= 400 {
                        assert_eq!(a.content_type, "application/problem+json", "{op}");
                    }
                }
            }
        }
    }
    unjudged.sort();
    unjudged.dedup();
    assert!(
        unjudged.is_empty(),
        "operations the matrix does not judge: {unjudged:?}"
    );
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    eprintln!("authorization matrix: {cells} cells, all as expected");
}
