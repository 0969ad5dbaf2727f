//! State-machine property test: random sequences of business commands (and retries, stale and
//! conflicting replays of them) drive the domain (decisions committed to the in-memory
//! [`Ledger`]) and a deliberately simple reference model of the money, credit blocks included;
//! after every step the two must agree and the invariants of SPEC.md and issue 6 must hold.
//!
//! `PROPTEST_CASES=10000 cargo test -p pointdesk-domain --test ledger_model` runs it longer.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed case

use std::collections::{BTreeMap, BTreeSet};

use pointdesk_domain::credit::BlockSource;
use pointdesk_domain::ids::{AdjustmentId, DisputeId, OrgId, PaymentId, QuoteId, TicketId, UserId};
use pointdesk_domain::incident::{Cause, Incident, WorkEntry};
use pointdesk_domain::ledger::{
    Account, Decision, Entry, EntryKind, EntryRef, Ledger, Outcome, Trace,
};
use pointdesk_domain::plan::{Overdraft, Plan, Rollover};
use pointdesk_domain::service_request::{Catalogue, QuoteStatus, ServiceRequest};
use pointdesk_domain::time::{Period, Timestamp};
use pointdesk_domain::{DomainError, Points};
use proptest::prelude::*;

const ORG: OrgId = OrgId::new(1);
const MANAGER: UserId = UserId::new(100);
const ENGINEER: UserId = UserId::new(7);
const WINDOW_DAYS: u32 = 14;

#[derive(Clone, Debug)]
enum Cmd {
    Grant,
    /// A grant for a later period (the next, or the one after), posted ahead of time.
    GrantAhead {
        ahead: u8,
    },
    Purchase {
        payment: u8,
        hundredths: i64,
    },
    OpenIncident,
    LogWork {
        i: usize,
        minutes: u32,
    },
    Resolve {
        i: usize,
    },
    Classify {
        i: usize,
        client_caused: bool,
    },
    Dispute {
        i: usize,
    },
    DecideDispute {
        i: usize,
        upheld: bool,
    },
    OpenRequest {
        quoted: bool,
    },
    Quote {
        r: usize,
        hundredths: i64,
        valid_days: i64,
    },
    /// An engineer revises the approved quote to this percentage of it.
    Revise {
        r: usize,
        percent: i64,
    },
    Approve {
        r: usize,
    },
    Decline {
        r: usize,
    },
    Complete {
        r: usize,
    },
    Cancel {
        r: usize,
    },
    Adjust {
        id: u8,
        hundredths: i64,
    },
    /// An adjustment that corrects an earlier one: a debit for a credit, a credit for a debit
    /// (and the same sign, which is refused).
    Correct {
        id: u8,
        of: u8,
    },
    Rollover,
    /// The scheduler was down: catch up over this many ended periods.
    CatchUp {
        periods: u8,
    },
    AdvanceDays {
        days: i64,
    },
    RetryLast,
    /// A purchase decided on the state before the last change, committed now.
    Stale,
    /// The gateway refunds `percent` more of a purchase's price (of 1 000.00), in all at most
    /// all of it.
    RefundPurchase {
        payment: u8,
        percent: i64,
    },
}

fn cmd() -> impl Strategy<Value = Cmd> {
    // An index picks among the tickets open so far (modulo their number).
    let idx = 0usize..64;
    prop_oneof![
        1 => Just(Cmd::Grant),
        1 => (1u8..3).prop_map(|ahead| Cmd::GrantAhead { ahead }),
        2 => (0u8..6, 1i64..2_500).prop_map(|(payment, hundredths)| Cmd::Purchase { payment, hundredths }),
        4 => Just(Cmd::OpenIncident),
        5 => (idx.clone(), 1u32..480).prop_map(|(i, minutes)| Cmd::LogWork { i, minutes }),
        5 => idx.clone().prop_map(|i| Cmd::Resolve { i }),
        6 => (idx.clone(), prop::bool::weighted(0.8)).prop_map(|(i, client_caused)| Cmd::Classify { i, client_caused }),
        4 => idx.clone().prop_map(|i| Cmd::Dispute { i }),
        4 => (idx.clone(), any::<bool>()).prop_map(|(i, upheld)| Cmd::DecideDispute { i, upheld }),
        3 => prop::bool::weighted(0.8).prop_map(|quoted| Cmd::OpenRequest { quoted }),
        7 => (idx.clone(), 1i64..2_500, 3i64..15).prop_map(|(r, hundredths, valid_days)| Cmd::Quote { r, hundredths, valid_days }),
        6 => (idx.clone(), 10i64..190).prop_map(|(r, percent)| Cmd::Revise { r, percent }),
        7 => idx.clone().prop_map(|r| Cmd::Approve { r }),
        1 => idx.clone().prop_map(|r| Cmd::Decline { r }),
        3 => idx.clone().prop_map(|r| Cmd::Complete { r }),
        3 => idx.clone().prop_map(|r| Cmd::Cancel { r }),
        1 => (0u8..4, -1_500i64..1_500).prop_map(|(id, hundredths)| Cmd::Adjust { id, hundredths }),
        1 => (4u8..8, 0u8..4).prop_map(|(id, of)| Cmd::Correct { id, of }),
        1 => Just(Cmd::Rollover),
        1 => (1u8..4).prop_map(|periods| Cmd::CatchUp { periods }),
        2 => (1i64..8).prop_map(|days| Cmd::AdvanceDays { days }),
        3 => Just(Cmd::RetryLast),
        1 => Just(Cmd::Stale),
        2 => (0u8..6, 1i64..120).prop_map(|(payment, percent)| Cmd::RefundPurchase { payment, percent }),
    ]
}

fn plan_strategy() -> impl Strategy<Value = Plan> {
    (
        prop_oneof![
            Just(Overdraft::Never),
            Just(Overdraft::IncidentsOnly),
            Just(Overdraft::Always)
        ],
        prop_oneof![
            Just(Rollover::None),
            (0i64..1_000).prop_map(|c| Rollover::Capped(pts(c))),
            Just(Rollover::Full)
        ],
        prop_oneof![Just(1u32), Just(6), Just(15), Just(60)],
        0i64..100,
        0i64..2_000,
    )
        .prop_map(
            |(overdraft, rollover, increment_minutes, minimum, base)| Plan {
                name: "Plan".into(),
                base: pts(base),
                per_seat: Points::ZERO,
                options: vec![],
                increment_minutes,
                minimum_charge: pts(minimum),
                rollover,
                overdraft,
            },
        )
}

fn pts(h: i64) -> Points {
    Points::from_hundredths(h).unwrap()
}

