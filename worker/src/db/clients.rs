//! Client organisations, plans, people as managers see them, the outbox and the audit log.

use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1PreparedStatement;

use pointdesk_api::plans::{PlanDto, PlanOptionDto};
use pointdesk_api::WirePoints;
use pointdesk_domain::plan::{Plan, Subscription};

use super::{corrupt, int, stored_points, text, Db};
use crate::error::AppResult;

#[derive(Clone, Debug, Deserialize)]
pub struct PlanRow {
    pub id: i64,
    pub name: String,
    pub base: i64,
    pub per_seat: i64,
    /// JSON array of {code, name, points}.
    pub options: String,
    pub increment_minutes: i64,
    pub minimum_charge: i64,
    pub rollover: String,
    pub rollover_cap: Option<i64>,
    pub overdraft: String,
    /// JSON array of service-level targets.
    #[serde(default = "no_targets")]
    pub sla: String,
    pub organizations: i64,
}

fn no_targets() -> String {
    "[]".into()
}

#[derive(Clone, Debug, Deserialize)]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub plan_id: Option<i64>,
    pub seats: i64,
    pub option_codes: String,
    pub threshold: i64,
    /// 1: the client set their own threshold; 0: a fifth of the allotment.
    pub threshold_custom: i64,
    pub alert_recipients: String,
    /// JSON array of the engineers on duty for it (empty: every engineer).
    pub on_duty: String,
    pub locale: String,
    pub active: i64,
    pub balance: i64,
    pub people: i64,
}

impl OrgRow {
    /// An organisation with nothing set: the shape a new one's allotment is computed from.
    pub fn blank() -> OrgRow {
        OrgRow {
            id: 0,
            name: String::new(),
            plan_id: None,
            seats: 0,
            option_codes: "[]".into(),
            threshold: 0,
            threshold_custom: 0,
            alert_recipients: "[]".into(),
            on_duty: "[]".into(),
            locale: "ru".into(),
            active: 1,
            balance: 0,
            people: 0,
        }
    }
}

impl PlanRow {
    /// The plan as the wire shows it; a stored value that does not read is a corrupt row.
    pub fn dto(&self) -> AppResult<PlanDto> {
        let what = || format!("plan {}", self.id);
        Ok(PlanDto {
            name: self.name.clone(),
            base: WirePoints(stored_points(self.base)?),
            per_seat: WirePoints(stored_points(self.per_seat)?),
            options: serde_json::from_str::<Vec<PlanOptionDto>>(&self.options)
                .map_err(|e| corrupt(&what(), &e))?,
            increment_minutes: u32::try_from(self.increment_minutes)
                .map_err(|e| corrupt(&what(), &e))?,
            minimum_charge: WirePoints(stored_points(self.minimum_charge)?),
            rollover: self.rollover.clone(),
            rollover_cap: self
                .rollover_cap
                .map(stored_points)
                .transpose()?
                .map(WirePoints),
            overdraft: self.overdraft.clone(),
            sla: serde_json::from_str(&self.sla).map_err(|e| corrupt(&what(), &e))?,
        })
    }

    /// The domain's plan: every stored plan was valid when written, so one that does not parse
    /// now is a corrupt row (a 500 naming it), never "no plan".
    pub fn plan(&self) -> AppResult<Plan> {
        pointdesk_api::organizations::parse_plan(self.dto()?)
            .map_err(|e| corrupt(&format!("plan {}", self.id), &format!("{e:?}")))
    }
}

impl OrgRow {
    /// The option codes the organisation subscribes to.
    pub fn option_codes(&self) -> AppResult<Vec<String>> {
        serde_json::from_str(&self.option_codes)
            .map_err(|e| corrupt(&format!("organisation {}", self.id), &e))
    }

    /// Its seats and options, as the plan's allotment reads them.
    pub fn subscription(&self) -> AppResult<Subscription> {
        Ok(Subscription {
            seats: u32::try_from(self.seats)
                .map_err(|e| corrupt(&format!("organisation {}", self.id), &e))?,
            option_codes: self.option_codes()?,
        })
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub locale: String,
    pub active: i64,
    pub invited: i64,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct MailRow {
    pub id: i64,
    pub to_email: String,
    pub locale: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// The ticket it is about (its thread), if any.
    pub ticket_id: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub object: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A plan's columns, ready to bind.
pub struct PlanColumns<'a> {
    pub name: &'a str,
    pub base: i64,
    pub per_seat: i64,
    pub options: &'a str,
    pub increment_minutes: i64,
    pub minimum_charge: i64,
    pub rollover: &'a str,
    pub rollover_cap: Option<i64>,
    pub overdraft: &'a str,
    /// JSON array of service-level targets.
    pub sla: &'a str,
}

impl PlanColumns<'_> {
    /// The columns in the order both the insert and the update bind them.
    fn values(&self) -> [JsValue; 10] {
        [
            text(self.name),
            int(self.base),
            int(self.per_seat),
            text(self.options),
            int(self.increment_minutes),
            int(self.minimum_charge),
            text(self.rollover),
            super::opt(self.rollover_cap),
            text(self.overdraft),
            text(self.sla),
        ]
    }
}

/// A person to invite.
pub struct NewPerson<'a> {
    pub provider: i64,
    pub org: Option<i64>,
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub locale: &'a str,
}

