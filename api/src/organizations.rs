//! Client organisations, plans, people, the outbox and the audit log on the wire.

use pointdesk_domain::account::{Email, Locale, PersonName, Reject};
use pointdesk_domain::plan::Plan;
use pointdesk_domain::policy::Role;
use pointdesk_domain::Points;
use serde::{Deserialize, Serialize};

use crate::accounts::{parse_role, Fields, OrgRefDto};
use crate::ledger::AllotmentDto;
use crate::plans::PlanDto;
use crate::problem::FieldError;
use crate::WirePoints;

/// A plan with its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PlanRowWire")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanRowDto {
    pub id: i64,
    #[serde(flatten)]
    pub plan: PlanDto,
    /// How many client organisations are on it.
    pub organizations: i64,
}

/// [`PlanRowDto`] as it is read: the same flat object, spelled out. `#[serde(flatten)]` reads
/// by buffering every value first (serde's `Content`), which cost the app several KB of wasm.
#[derive(Deserialize)]
struct PlanRowWire {
    id: i64,
    organizations: i64,
    name: String,
    base: WirePoints,
    per_seat: WirePoints,
    #[serde(default)]
    options: Vec<crate::plans::PlanOptionDto>,
    increment_minutes: u32,
    minimum_charge: WirePoints,
    rollover: String,
    #[serde(default)]
    rollover_cap: Option<WirePoints>,
    overdraft: String,
    #[serde(default)]
    sla: Vec<crate::sla::SlaTargetDto>,
}

impl From<PlanRowWire> for PlanRowDto {
    fn from(w: PlanRowWire) -> Self {
        PlanRowDto {
            id: w.id,
            organizations: w.organizations,
            plan: PlanDto {
                name: w.name,
                base: w.base,
                per_seat: w.per_seat,
                options: w.options,
                increment_minutes: w.increment_minutes,
                minimum_charge: w.minimum_charge,
                rollover: w.rollover,
                rollover_cap: w.rollover_cap,
                overdraft: w.overdraft,
                sla: w.sla,
            },
        }
    }
}

/// Checks a plan field by field (the domain's `Plan::validate` says what, this says where).
pub fn parse_plan(d: PlanDto) -> Result<Plan, Vec<FieldError>> {
    let mut f = Fields::default();
    f.take("name", PersonName::parse(&d.name));
    let non_negative = |f: &mut Fields, field: &str, p: WirePoints| {
        if p.0.is_negative() {
            f.push(FieldError::new(field, "out_of_range"));
        }
    };
    non_negative(&mut f, "base", d.base);
    non_negative(&mut f, "per_seat", d.per_seat);
    non_negative(&mut f, "minimum_charge", d.minimum_charge);
    if !(1..=1440).contains(&d.increment_minutes) {
        f.push(FieldError::new("increment_minutes", "out_of_range"));
    }
    match (d.rollover.as_str(), d.rollover_cap) {
        ("none" | "full", None) => {}
        ("capped", Some(cap)) => non_negative(&mut f, "rollover_cap", cap),
        ("capped", None) => f.refuse("rollover_cap", Reject::Required),
        ("none" | "full", Some(_)) => f.push(FieldError::new("rollover_cap", "not_allowed")),
        _ => f.refuse("rollover", Reject::Malformed),
    }
    if !matches!(d.overdraft.as_str(), "never" | "incidents_only" | "always") {
        f.refuse("overdraft", Reject::Malformed);
    }
    for (i, o) in d.options.iter().enumerate() {
        let code = o.code.trim();
        if code.is_empty() {
            f.refuse(&format!("options[{i}].code"), Reject::Required);
        } else if code.len() > 40
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            f.refuse(&format!("options[{i}].code"), Reject::Malformed);
        } else if d.options[..i].iter().any(|p| p.code.trim() == code) {
            f.push(FieldError::new(format!("options[{i}].code"), "taken"));
        }
        f.take(&format!("options[{i}].name"), PersonName::parse(&o.name));
        non_negative(&mut f, &format!("options[{i}].points"), o.points);
    }
    if let Err(errors) = crate::sla::check_targets(&d.sla) {
        errors.into_iter().for_each(|e| f.push(e));
    }
    f.finish(|| Some(()))?;
    Plan::try_from(d).map_err(|_| vec![FieldError::new("plan", "malformed")])
}