/// The system under test: the domain's state machines and its ledger.
struct System {
    ledger: Ledger,
    incidents: Vec<Incident>,
    requests: Vec<ServiceRequest>,
    now: Timestamp,
    next_id: i64,
    last_decision: Option<Decision>,
    /// The account as it was before the last applied decision.
    previous: Option<Account>,
}

/// Points per block: (block id, hundredths).
type Draws = Vec<(i64, i64)>;
/// A block as both sides are compared: (id, may expire, expires, amount, remaining, reserved,
/// expired).
type BlockRow = (i64, bool, Option<Period>, i64, i64, i64, bool);

/// The reference model: the money computed the simplest way — blocks in a vector, greedy
/// loops, no diffs, no versions.
#[derive(Clone, Debug)]
struct MBlock {
    id: i64,
    may_expire: bool,
    expires: Option<Period>,
    amount: i64,
    remaining: i64,
    reserved: i64,
    expired: bool,
}

impl MBlock {
    fn free(&self) -> i64 {
        if self.expired {
            0
        } else {
            self.remaining - self.reserved
        }
    }
}

#[derive(Clone, Debug)]
struct Model {
    period: Period,
    blocks: Vec<MBlock>,
    debt: i64,
    outstanding: BTreeMap<i64, i64>,
    /// quote → (points, reservations (block, points))
    holds: BTreeMap<i64, (i64, Draws)>,
    /// key → fingerprint of the request first seen with it
    seen: BTreeMap<String, String>,
    /// ticket → its charges: (amount, draws (block, points))
    charges: BTreeMap<i64, Vec<(i64, Draws)>>,
    charged_quotes: BTreeMap<i64, i64>,
    /// payment → (its block, its points, refunded so far in minor units of 100 000)
    purchases: BTreeMap<i64, (i64, i64, i64)>,
    /// payment → refunded points still owed (overdraft `never`)
    refunds_owed: BTreeMap<i64, i64>,
    incident_charges: BTreeMap<i64, i64>,
}

impl Model {
    fn new(period: Period) -> Model {
        Model {
            period,
            blocks: vec![],
            debt: 0,
            outstanding: BTreeMap::new(),
            holds: BTreeMap::new(),
            seen: BTreeMap::new(),
            charges: BTreeMap::new(),
            charged_quotes: BTreeMap::new(),
            purchases: BTreeMap::new(),
            refunds_owed: BTreeMap::new(),
            incident_charges: BTreeMap::new(),
        }
    }
    fn balance(&self) -> i64 {
        self.blocks.iter().map(|b| b.remaining).sum::<i64>() - self.debt
    }
    fn available(&self) -> i64 {
        self.balance() - self.holds.values().map(|h| h.0).sum::<i64>()
    }
    fn free(&self) -> i64 {
        self.blocks.iter().map(MBlock::free).sum()
    }
    fn block(&mut self, id: i64) -> &mut MBlock {
        &mut self.blocks[usize::try_from(id - 1).unwrap()]
    }
    fn add(&mut self, may_expire: bool, expires: Option<Period>, amount: i64) -> i64 {
        let id = self.blocks.len() as i64 + 1;
        self.blocks.push(MBlock {
            id,
            may_expire,
            expires,
            amount,
            remaining: amount,
            reserved: 0,
            expired: false,
        });
        id
    }
    /// Soonest expiry first, never-expiring last, then oldest; `first` ahead of all.
    fn order(&self, first: Option<i64>) -> Vec<i64> {
        let mut ids: Vec<&MBlock> = self.blocks.iter().filter(|b| b.free() > 0).collect();
        ids.sort_by_key(|b| (Some(b.id) != first, b.expires.is_none(), b.expires, b.id));
        ids.into_iter().map(|b| b.id).collect()
    }
    fn draw(&mut self, want: i64, first: Option<i64>) -> Draws {
        self.take(want, first, false)
    }
    fn reserve(&mut self, want: i64) -> Draws {
        self.take(want, None, true)
    }
    fn take(&mut self, mut want: i64, first: Option<i64>, reserve: bool) -> Draws {
        let mut out = vec![];
        for id in self.order(first) {
            let take = self.block(id).free().min(want);
            if take == 0 {
                break;
            }
            if reserve {
                self.block(id).reserved += take;
            } else {
                self.block(id).remaining -= take;
            }
            want -= take;
            out.push((id, take));
        }
        assert_eq!(want, 0, "model took more than is free");
        out
    }
    fn unreserve(&mut self, reserved: &[(i64, i64)]) {
        for &(id, p) in reserved {
            self.block(id).reserved -= p;
            if self.block(id).expired {
                self.block(id).remaining -= p;
                let period = self.period;
                self.add(true, Some(period), p);
            }
        }
    }
    fn give_back(&mut self, drawn: &[(i64, i64)], amount: i64) {
        let mut left = amount;
        for &(id, p) in drawn {
            let back = p.min(left);
            if back == 0 {
                break;
            }
            left -= back;
            if self.block(id).expired {
                let period = self.period;
                self.add(true, Some(period), back);
            } else {
                self.block(id).remaining += back;
            }
        }
        let cancels = left.min(self.debt);
        self.debt -= cancels;
        left -= cancels;
        if left > 0 {
            self.add(false, None, left);
        }
    }
    fn settle(&mut self) {
        let repay = self.debt.min(self.free());
        if repay > 0 {
            self.draw(repay, None);
            self.debt -= repay;
        }
        for (t, owed) in self.outstanding.clone() {
            let pay = owed.min(self.free());
            if pay == 0 {
                break;
            }
            let draws = self.draw(pay, None);
            self.charges.entry(t).or_default().push((pay, draws));
            if owed > pay {
                self.outstanding.insert(t, owed - pay);
            } else {
                self.outstanding.remove(&t);
            }
        }
        for (p, owed) in self.refunds_owed.clone() {
            let pay = owed.min(self.free());
            if pay == 0 {
                break;
            }
            self.draw(pay, None);
            if owed > pay {
                self.refunds_owed.insert(p, owed - pay);
            } else {
                self.refunds_owed.remove(&p);
            }
        }
    }
    /// A purchase's refund, the simple way: the proportional share (rounded down) less what was
    /// taken or is owed already; from its own block's free points, then other free points, then
    /// debt (or owed, under `never`).
    fn refund_purchase(&mut self, payment: i64, refunded: i64, never: bool, taken: i64) {
        let (block, points, _) = self.purchases[&payment];
        let share = points * refunded / 100_000;
        let owed_before = self.refunds_owed.get(&payment).copied().unwrap_or(0);
        let take = (share - taken - owed_before).max(0);
        if take == 0 {
            return;
        }
        let own = self.block(block).free().min(take);
        self.block(block).remaining -= own;
        let rest = take - own;
        let fits = rest.min(self.free());
        self.draw(fits, None);
        if never {
            if rest > fits {
                *self.refunds_owed.entry(payment).or_default() += rest - fits;
            }
        } else {
            self.debt += rest - fits;
        }
    }
    /// Records a key; true when it is new (the command takes effect).
    fn first_time(&mut self, key: String, fingerprint: String) -> bool {
        match self.seen.get(&key) {
            Some(_) => false,
            None => {
                self.seen.insert(key, fingerprint);
                true
            }
        }
    }
    fn grant(&mut self, period: Period, base: i64) {
        if self.first_time(format!("grant:{period}"), String::new()) && base > 0 {
            self.add(true, Some(period), base);
            self.settle();
        }
    }
    /// Returns (expired, carried).
    fn expire(&mut self, rollover: Rollover) -> (i64, i64) {
        let ending = self.period;
        let mut unused = 0;
        for b in self.blocks.iter_mut() {
            if b.expires == Some(ending) && !b.expired {
                unused += b.free();
                b.remaining = b.reserved;
                b.expired = true;
            }
        }
        let carried = match rollover {
            Rollover::None => 0,
            Rollover::Capped(c) => c.hundredths().min(unused),
            Rollover::Full => unused,
        };
        if carried > 0 {
            self.add(true, Some(ending.next()), carried);
        }
        self.period = ending.next();
        self.seen.insert(format!("expiry:{ending}"), String::new());
        (unused - carried, carried)
    }
    /// The scheduler's catch-up up to `target`, the simple way: every period from the open one
    /// on gets its allotment once (whatever was posted ahead), every ended one expires.
    /// Returns (expired, carried, grants) summed.
    fn catch_up(&mut self, target: Period, rollover: Rollover, base: i64) -> (i64, i64, u32) {
        let (mut expired, mut carried, mut grants) = (0, 0, 0);
        loop {
            if !self.seen.contains_key(&format!("grant:{}", self.period)) {
                grants += 1;
                self.grant(self.period, base);
            }
            if self.period >= target {
                return (expired, carried, grants);
            }
            let (e, c) = self.expire(rollover);
            expired += e;
            carried += c;
        }
    }
    /// Draw order of a block: soonest expiry first, never-expiring last, then oldest.
    fn rank(&self, id: i64) -> (bool, Option<Period>, i64) {
        let b = &self.blocks[usize::try_from(id - 1).unwrap()];
        (b.expires.is_none(), b.expires, b.id)
    }
    /// Logged minutes → hundredths of a point, the way a person would compute it.
    fn charge_for(plan: &Plan, minutes: u32) -> i64 {
        if minutes == 0 {
            return 0;
        }
        let inc = i64::from(plan.increment_minutes);
        let billed = (i64::from(minutes) + inc - 1) / inc * inc;
        let by_time = (billed * 100 + 59) / 60;
        by_time.max(plan.minimum_charge.hundredths())
    }
}