/// An organisation's changeable columns; `None` keeps the current value.
#[derive(Default)]
pub struct OrgColumns<'a> {
    pub name: Option<&'a str>,
    pub plan_id: Option<i64>,
    pub seats: Option<i64>,
    pub option_codes: Option<&'a str>,
    /// A threshold someone chose (it stays until they choose again).
    pub threshold: Option<i64>,
    /// A fifth of the allotment: the threshold unless someone chose one.
    pub default_threshold: Option<i64>,
    pub alert_recipients: Option<&'a str>,
    pub locale: Option<&'a str>,
    pub active: Option<bool>,
}

pub(super) const PLAN_COLUMNS: &str =
    "p.id, p.name, p.base, p.per_seat, p.options, p.increment_minutes, \
     p.minimum_charge, p.rollover, p.rollover_cap, p.overdraft, p.sla, \
     (SELECT count(*) FROM organisations o WHERE o.plan_id = p.id) AS organizations";

pub(super) const ORG_COLUMNS: &str =
    "o.id, o.name, o.plan_id, o.seats, o.option_codes, o.threshold, o.threshold_custom, \
     o.alert_recipients, o.locale, o.active, o.balance, \
     (SELECT json_group_array(d.user_id) FROM org_duty d WHERE d.org_id = o.id) AS on_duty, \
     (SELECT count(*) FROM users u WHERE u.org_id = o.id AND u.active = 1) AS people";

const PERSON_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.locale, u.active, \
     (u.password_hash IS NULL) AS invited, u.org_id, o.name AS org_name";

impl Db {
    pub async fn plans(&self, provider: i64) -> AppResult<Vec<PlanRow>> {
        let sql =
            format!("SELECT {PLAN_COLUMNS} FROM plans p WHERE p.provider_id = ?1 ORDER BY p.name");
        self.all(sql, &[int(provider)]).await
    }

    pub async fn plan(&self, provider: i64, id: i64) -> AppResult<Option<PlanRow>> {
        self.plan_where(provider, "p.id = ?2", int(id)).await
    }

    pub async fn plan_by_name(&self, provider: i64, name: &str) -> AppResult<Option<PlanRow>> {
        self.plan_where(provider, "p.name = ?2", text(name)).await
    }

    async fn plan_where(
        &self,
        provider: i64,
        condition: &str,
        arg: JsValue,
    ) -> AppResult<Option<PlanRow>> {
        let sql =
            format!("SELECT {PLAN_COLUMNS} FROM plans p WHERE p.provider_id = ?1 AND {condition}");
        self.first(sql, &[int(provider), arg]).await
    }