/// A client organisation in the managers' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationSummaryDto {
    pub id: i64,
    pub name: String,
    pub plan: Option<OrgRefDto>,
    pub seats: u32,
    pub balance: WirePoints,
    pub threshold: WirePoints,
    /// This period's allotment under the plan (zero without a plan).
    pub allotment: WirePoints,
    pub active: bool,
    pub people: i64,
}

/// One client organisation with what it subscribes to and the allotment that yields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationDto {
    pub id: i64,
    pub name: String,
    pub plan: Option<PlanRowDto>,
    pub seats: u32,
    pub option_codes: Vec<String>,
    pub threshold: WirePoints,
    /// People who receive low-balance alerts.
    pub alert_recipients: Vec<i64>,
    /// The engineers on duty for this client: they hear of its new tickets (none chosen:
    /// every engineer).
    pub on_duty: Vec<i64>,
    /// The client set their own low-balance threshold (otherwise a fifth of the allotment).
    pub threshold_custom: bool,
    /// `en` or `ru`: the language of mail to the organisation as a whole.
    pub locale: String,
    pub active: bool,
    pub balance: WirePoints,
    /// The domain's allotment for the plan, seats and options, with its breakdown.
    pub allotment: Option<AllotmentDto>,
}

/// `createOrganization`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrganizationRequest {
    pub name: String,
    pub plan_id: i64,
    pub seats: u32,
    #[serde(default)]
    pub option_codes: Vec<String>,
    #[serde(default)]
    pub threshold: Option<WirePoints>,
    #[serde(default)]
    pub locale: Option<String>,
}

/// `updateOrganization`: only what is sent changes. Client admins may send only `threshold`
/// and `alert_recipients`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOrganizationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option_codes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<WirePoints>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_recipients: Option<Vec<i64>>,
    /// Managers: the engineers on duty for this client (empty: every engineer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duty: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

impl UpdateOrganizationRequest {
    /// Does it touch anything beyond what a client admin may change?
    pub fn beyond_threshold(&self) -> bool {
        self.name.is_some()
            || self.plan_id.is_some()
            || self.seats.is_some()
            || self.option_codes.is_some()
            || self.locale.is_some()
            || self.active.is_some()
            || self.on_duty.is_some()
    }
}

/// The checked parts of an organisation request.
pub struct OrganizationChange {
    pub name: Option<PersonName>,
    pub seats: Option<u32>,
    pub threshold: Option<Points>,
    pub locale: Option<Locale>,
}

pub const MAX_SEATS: u32 = 100_000;

pub fn check_organization(
    name: Option<&str>,
    seats: Option<u32>,
    threshold: Option<WirePoints>,
    locale: Option<&str>,
) -> Result<OrganizationChange, Vec<FieldError>> {
    let mut f = Fields::default();
    let name = name.map(|n| f.take("name", PersonName::parse(n)));
    if seats.is_some_and(|s| s > MAX_SEATS) {
        f.push(FieldError {
            field: "seats".into(),
            code: "out_of_range".into(),
            limit: Some(u64::from(MAX_SEATS)),
        });
    }
    if threshold.is_some_and(|t| t.0.is_negative()) {
        f.push(FieldError::new("threshold", "out_of_range"));
    }
    let locale = locale.map(|l| f.take("locale", Locale::parse(l)));
    f.finish(|| {
        Some(OrganizationChange {
            name: name.flatten(),
            seats,
            threshold: threshold.map(|t| t.0),
            locale: locale.flatten(),
        })
    })
}

/// A person as managers and client admins see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDto {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[serde(with = "crate::wire_enums::role")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: pointdesk_domain::policy::Role,
    pub locale: String,
    pub active: bool,
    /// Invited and not yet accepted (no password yet).
    pub invited: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrgRefDto>,
}

/// `inviteUser`: managers invite provider staff and client people (give `organization_id`);
/// client admins invite into their own organisation (the organisation comes from the session).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteUserRequest {
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

pub struct Invite {
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub locale: Option<Locale>,
}