impl System {
    fn new(plan: Plan, period: Period) -> System {
        System {
            ledger: Ledger::new(Account::new(ORG, plan.overdraft, period)),
            incidents: vec![],
            requests: vec![],
            now: Timestamp::from_unix(1_795_737_600),
            next_id: 1,
            last_decision: None,
            previous: None,
        }
    }
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }
    fn commit(&mut self, d: &Decision) -> Result<Outcome, DomainError> {
        let before = self.ledger.account().clone();
        let out = self.ledger.commit(d, self.now)?;
        if out == Outcome::Applied {
            self.previous = Some(before);
        }
        self.last_decision = Some(d.clone());
        Ok(out)
    }
}

/// Points a command's ticket index at a ticket: one time in four at any ticket (so illegal
/// moves are tried too), otherwise at one for which the command makes sense.
fn retarget(c: Cmd, sys: &System) -> Cmd {
    use pointdesk_domain::incident::{Dispute, IncidentStatus};
    use pointdesk_domain::service_request::RequestStatus;
    let pick = |i: usize, all: usize, ok: &dyn Fn(usize) -> bool| -> usize {
        let eligible: Vec<usize> = (0..all).filter(|&k| ok(k)).collect();
        if i.is_multiple_of(4) || eligible.is_empty() {
            (i / 4) % all.max(1)
        } else {
            eligible[i % eligible.len()]
        }
    };
    let (inc, req) = (&sys.incidents, &sys.requests);
    let (ni, nr) = (inc.len(), req.len());
    match c {
        Cmd::LogWork { i, minutes } => Cmd::LogWork {
            i: pick(i, ni, &|k| inc[k].cause.is_none()),
            minutes,
        },
        Cmd::Resolve { i } => Cmd::Resolve {
            i: pick(i, ni, &|k| inc[k].status == IncidentStatus::InProgress),
        },
        Cmd::Classify { i, client_caused } => Cmd::Classify {
            i: pick(i, ni, &|k| {
                inc[k].status == IncidentStatus::Resolved && inc[k].cause.is_none()
            }),
            client_caused,
        },
        Cmd::Dispute { i } => Cmd::Dispute {
            i: pick(i, ni, &|k| {
                inc[k].charge.is_some() && inc[k].dispute.is_none()
            }),
        },
        Cmd::DecideDispute { i, upheld } => Cmd::DecideDispute {
            i: pick(i, ni, &|k| {
                matches!(inc[k].dispute, Some(Dispute::Open { .. }))
            }),
            upheld,
        },
        Cmd::Quote {
            r,
            hundredths,
            valid_days,
        } => Cmd::Quote {
            r: pick(r, nr, &|k| {
                req[k].catalogue == Catalogue::Quoted && !req[k].status.is_final()
            }),
            hundredths,
            valid_days,
        },
        Cmd::Revise { r, percent } => Cmd::Revise {
            r: pick(r, nr, &|k| {
                req[k].approved_quote().is_some() && req[k].open_quote().is_none()
            }),
            percent,
        },
        Cmd::Approve { r } => Cmd::Approve {
            r: pick(r, nr, &|k| req[k].open_quote().is_some()),
        },
        Cmd::Decline { r } => Cmd::Decline {
            r: pick(r, nr, &|k| req[k].open_quote().is_some()),
        },
        Cmd::Complete { r } => Cmd::Complete {
            r: pick(r, nr, &|k| req[k].status == RequestStatus::InProgress),
        },
        Cmd::Cancel { r } => Cmd::Cancel {
            r: pick(r, nr, &|k| !req[k].status.is_final()),
        },
        other => other,
    }
}