    pub fn insert_plan(
        &self,
        provider: i64,
        p: &PlanColumns<'_>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO plans (provider_id, name, base, per_seat, options, increment_minutes, \
                 minimum_charge, rollover, rollover_cap, overdraft, sla, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            &[int(provider)]
                .into_iter()
                .chain(p.values())
                .chain([int(now)])
                .collect::<Vec<_>>(),
        )
    }

    pub fn update_plan(
        &self,
        provider: i64,
        id: i64,
        p: &PlanColumns<'_>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE plans SET name = ?3, base = ?4, per_seat = ?5, options = ?6, \
                 increment_minutes = ?7, minimum_charge = ?8, rollover = ?9, rollover_cap = ?10, \
                 overdraft = ?11, sla = ?12, updated_at = ?13 WHERE provider_id = ?1 AND id = ?2",
            &[int(provider), int(id)]
                .into_iter()
                .chain(p.values())
                .chain([int(now)])
                .collect::<Vec<_>>(),
        )
    }

    pub async fn organizations(&self, provider: i64) -> AppResult<Vec<OrgRow>> {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.provider_id = ?1 ORDER BY o.name"
        );
        self.all(sql, &[int(provider)]).await
    }

    pub async fn organization(&self, provider: i64, id: i64) -> AppResult<Option<OrgRow>> {
        self.organization_where(provider, "o.id = ?2", int(id))
            .await
    }

    pub async fn organization_by_name(
        &self,
        provider: i64,
        name: &str,
    ) -> AppResult<Option<OrgRow>> {
        self.organization_where(provider, "o.name = ?2", text(name))
            .await
    }

    async fn organization_where(
        &self,
        provider: i64,
        condition: &str,
        arg: JsValue,
    ) -> AppResult<Option<OrgRow>> {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.provider_id = ?1 AND {condition}"
        );
        self.first(sql, &[int(provider), arg]).await
    }

    pub fn insert_organization(
        &self,
        provider: i64,
        o: &OrgColumns<'_>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO organisations (provider_id, name, plan_id, seats, option_codes, \
                 threshold, threshold_custom, locale, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ?9, 500), ?6 IS NOT NULL, \
                 coalesce(?7, 'ru'), ?8, ?8)",
            &[
                int(provider),
                super::opt_text(o.name),
                super::opt(o.plan_id),
                super::opt(o.seats),
                text(o.option_codes.unwrap_or("[]")),
                super::opt(o.threshold),
                super::opt_text(o.locale),
                int(now),
                super::opt(o.default_threshold),
            ],
        )
    }

    pub fn update_organization(
        &self,
        provider: i64,
        id: i64,
        o: &OrgColumns<'_>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE organisations SET name = coalesce(?3, name), \
                 plan_id = coalesce(?4, plan_id), seats = coalesce(?5, seats), \
                 option_codes = coalesce(?6, option_codes), \
                 threshold = CASE WHEN ?7 IS NOT NULL THEN ?7 \
                   WHEN threshold_custom = 0 THEN coalesce(?12, threshold) ELSE threshold END, \
                 threshold_custom = CASE WHEN ?7 IS NOT NULL THEN 1 ELSE threshold_custom END, \
                 alert_recipients = coalesce(?8, alert_recipients), locale = coalesce(?9, locale), \
                 active = coalesce(?10, active), updated_at = ?11 \
                 WHERE provider_id = ?1 AND id = ?2",
            &[
                int(provider),
                int(id),
                super::opt_text(o.name),
                super::opt(o.plan_id),
                super::opt(o.seats),
                super::opt_text(o.option_codes),
                super::opt(o.threshold),
                super::opt_text(o.alert_recipients),
                super::opt_text(o.locale),
                super::opt(o.active.map(i64::from)),
                int(now),
                super::opt(o.default_threshold),
            ],
        )
    }

    /// People of the provider, or of one organisation.
    pub async fn people(&self, provider: i64, org: Option<i64>) -> AppResult<Vec<PersonRow>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.org_id \
             WHERE u.provider_id = ?1 AND (?2 IS NULL OR u.org_id = ?2) \
             ORDER BY u.org_id IS NOT NULL, o.name, u.name"
        );
        self.all(sql, &[int(provider), super::opt(org)]).await
    }

    pub async fn person(&self, provider: i64, id: i64) -> AppResult<Option<PersonRow>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.org_id \
             WHERE u.provider_id = ?1 AND u.id = ?2"
        );
        self.first(sql, &[int(provider), int(id)]).await
    }

    pub async fn person_by_email(&self, email: &str) -> AppResult<Option<PersonRow>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.org_id \
             WHERE u.email = ?1"
        );
        self.first(sql, &[text(email)]).await
    }

    /// A new person without a password, to be invited.
    pub fn insert_person(&self, p: &NewPerson<'_>, now: i64) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO users (provider_id, org_id, email, name, role, locale, created_at, \
                 updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            &[
                int(p.provider),
                super::opt(p.org),
                text(p.email),
                text(p.name),
                text(p.role),
                text(p.locale),
                int(now),
            ],
        )
    }

    /// An invitation link for the person with this email (made in the same batch).
    pub fn insert_invitation_for(
        &self,
        token_hash: &str,
        email: &str,
        created_by: i64,
        now: i64,
        expires_at: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO email_tokens (token_hash, purpose, user_id, created_by, created_at, \
                 expires_at) SELECT ?1, 'invitation', id, ?3, ?4, ?5 FROM users WHERE email = ?2",
            &[
                text(token_hash),
                text(email),
                int(created_by),
                int(now),
                int(expires_at),
            ],
        )
    }

    pub fn deactivate_person(
        &self,
        provider: i64,
        id: i64,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE users SET active = 0, updated_at = ?3 WHERE provider_id = ?1 AND id = ?2",
            &[int(provider), int(id), int(now)],
        )
    }

    pub async fn outbox(&self, provider: i64, limit: i64) -> AppResult<Vec<MailRow>> {
        self.all(
            "SELECT id, to_email, locale, kind, subject, body, link, created_at, sent_at, \
                 ticket_id FROM outbox WHERE provider_id = ?1 ORDER BY id DESC LIMIT ?2",
            &[int(provider), int(limit)],
        )
        .await
    }

    /// The newest privileged actions first.
    pub async fn audit_log(&self, provider: i64, limit: i64) -> AppResult<Vec<AuditRow>> {
        self.all(
            "SELECT a.id, a.at, u.name AS actor, a.action, a.object, a.before, a.after \
                 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
                 WHERE a.provider_id = ?1 ORDER BY a.id DESC LIMIT ?2",
            &[int(provider), int(limit)],
        )
        .await
    }
}