impl TryFrom<InviteUserRequest> for Invite {
    type Error = Vec<FieldError>;
    fn try_from(r: InviteUserRequest) -> Result<Self, Self::Error> {
        let mut f = Fields::default();
        let email = f.take("email", Email::parse(&r.email));
        let name = f.take("name", PersonName::parse(&r.name));
        let role = f.take("role", parse_role(&r.role));
        if let Some(role) = role {
            match (role.is_client(), r.organization_id) {
                (true, None) | (false, Some(_)) => {}
                (true, Some(id)) if id < 1 => f.refuse("organization_id", Reject::Malformed),
                _ => {}
            }
        }
        let locale = r
            .locale
            .as_deref()
            .map(|l| f.take("locale", Locale::parse(l)));
        f.finish(|| {
            Some(Invite {
                email: email?,
                name: name?,
                role: role?,
                organization_id: r.organization_id,
                locale: locale.flatten(),
            })
        })
    }
}

/// A mail in the outbox (managers read it; locally it stands in for delivery).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailDto {
    pub id: i64,
    pub to: String,
    pub locale: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
    /// The `Message-ID` it is sent with; a reply naming it in `In-Reply-To` or `References`
    /// threads onto its ticket.
    pub message_id: String,
}

/// One privileged action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryDto {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub action: String,
    pub object: String,
    /// JSON text of the object before and after, where the action changed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

macro_rules! list {
    ($name:ident, $item:ty) => {
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name {
            pub items: Vec<$item>,
        }
    };
}

list!(OrganizationListDto, OrganizationSummaryDto);
list!(PlanListDto, PlanRowDto);
list!(UserListDto, UserDto);
list!(OutboxDto, MailDto);
list!(AuditLogDto, AuditEntryDto);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plans::PlanOptionDto;

    #[test]
    fn a_plan_row_is_one_flat_object_both_ways() {
        let mut p = plan();
        p.options = vec![PlanOptionDto {
            code: "mon".into(),
            name: "Monitoring".into(),
            points: WirePoints(Points::from_hundredths(500).unwrap_or(Points::ZERO)),
        }];
        p.rollover = "capped".into();
        p.rollover_cap = Some(WirePoints(
            Points::from_hundredths(300).unwrap_or(Points::ZERO),
        ));
        let row = PlanRowDto {
            id: 7,
            plan: p,
            organizations: 2,
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["id"], 7);
        assert_eq!(json["name"], "Standard");
        assert_eq!(json["rollover_cap"], "3.00");
        assert!(json.get("plan").is_none(), "flat: {json}");
        let back: PlanRowDto = serde_json::from_value(json).unwrap();
        assert_eq!(back, row);
    }

    fn plan() -> PlanDto {
        PlanDto {
            name: "Standard".into(),
            base: WirePoints(Points::from_hundredths(800).unwrap_or(Points::ZERO)),
            per_seat: WirePoints(Points::from_hundredths(100).unwrap_or(Points::ZERO)),
            options: vec![],
            increment_minutes: 15,
            minimum_charge: WirePoints::ZERO,
            rollover: "none".into(),
            rollover_cap: None,
            overdraft: "incidents_only".into(),
            sla: vec![],
        }
    }

    #[test]
    fn plans_are_checked_field_by_field() {
        assert!(parse_plan(plan()).is_ok());
        let mut bad = plan();
        bad.name = " ".into();
        bad.increment_minutes = 0;
        bad.rollover = "capped".into();
        bad.options = vec![
            PlanOptionDto {
                code: "mon".into(),
                name: "Monitoring".into(),
                points: WirePoints::ZERO,
            },
            PlanOptionDto {
                code: "mon".into(),
                name: "Again".into(),
                points: WirePoints::ZERO,
            },
        ];
        let fields: Vec<(String, String)> = parse_plan(bad)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        let want = [
            ("name", "required"),
            ("increment_minutes", "out_of_range"),
            ("rollover_cap", "required"),
            ("options[1].code", "taken"),
        ];
        assert_eq!(
            fields,
            want.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec()
        );
    }

    #[test]
    fn invitations_need_a_known_role() {
        let r = InviteUserRequest {
            email: "x@y.test".into(),
            name: "X".into(),
            role: "owner".into(),
            organization_id: None,
            locale: None,
        };
        let e = Invite::try_from(r).err().unwrap_or_default();
        assert_eq!(e[0].field, "role");
    }
}