/// How often the interesting things happened, so a generator that never reaches them fails.
#[derive(Default, Debug)]
struct Stats {
    incident_charges: u32,
    outstanding_charges: u32,
    approvals: u32,
    revisions_approved: u32,
    revisions_down_while_overdrawn: u32,
    refused_for_points: u32,
    completions_charged: u32,
    releases: u32,
    releases_into_expired_blocks: u32,
    refunds: u32,
    expiries: u32,
    expiries_with_holds_open: u32,
    rollovers_carried: u32,
    purchases_during_holds: u32,
    repayments: u32,
    settlements: u32,
    catch_ups_over_two_or_more: u32,
    stale_refused: u32,
    conflicts: u32,
    duplicates: u32,
    adjustments: u32,
    corrections: u32,
    credit_corrections: u32,
    same_sign_refused: u32,
    grants_two_ahead: u32,
    catch_ups_past_a_grant_ahead: u32,
    revisions_down_over_two_blocks: u32,
    purchase_refunds: u32,
    purchase_refunds_owing: u32,
    partial_purchase_refunds: u32,
}

/// The SUT's blocks in the model's shape, to compare.
fn sut_blocks(a: &Account) -> Vec<BlockRow> {
    a.blocks
        .values()
        .map(|b| {
            (
                b.id.get(),
                b.source.may_expire(),
                b.expires,
                b.amount.hundredths(),
                b.remaining.hundredths(),
                b.reserved.hundredths(),
                b.expired,
            )
        })
        .collect()
}

fn model_blocks(m: &Model) -> Vec<BlockRow> {
    m.blocks
        .iter()
        .map(|b| {
            (
                b.id,
                b.may_expire,
                b.expires,
                b.amount,
                b.remaining,
                b.reserved,
                b.expired,
            )
        })
        .collect()
}

fn run(plan: Plan, cmds: Vec<Cmd>, stats: &mut Stats) -> Result<(), TestCaseError> {
    let start = Period::new(2026, 11).unwrap();
    let mut sys = System::new(plan.clone(), start);
    let mut model = Model::new(start);
    let base = plan.base.hundredths();
    let no_quote_overdraft = !plan.overdraft.quotes_may_overdraw();

    for (step, c) in cmds.into_iter().enumerate() {
        let before: Vec<Entry> = sys.ledger.entries().to_vec();
        let model_available_before = model.available();
        let acct = sys.ledger.account().clone();
        let c = retarget(c, &sys);
        let ctx = format!("step {step}: {c:?}");
        match c.clone() {
            Cmd::Grant => {
                let d = acct.grant(acct.period, plan.base).unwrap();
                sys.commit(&d).unwrap();
                model.grant(model.period, base);
            }
            Cmd::GrantAhead { ahead } => {
                let p = (0..ahead).fold(acct.period, |p, _| p.next());
                stats.grants_two_ahead += u32::from(ahead == 2);
                let d = acct.grant(p, plan.base).unwrap();
                sys.commit(&d).unwrap();
                model.grant(p, base);
            }
            Cmd::Purchase {
                payment,
                hundredths,
            } => {
                let d = acct
                    .purchase(PaymentId::new(i64::from(payment)), pts(hundredths), "pack")
                    .unwrap();
                let fingerprint = hundredths.to_string();
                if commit_keyed(
                    &mut sys,
                    &mut model,
                    stats,
                    format!("purchase:{payment}"),
                    fingerprint,
                    &d,
                )? {
                    let block = model.add(false, None, hundredths);
                    model
                        .purchases
                        .insert(i64::from(payment), (block, hundredths, 0));
                    model.settle();
                    stats.purchases_during_holds += u32::from(!model.holds.is_empty());
                    // A purchase raises the balance by exactly its points.
                    let e = sys.ledger.entries()[before.len()].clone();
                    prop_assert_eq!(
                        (e.kind, e.amount.hundredths()),
                        (EntryKind::Purchase, hundredths)
                    );
                    prop_assert_eq!(
                        e.balance_after.hundredths() - acct.balance().unwrap().hundredths(),
                        hundredths
                    );
                }
            }
            Cmd::OpenIncident => {
                let id = sys.id();
                sys.incidents
                    .push(Incident::new(TicketId::new(id)).start().unwrap());
            }
            Cmd::LogWork { i, minutes } => {
                let entry = WorkEntry {
                    engineer: ENGINEER,
                    minutes,
                    note: "work".into(),
                    on: sys.now.date(0),
                };
                if let Some(Ok(next)) = sys.incidents.get(i).map(|inc| inc.log_work(entry)) {
                    sys.incidents[i] = next;
                }
            }
            Cmd::Resolve { i } => {
                if let Some(Ok(next)) = sys.incidents.get(i).map(Incident::resolve) {
                    sys.incidents[i] = next;
                }
            }
            Cmd::Classify { i, client_caused } => {
                let Some(inc) = sys.incidents.get(i).cloned() else {
                    continue;
                };
                let cause = if client_caused {
                    Cause::ClientCaused
                } else {
                    Cause::Standard
                };
                let minutes = inc.logged_minutes().unwrap();
                if let Ok((next, decision)) = inc.classify(cause, &plan, &acct, None, sys.now) {
                    let expected = if client_caused {
                        Model::charge_for(&plan, minutes)
                    } else {
                        0
                    };
                    prop_assert_eq!(decision.is_some(), expected > 0);
                    if let Some(d) = decision {
                        prop_assert_eq!(sys.commit(&d).unwrap(), Outcome::Applied);
                        stats.incident_charges += 1;
                        let t = inc.id.get();
                        let fits = expected.min(model.free());
                        let draws = model.draw(fits, None);
                        if plan.overdraft.incidents_may_overdraw() {
                            model.debt += expected - fits;
                            model.charges.entry(t).or_default().push((expected, draws));
                        } else {
                            if fits > 0 {
                                model.charges.entry(t).or_default().push((fits, draws));
                            }
                            if expected > fits {
                                stats.outstanding_charges += 1;
                                *model.outstanding.entry(t).or_default() += expected - fits;
                            }
                        }
                        model.incident_charges.insert(t, expected);
                    }
                    sys.incidents[i] = next;
                }
            }
            Cmd::Dispute { i } => {
                let id = sys.id();
                if let Some(Ok(next)) = sys.incidents.get(i).map(|inc| {
                    inc.open_dispute(DisputeId::new(id), "not our fault", sys.now, WINDOW_DAYS)
                }) {
                    sys.incidents[i] = next;
                }
            }
            Cmd::DecideDispute { i, upheld } => {
                let Some(inc) = sys.incidents.get(i).cloned() else {
                    continue;
                };
                let charges: Vec<Trace> = sys.ledger.charges_of(inc.id);
                if let Ok((next, decision)) =
                    inc.decide_dispute(upheld, "checked the logs", &acct, &charges, Some(MANAGER))
                {
                    if let Some(d) = decision {
                        prop_assert!(upheld);
                        sys.commit(&d).unwrap();
                        let t = inc.id.get();
                        model.outstanding.remove(&t);
                        let paid: Vec<(i64, Draws)> = model.charges.remove(&t).unwrap_or_default();
                        let total: i64 = paid.iter().map(|c| c.0).sum();
                        if total > 0 {
                            stats.refunds += 1;
                            // Cancel what is owed, then a block that never expires.
                            model.give_back(&[], total);
                            model.settle();
                        }
                        prop_assert_eq!(
                            total + acct.outstanding.get(&inc.id).map_or(0, |p| p.hundredths()),
                            model.incident_charges[&t]
                        );
                    }
                    sys.incidents[i] = next;
                }
            }
            Cmd::OpenRequest { quoted } => {
                let id = sys.id();
                let sr = ServiceRequest::new(
                    TicketId::new(id),
                    if quoted {
                        Catalogue::Quoted
                    } else {
                        Catalogue::Standard
                    },
                );
                sys.requests
                    .push(if quoted { sr } else { sr.start().unwrap() });
            }
            Cmd::Quote {
                r,
                hundredths,
                valid_days,
            } => {
                let id = sys.id();
                let (now, expires) = (sys.now, sys.now.plus_days(valid_days));
                if let Some(Ok(next)) = sys
                    .requests
                    .get(r)
                    .map(|sr| sr.quote(QuoteId::new(id), pts(hundredths), "scope", now, expires))
                {
                    sys.requests[r] = next;
                }
            }
            Cmd::Revise { r, percent } => {
                let id = sys.id();
                let now = sys.now;
                if let Some(Ok(next)) = sys.requests.get(r).and_then(|sr| {
                    let old = sr.approved_quote()?.points.hundredths();
                    let points = pts((old * percent / 100).max(1));
                    Some(sr.quote(QuoteId::new(id), points, "revised", now, now.plus_days(7)))
                }) {
                    sys.requests[r] = next;
                }
            }
            Cmd::Approve { r } => {
                let Some(sr) = sys.requests.get(r).cloned() else {
                    continue;
                };
                let open = sr.open_quote().cloned();
                let replaced = sr.approved_quote().map(|q| q.id.get());
                match sr.approve(
                    open.as_ref().map_or(QuoteId::new(0), |q| q.id),
                    &acct,
                    sys.now,
                ) {
                    Ok((next, d)) => {
                        let q = open.unwrap();
                        let points = q.points.hundredths();
                        let (old_points, old_res) = replaced
                            .map(|old| model.holds[&old].clone())
                            .unwrap_or((0, vec![]));
                        let increase = (points - old_points).max(0);
                        if no_quote_overdraft {
                            prop_assert!(increase == 0 || model_available_before >= increase);
                        }
                        prop_assert_eq!(sys.commit(&d).unwrap(), Outcome::Applied);
                        stats.approvals += 1;
                        if let Some(old) = replaced {
                            stats.revisions_approved += 1;
                            if points < old_points && model_available_before < 0 {
                                stats.revisions_down_while_overdrawn += 1;
                            }
                            model.holds.remove(&old);
                        }
                        // Keep the reservations that expire soonest up to the new amount.
                        let (mut keep, mut reserved, mut back) = (points, vec![], vec![]);
                        let mut old_res = old_res;
                        old_res.sort_by_key(|r| model.rank(r.0));
                        if points < old_points && old_res.len() > 1 {
                            stats.revisions_down_over_two_blocks += 1;
                        }
                        for (b, p) in old_res {
                            let k = p.min(keep);
                            keep -= k;
                            if k > 0 {
                                reserved.push((b, k));
                            }
                            if p > k {
                                back.push((b, p - k));
                            }
                        }
                        model.unreserve(&back);
                        let backed: i64 = reserved.iter().map(|r| r.1).sum();
                        let more = (points - backed).min(model.free());
                        for (b, p) in model.reserve(more) {
                            match reserved.iter_mut().find(|r| r.0 == b) {
                                Some(r) => r.1 += p,
                                None => reserved.push((b, p)),
                            }
                        }
                        reserved.sort_by_key(|r| model.rank(r.0));
                        model.holds.insert(q.id.get(), (points, reserved));
                        model.settle();
                        sys.requests[r] = next;
                        if no_quote_overdraft && increase > 0 {
                            prop_assert!(
                                sys.ledger.account().available().unwrap() >= Points::ZERO,
                                "approval overdrew"
                            );
                        }
                    }
                    Err(DomainError::InsufficientPoints { needed, .. }) => {
                        let q = open.unwrap();
                        let old_points = replaced.map_or(0, |old| model.holds[&old].0);
                        prop_assert_eq!(needed.hundredths(), q.points.hundredths() - old_points);
                        prop_assert!(
                            no_quote_overdraft && model_available_before < needed.hundredths()
                        );
                        stats.refused_for_points += 1;
                    }
                    Err(_) => {}
                }
            }
            Cmd::Decline { r } => {
                let Some(sr) = sys.requests.get(r).cloned() else {
                    continue;
                };
                if let Some(q) = sr.open_quote() {
                    sys.requests[r] = sr.decline(q.id).unwrap();
                }
            }
            Cmd::Complete { r } => {
                let Some(sr) = sys.requests.get(r).cloned() else {
                    continue;
                };
                if let Ok((next, d)) = sr.complete(&acct, None) {
                    let approved = sr.approved_quote().map(|q| q.id.get());
                    prop_assert_eq!(d.is_some(), approved.is_some());
                    if let (Some(d), Some(q)) = (d, approved) {
                        sys.commit(&d).unwrap();
                        stats.completions_charged += 1;
                        let (points, reserved) = model
                            .holds
                            .remove(&q)
                            .expect("model holds the approved quote");
                        for (b, p) in &reserved {
                            model.block(*b).reserved -= p;
                            model.block(*b).remaining -= p;
                        }
                        let unbacked = points - reserved.iter().map(|r| r.1).sum::<i64>();
                        let fits = unbacked.min(model.free());
                        model.draw(fits, None);
                        model.debt += unbacked - fits;
                        prop_assert!(
                            model.charged_quotes.insert(q, points).is_none(),
                            "charged twice"
                        );
                    }
                    sys.requests[r] = next;
                }
            }
            Cmd::Cancel { r } => {
                let Some(sr) = sys.requests.get(r).cloned() else {
                    continue;
                };
                if let Ok((next, d)) = sr.cancel(&acct, None, None) {
                    if let Some(d) = d {
                        sys.commit(&d).unwrap();
                        stats.releases += 1;
                        let q = sr.approved_quote().unwrap().id.get();
                        let (_, reserved) = model.holds.remove(&q).unwrap();
                        if reserved.iter().any(|(b, _)| model.block(*b).expired) {
                            stats.releases_into_expired_blocks += 1;
                        }
                        model.unreserve(&reserved);
                        model.settle();
                    }
                    sys.requests[r] = next;
                }
            }
            Cmd::Adjust { id, hundredths } => {
                if let Ok(d) = acct.adjust(
                    AdjustmentId::new(i64::from(id)),
                    pts(hundredths),
                    "correction",
                    MANAGER,
                    None,
                ) {
                    let key = format!("adjustment:{id}");
                    if commit_keyed(&mut sys, &mut model, stats, key, hundredths.to_string(), &d)? {
                        stats.adjustments += 1;
                        model_debit_or_credit(&mut model, hundredths, None);
                    }
                } else if hundredths != 0 {
                    prop_assert!(plan.overdraft == Overdraft::Never && -hundredths > model.free());
                }
            }
            Cmd::Correct { id, of } => {
                let corrected = pointdesk_domain::ids::IdempotencyKey::adjustment(
                    AdjustmentId::new(i64::from(of)),
                );
                let Some(e) = sys.ledger.entry_by_key(&corrected).cloned() else {
                    continue;
                };
                let key = format!("adjustment:{id}");
                // An entry is corrected once (the domain's callers see to it: a second
                // correction of the same credit could draw it twice).
                let corrects = format!("corrects:{of}");
                if model.seen.contains_key(&key) || model.seen.contains_key(&corrects) {
                    continue;
                }
                model.seen.insert(corrects, String::new());
                let trace = e.trace();
                // A correction of the same sign is refused, whatever the state.
                prop_assert_eq!(
                    acct.adjust(
                        AdjustmentId::new(i64::from(id)),
                        e.amount,
                        "same sign",
                        MANAGER,
                        Some(&trace),
                    ),
                    Err(DomainError::Field {
                        field: "amount",
                        code: "opposite_sign"
                    })
                );
                stats.same_sign_refused += 1;
                if e.amount.is_negative() {
                    // A credit that corrects a debit: the points go back where the debit took
                    // them, what it left owed cancels debt, the rest never expires.
                    let d = acct
                        .adjust(
                            AdjustmentId::new(i64::from(id)),
                            e.amount.neg(),
                            "corrects an earlier debit",
                            MANAGER,
                            Some(&trace),
                        )
                        .unwrap();
                    prop_assert_eq!(sys.commit(&d).unwrap(), Outcome::Applied);
                    model
                        .seen
                        .insert(key, e.amount.neg().hundredths().to_string());
                    stats.credit_corrections += 1;
                    let draws: Draws = trace
                        .moves
                        .iter()
                        .filter(|m| m.points.is_negative())
                        .map(|m| (m.block.get(), -m.points.hundredths()))
                        .collect();
                    model.give_back(&draws, -e.amount.hundredths());
                    model.settle();
                    continue;
                }
                let Ok(d) = acct.adjust(
                    AdjustmentId::new(i64::from(id)),
                    e.amount.neg(),
                    "corrects an earlier credit",
                    MANAGER,
                    Some(&trace),
                ) else {
                    prop_assert!(
                        plan.overdraft == Overdraft::Never && e.amount.hundredths() > model.free()
                    );
                    continue;
                };
                prop_assert_eq!(sys.commit(&d).unwrap(), Outcome::Applied);
                model
                    .seen
                    .insert(key, e.amount.neg().hundredths().to_string());
                stats.corrections += 1;
                let first = trace.created().map(|b| b.get());
                // The corrected block is drawn first, as far as it has free points.
                let drawn_from_it =
                    first.map_or(0, |b| model.block(b).free().min(e.amount.hundredths()));
                model_debit_or_credit(&mut model, -e.amount.hundredths(), first);
                let moved_from_it: i64 = sys.ledger.entries()[before.len()]
                    .moves
                    .iter()
                    .filter(|m| Some(m.block.get()) == first)
                    .map(|m| -m.points.hundredths())
                    .sum();
                prop_assert_eq!(moved_from_it, drawn_from_it);
            }
            Cmd::Rollover | Cmd::CatchUp { .. } => {
                let periods = match c {
                    Cmd::CatchUp { periods } => periods,
                    _ => 1,
                };
                let target = (0..periods).fold(acct.period, |p, _| p.next());
                let ds = acct.catch_up(target, plan.rollover, plan.base).unwrap();
                let holds_open = !acct.holds.is_empty();
                let (mut sut_expired, mut sut_grants) = (0, 0);
                for d in &ds {
                    let pre = sys.ledger.account().clone();
                    let n = sys.ledger.entries().len();
                    prop_assert_eq!(sys.commit(d).unwrap(), Outcome::Applied, "{}", ctx);
                    let post = sys.ledger.account().clone();
                    if d.key.as_str().starts_with("expiry:") {
                        sut_expired += sys.ledger.entries()[n..]
                            .iter()
                            .map(|e| -e.amount.hundredths())
                            .sum::<i64>();
                        check_expiry(&pre, &post, &plan)?;
                    } else {
                        sut_grants += 1;
                    }
                }
                let skipped_before = model
                    .seen
                    .keys()
                    .filter(|k| k.starts_with("grant:"))
                    .filter(|k| k.as_str() > format!("grant:{}", model.period).as_str())
                    .count();
                let (expired, carried, grants) = model.catch_up(target, plan.rollover, base);
                prop_assert_eq!(sut_expired, expired, "expired points at {}", ctx);
                prop_assert_eq!(sut_grants, grants, "grants at {}", ctx);
                stats.expiries += u32::from(expired > 0);
                stats.expiries_with_holds_open += u32::from(expired > 0 && holds_open);
                stats.rollovers_carried += u32::from(carried > 0);
                stats.catch_ups_past_a_grant_ahead += u32::from(skipped_before > 0 && periods >= 1);
                if !ds.is_empty() {
                    stats.catch_ups_over_two_or_more += u32::from(periods >= 2);
                }
                prop_assert!(acct
                    .catch_up(acct.period, plan.rollover, plan.base)
                    .unwrap()
                    .iter()
                    .all(|d| !d.key.as_str().starts_with("expiry:")));
                prop_assert!(
                    sys.ledger
                        .account()
                        .catch_up(target, plan.rollover, plan.base)
                        .unwrap()
                        .is_empty(),
                    "a retried catch-up changes nothing"
                );
                sys.now = sys.now.plus_days(31 * i64::from(periods));
            }
            Cmd::AdvanceDays { days } => {
                sys.now = sys.now.plus_days(days);
                for r in 0..sys.requests.len() {
                    if let Ok(next) = sys.requests[r].expire(sys.now) {
                        sys.requests[r] = next;
                    }
                }
            }
            Cmd::RetryLast => {
                if let Some(d) = sys.last_decision.clone() {
                    let snapshot = sys.ledger.account().clone();
                    match sys.commit(&d) {
                        Ok(out) => prop_assert_eq!(
                            out,
                            Outcome::Duplicate,
                            "a retried event changes nothing"
                        ),
                        Err(DomainError::IdempotencyConflict { .. }) => {}
                        Err(e) => prop_assert!(false, "retry failed: {:?}", e),
                    }
                    stats.duplicates += 1;
                    prop_assert_eq!(sys.ledger.account(), &snapshot);
                }
            }
            Cmd::RefundPurchase { payment, percent } => {
                let p = i64::from(payment);
                let Some(&(_, points, before_minor)) = model.purchases.get(&p) else {
                    continue;
                };
                if before_minor >= 100_000 {
                    continue;
                }
                let refunded = (before_minor + percent * 1_000).min(100_000);
                let taken: i64 = sys
                    .ledger
                    .entries()
                    .iter()
                    .filter(|e| {
                        e.kind == EntryKind::PurchaseRefund
                            && e.reference == EntryRef::Payment(PaymentId::new(p))
                    })
                    .map(|e| -e.amount.hundredths())
                    .sum();
                let d = acct
                    .refund_purchase(
                        PaymentId::new(p),
                        pts(points),
                        100_000,
                        refunded,
                        pts(taken),
                        "refunded".into(),
                    )
                    .unwrap();
                prop_assert_eq!(sys.commit(&d).unwrap(), Outcome::Applied, "{}", ctx);
                model.refund_purchase(p, refunded, plan.overdraft == Overdraft::Never, taken);
                if let Some(entry) = model.purchases.get_mut(&p) {
                    entry.2 = refunded;
                }
                stats.purchase_refunds += 1;
                stats.purchase_refunds_owing +=
                    u32::from(model.debt > 0 || !model.refunds_owed.is_empty());
                stats.partial_purchase_refunds += u32::from(refunded < 100_000);
            }
            Cmd::Stale => {
                if let Some(old) = sys.previous.clone() {
                    let payment = PaymentId::new(1_000 + step as i64);
                    let d = old.purchase(payment, pts(100), "pack").unwrap();
                    let snapshot = sys.ledger.account().clone();
                    prop_assert_eq!(
                        sys.ledger.commit(&d, sys.now),
                        Err(DomainError::Stale {
                            decided_on: old.version,
                            current: snapshot.version
                        })
                    );
                    prop_assert_eq!(sys.ledger.account(), &snapshot);
                    stats.stale_refused += 1;
                }
            }
        }

        // ---- invariants, after every step ----
        let entries = sys.ledger.entries();
        let account = sys.ledger.account();
        prop_assert!(
            entries.starts_with(&before),
            "entries changed or removed at {}",
            ctx
        );
        for e in &entries[before.len()..] {
            let moved = Points::sum(e.moves.iter().map(|m| m.points)).unwrap();
            prop_assert_eq!(
                moved.checked_sub(e.debt_change).unwrap(),
                e.amount,
                "moves at {}",
                ctx
            );
            stats.repayments += u32::from(e.kind == EntryKind::Repayment);
            stats.settlements +=
                u32::from(e.kind == EntryKind::Charge && e.key.as_str().contains("/settle:"));
            if e.kind == EntryKind::Expiry {
                // No purchased, credited or refunded point ever expires.
                for m in e.moves.iter().filter(|m| m.points.is_negative()) {
                    prop_assert!(
                        account.blocks[&m.block].source.may_expire(),
                        "{} expired a {:?}",
                        ctx,
                        account.blocks[&m.block].source
                    );
                }
            }
        }
        let sum = Points::sum(entries.iter().map(|e| e.amount)).unwrap();
        let balance = account.balance().unwrap();
        prop_assert_eq!(balance, sum, "balance = sum of entries at {}", ctx);
        let remainders = Points::sum(account.blocks.values().map(|b| b.remaining)).unwrap();
        prop_assert_eq!(
            balance,
            remainders.checked_sub(account.debt).unwrap(),
            "balance = Σ remainders − debt at {}",
            ctx
        );
        let mut running = Points::ZERO;
        for e in entries {
            running = running.checked_add(e.amount).unwrap();
            prop_assert_eq!(e.balance_after, running);
        }
        prop_assert_eq!(
            balance.hundredths(),
            model.balance(),
            "model balance at {}",
            ctx
        );
        prop_assert_eq!(account.debt.hundredths(), model.debt, "debt at {}", ctx);
        prop_assert_eq!(
            sut_blocks(account),
            model_blocks(&model),
            "blocks at {}",
            ctx
        );
        for b in account.blocks.values() {
            prop_assert!(
                Points::ZERO <= b.reserved && b.reserved <= b.remaining && b.remaining <= b.amount
            );
            if !b.source.may_expire() {
                prop_assert!(b.expires.is_none() && !b.expired);
            }
        }
        // While anything is owed, no point is free.
        if account.debt.is_positive() || !account.outstanding.is_empty() {
            prop_assert_eq!(
                account.free().unwrap(),
                Points::ZERO,
                "owed with free points at {}",
                ctx
            );
        }
        let outstanding: BTreeMap<i64, i64> = account
            .outstanding
            .iter()
            .map(|(t, p)| (t.get(), p.hundredths()))
            .collect();
        prop_assert_eq!(&outstanding, &model.outstanding, "outstanding at {}", ctx);
        let refunds_owed: BTreeMap<i64, i64> = account
            .refunds_owed
            .iter()
            .map(|(p, o)| (p.get(), o.hundredths()))
            .collect();
        prop_assert_eq!(
            &refunds_owed,
            &model.refunds_owed,
            "refunds owed at {}",
            ctx
        );
        if plan.overdraft == Overdraft::Never {
            prop_assert!(account.debt == Points::ZERO, "never means never in debt");
        }
        let sut_holds: BTreeMap<i64, (i64, Draws)> = account
            .holds
            .iter()
            .map(|(q, h)| {
                (
                    q.get(),
                    (
                        h.points.hundredths(),
                        h.reserved
                            .iter()
                            .map(|m| (m.block.get(), m.points.hundredths()))
                            .collect(),
                    ),
                )
            })
            .collect();
        prop_assert_eq!(&sut_holds, &model.holds, "holds at {}", ctx);
        let keys: BTreeSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        prop_assert_eq!(keys.len(), entries.len(), "one key per entry");
        let mut charges_per_quote: BTreeMap<i64, usize> = BTreeMap::new();
        for e in entries {
            if let (EntryKind::Charge, EntryRef::Quote(q)) = (e.kind, e.reference) {
                *charges_per_quote.entry(q.get()).or_default() += 1;
            }
        }
        prop_assert!(
            charges_per_quote.values().all(|&n| n == 1),
            "a quote is charged at most once"
        );
        // A hold exists exactly for the quotes that are approved and not finished.
        let approved: BTreeSet<i64> = sys
            .requests
            .iter()
            .flat_map(|r| r.quotes.iter())
            .filter(|q| q.status == QuoteStatus::Approved)
            .map(|q| q.id.get())
            .collect();
        prop_assert_eq!(
            sut_holds.keys().copied().collect::<BTreeSet<_>>(),
            approved,
            "holds match approved quotes"
        );
        for r in &sys.requests {
            prop_assert!(
                r.quotes
                    .iter()
                    .filter(|q| q.status == QuoteStatus::Approved)
                    .count()
                    <= 1
            );
            prop_assert!(
                r.quotes
                    .iter()
                    .filter(|q| q.status == QuoteStatus::AwaitingApproval)
                    .count()
                    <= 1
            );
        }
    }
    Ok(())
}

/// Commits a decision whose key the model tracks: a new key applies (true), the same key with the
/// same request is a duplicate, with another request a conflict (both false, nothing changes).
fn commit_keyed(
    sys: &mut System,
    model: &mut Model,
    stats: &mut Stats,
    key: String,
    fingerprint: String,
    d: &Decision,
) -> Result<bool, TestCaseError> {
    let snapshot = sys.ledger.account().clone();
    match model.seen.get(&key) {
        Some(first) if first != &fingerprint => {
            prop_assert!(
                matches!(sys.commit(d), Err(DomainError::IdempotencyConflict { .. })),
                "same key, other request: a conflict"
            );
            stats.conflicts += 1;
        }
        Some(_) => prop_assert_eq!(sys.commit(d).unwrap(), Outcome::Duplicate),
        None => {
            prop_assert_eq!(sys.commit(d).unwrap(), Outcome::Applied);
            model.seen.insert(key, fingerprint);
            return Ok(true);
        }
    }
    prop_assert_eq!(sys.ledger.account(), &snapshot);
    Ok(false)
}

/// A credit (positive) becomes a never-expiring block; a debit draws (from `first` first) and
/// leaves debt for what is not free.
fn model_debit_or_credit(model: &mut Model, hundredths: i64, first: Option<i64>) {
    if hundredths > 0 {
        model.add(false, None, hundredths);
    } else {
        let want = -hundredths;
        let fits = want.min(model.free());
        model.draw(fits, first);
        model.debt += want - fits;
    }
    model.settle();
}

/// Expiry touches the ending period's blocks only, never reserved points.
fn check_expiry(pre: &Account, post: &Account, plan: &Plan) -> Result<(), TestCaseError> {
    let ending = pre.period;
    for (id, b) in &pre.blocks {
        let a = &post.blocks[id];
        prop_assert_eq!(
            a.reserved,
            b.reserved,
            "expiry never touches reserved points"
        );
        if b.expires != Some(ending) {
            prop_assert_eq!(a, b, "expiry touched another period's block");
        } else {
            prop_assert!(a.expired && a.remaining == b.reserved);
        }
    }
    let new: Vec<_> = post
        .blocks
        .keys()
        .filter(|k| !pre.blocks.contains_key(k))
        .collect();
    prop_assert!(new.len() <= 1);
    for k in new {
        let b = &post.blocks[k];
        prop_assert_eq!(b.source, BlockSource::Rollover(ending));
        prop_assert_eq!(b.expires, Some(ending.next()));
        if let Rollover::Capped(cap) = plan.rollover {
            prop_assert!(b.amount <= cap);
        }
        prop_assert!(plan.rollover != Rollover::None);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn ledger_invariants_hold_under_random_commands(plan in plan_strategy(), cmds in prop::collection::vec(cmd(), 1..120)) {
        run(plan, cmds, &mut Stats::default())?;
    }
}

/// The generator must reach every interesting state, or the property above proves little.
#[test]
fn the_generator_reaches_every_interesting_state() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::with_cases(1_000),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let stats = std::cell::RefCell::new(Stats::default());
    runner
        .run(
            &(plan_strategy(), prop::collection::vec(cmd(), 1..120)),
            |(plan, cmds)| run(plan, cmds, &mut stats.borrow_mut()),
        )
        .unwrap();
    let s = stats.into_inner();
    eprintln!("{s:#?}");
    for (what, n) in [
        ("incident charges", s.incident_charges),
        (
            "outstanding charges (overdraft never)",
            s.outstanding_charges,
        ),
        ("approvals", s.approvals),
        ("approved revisions", s.revisions_approved),
        (
            "revisions downwards while overdrawn",
            s.revisions_down_while_overdrawn,
        ),
        ("approvals refused for points", s.refused_for_points),
        ("completions charged", s.completions_charged),
        ("holds released", s.releases),
        (
            "holds released into expired blocks",
            s.releases_into_expired_blocks,
        ),
        ("dispute refunds", s.refunds),
        ("expiries", s.expiries),
        ("expiries with holds open", s.expiries_with_holds_open),
        ("rollovers carried", s.rollovers_carried),
        ("purchases during an open hold", s.purchases_during_holds),
        ("debt repayments", s.repayments),
        ("outstanding settlements", s.settlements),
        (
            "catch-ups over two or more periods",
            s.catch_ups_over_two_or_more,
        ),
        ("stale decisions refused", s.stale_refused),
        ("idempotency conflicts", s.conflicts),
        ("retried duplicates", s.duplicates),
        ("adjustments", s.adjustments),
        ("correcting adjustments", s.corrections),
        ("credits correcting a debit", s.credit_corrections),
        ("corrections of the same sign refused", s.same_sign_refused),
        ("grants posted two periods ahead", s.grants_two_ahead),
        (
            "catch-ups past a grant posted ahead",
            s.catch_ups_past_a_grant_ahead,
        ),
        (
            "revisions downwards over two or more blocks",
            s.revisions_down_over_two_blocks,
        ),
        ("purchase refunds", s.purchase_refunds),
        (
            "purchase refunds leaving something owed",
            s.purchase_refunds_owing,
        ),
        ("partial purchase refunds", s.partial_purchase_refunds),
    ] {
        assert!(
            n >= 10,
            "the generator reached {what} only {n} times in 1000 cases: {s:?}"
        );
    }
}
