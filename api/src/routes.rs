//! Every API operation, declared once. The worker's router matches requests against
//! [`OPERATIONS`], the OpenAPI document (`openapi` feature, native only) is generated from the
//! same declaration with the request and response types named here, and the end-to-end tests
//! walk the served document. An `operationId` never changes once published.

#[cfg(feature = "openapi")]
use crate::accounts::{
    AcceptInvitationRequest, ChangePasswordRequest, MeDto, PasswordResetRequest,
    ResetPasswordRequest, SessionDto, SignInRequest, UpdateMeRequest,
};
#[cfg(feature = "openapi")]
use crate::attachments::{AttachmentDto, AttachmentListDto};
#[cfg(feature = "openapi")]
use crate::desk::{
    DeskDto, DeskSettingsDto, PlanTermsDto, ReclassifyRequest, RecordApprovalRequest, ReopenRequest,
};
#[cfg(feature = "openapi")]
use crate::health::Health;
#[cfg(feature = "openapi")]
use crate::invoices::{
    ActDto, AutoTopUpDto, BankImportDto, BankPaymentDto, BankPaymentListDto, BankResolutionRequest,
    BankStatementRequest, ClientRequisitesDto, InvoiceDto, InvoiceListDto, InvoicePaymentRequest,
    InvoiceRequest, ProviderRequisitesDto,
};
#[cfg(feature = "openapi")]
use crate::ledger::{
    AdjustmentRequest, BalanceHistoryDto, ChargeExplanationDto, ChargePreviewRequest,
    LedgerEntryDto, LedgerPageDto, StatementDto,
};
#[cfg(feature = "openapi")]
use crate::notifications::{MarkReadRequest, NotificationListDto, NotificationPrefsDto, UnreadDto};
#[cfg(feature = "openapi")]
use crate::organizations::{
    AuditLogDto, CreateOrganizationRequest, InviteUserRequest, OrganizationDto,
    OrganizationListDto, OutboxDto, PlanListDto, PlanRowDto, UpdateOrganizationRequest, UserDto,
    UserListDto,
};
#[cfg(feature = "openapi")]
use crate::payments::{
    CheckoutDto, CheckoutRequest, NotificationReceiptDto, PaymentSettingsDto, PointPackDto,
    PointPackListDto, PointPackRequest, PurchaseDto, PurchaseListDto, RevenueReportDto,
};
#[cfg(feature = "openapi")]
use crate::plans::PlanDto;
#[cfg(feature = "openapi")]
use crate::reports::{BalanceReportDto, ConsumptionReportDto, DisputeReportDto};
#[cfg(feature = "openapi")]
use crate::sla::{
    AwaitingClientRequest, BusinessCalendarDto, BusinessCalendarRequest, PriorityRequest,
    SlaReportDto,
};
#[cfg(feature = "openapi")]
use crate::tickets::{
    AssignRequest, CatalogueItemDto, CatalogueItemRequest, CatalogueListDto, CauseRequest,
    CommentRequest, CreateTicketRequest, DisputeDecisionRequest, DisputeRequest, OrgBalanceDto,
    QuoteRequest, StatusRequest, TicketDto, TicketListDto, TimelineDto, TimerRequest,
    TimerStopRequest, WorkRequest,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    /// Does this method change state (and so need the same-origin proof)?
    pub const fn is_write(self) -> bool {
        !matches!(self, Method::Get)
    }
}

/// Who may call an operation at all; what they may do inside it is the domain policy's call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A valid session.
    SignedIn,
}

#[derive(Clone, Copy, Debug)]
pub struct Operation {
    pub id: &'static str,
    /// The same id as a value the worker matches exhaustively.
    pub op: Op,
    pub method: Method,
    /// Under [`crate::API_PREFIX`]; `{name}` is a path parameter.
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
    pub tag: &'static str,
    /// The success status.
    pub status: u16,
}

/// Path parameters of a matched operation, in template order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no operation matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Miss {
    NotFound,
    /// The path exists with these methods.
    MethodNotAllowed(Vec<Method>),
}

/// Finds the operation for a method and a path below the API prefix (`/session`).
pub fn find(method: Method, path: &str) -> Result<(&'static Operation, Params), Miss> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut allowed = Vec::new();
    for op in OPERATIONS {
        if let Some(params) = match_path(op.path, &segments) {
            if op.method == method {
                return Ok((op, params));
            }
            allowed.push(op.method);
        }
    }
    if allowed.is_empty() {
        Err(Miss::NotFound)
    } else {
        Err(Miss::MethodNotAllowed(allowed))
    }
}

fn match_path(template: &'static str, segments: &[&str]) -> Option<Params> {
    let parts: Vec<&'static str> = template.split('/').filter(|s| !s.is_empty()).collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, seg) in parts.iter().zip(segments) {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => params.push((name, (*seg).to_owned())),
            None if part == seg => {}
            None => return None,
        }
    }
    Some(Params(params))
}

/// Declares the operations: the `OPERATIONS` table for everyone, and for the document the
/// request and response schema of each.
macro_rules! operations {
    ($(
        $id:ident: $method:ident $path:literal, $access:ident, $tag:literal, $summary:literal,
        $(body $req:ty,)? $status:literal $($resp:ty)?;
    )*) => {
        /// Every operation by its `operationId`: a handler table that misses one does not compile.
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Op {
            $($id,)*
        }

        pub const OPERATIONS: &[Operation] = &[$(
            Operation {
                id: stringify!($id),
                op: Op::$id,
                method: Method::$method,
                path: $path,
                access: Access::$access,
                summary: $summary,
                tag: $tag,
                status: $status,
            },
        )*];

        /// Each operation's id with its request and response schemas, for the document.
        #[cfg(feature = "openapi")]
        pub(crate) fn schemas() -> Vec<crate::schema::OperationSchemas> {
            vec![$(
                crate::schema::OperationSchemas {
                    id: stringify!($id),
                    request: None$(.or(Some(crate::schema::schema_of::<$req>())))?,
                    response: None$(.or(Some(crate::schema::schema_of::<$resp>())))?,
                },
            )*]
        }
    };
}

operations! {
    getHealth: Get "/health", Public, "service", "Whether the service and its stores answer (503 when not)",
        200 Health;
    ping: Get "/ping", Public, "service", "Does nothing: the floor for latency benchmarks",
        204;
    getOpenApi: Get "/openapi.json", Public, "service", "This document",
        200;
    previewCharge: Post "/charge-preview", Public, "service", "What a plan would charge for logged time, explained",
        body ChargePreviewRequest, 200 ChargeExplanationDto;

    signIn: Post "/session", Public, "session", "Sign in with email and password; sets the session cookie",
        body SignInRequest, 200 MeDto;
    signOut: Delete "/session", SignedIn, "session", "Sign out: this session ends at once",
        204;
    getSession: Get "/session", Public, "session", "Who is signed in, if anyone: 200 with `me` null when nobody is (what the app asks first, so a signed-out visit logs no error)",
        200 SessionDto;
    getMe: Get "/me", SignedIn, "session", "Who is signed in",
        200 MeDto;
    updateMe: Patch "/me", SignedIn, "session", "Change your name or language",
        body UpdateMeRequest, 200 MeDto;
    changePassword: Put "/me/password", SignedIn, "session", "Change your password; your other sessions end",
        body ChangePasswordRequest, 204;
    requestPasswordReset: Post "/password-reset-requests", Public, "session", "Email a password-reset link (the answer never says whether the address exists)",
        body PasswordResetRequest, 202;
    resetPassword: Post "/password-resets", Public, "session", "Set a new password with a reset link's token; every session ends",
        body ResetPasswordRequest, 204;
    acceptInvitation: Post "/invitations/accept", Public, "session", "Set your password with an invitation's token and sign in",
        body AcceptInvitationRequest, 200 MeDto;

    listOrganizations: Get "/organizations", SignedIn, "clients", "Client organisations with balance and allotment (provider staff)",
        200 OrganizationListDto;
    getOrganization: Get "/organizations/{id}", SignedIn, "clients", "One client organisation: plan, seats, options, threshold and the allotment with its breakdown",
        200 OrganizationDto;
    createOrganization: Post "/organizations", SignedIn, "clients", "Add a client organisation (managers)",
        body CreateOrganizationRequest, 201 OrganizationDto;
    updateOrganization: Patch "/organizations/{id}", SignedIn, "clients", "Change a client organisation (managers); client admins change their threshold and alert recipients",
        body UpdateOrganizationRequest, 200 OrganizationDto;
    listPlans: Get "/plans", SignedIn, "clients", "The provider's plans (provider staff)",
        200 PlanListDto;
    createPlan: Post "/plans", SignedIn, "clients", "Add a plan (managers)",
        body PlanDto, 201 PlanRowDto;
    updatePlan: Put "/plans/{id}", SignedIn, "clients", "Replace a plan's terms (managers); organisations on it get the new allotment from the next period",
        body PlanDto, 200 PlanRowDto;
    listUsers: Get "/users", SignedIn, "people", "People: all of the provider's (managers) or of your organisation (client admins)",
        200 UserListDto;
    inviteUser: Post "/users", SignedIn, "people", "Invite a person: a link to set a password goes to the outbox",
        body InviteUserRequest, 201 UserDto;
    deactivateUser: Post "/users/{id}/deactivate", SignedIn, "people", "Deactivate a person: their sessions end at once",
        200 UserDto;
    listOutbox: Get "/outbox", SignedIn, "people", "The newest mail waiting or sent (managers); `format=html` for the page",
        200 OutboxDto;
    listAuditLog: Get "/audit-log", SignedIn, "people", "The newest privileged actions: who, what, when, before and after (managers); `format=html` for the page",
        200 AuditLogDto;

    listCatalogue: Get "/catalogue", SignedIn, "tickets", "The provider's service catalogue (client people see the active items)",
        200 CatalogueListDto;
    createCatalogueItem: Post "/catalogue", SignedIn, "tickets", "Add a catalogue item (managers)",
        body CatalogueItemRequest, 201 CatalogueItemDto;
    updateCatalogueItem: Put "/catalogue/{id}", SignedIn, "tickets", "Replace a catalogue item (managers); open requests keep the terms they were opened with",
        body CatalogueItemRequest, 200 CatalogueItemDto;
    createTicket: Post "/tickets", SignedIn, "tickets", "Open an incident or a service request",
        body CreateTicketRequest, 201 TicketDto;
    listTickets: Get "/tickets", SignedIn, "tickets", "Tickets you may see; `status`, `q` (title or number), `queue` (`unassigned`, `mine`, `awaiting_client`, `overdue`, `disputes`, `open`, `done`); open tickets first, the nearest service-level deadline first, `org`",
        200 TicketListDto;
    getTicket: Get "/tickets/{id}", SignedIn, "tickets", "One ticket: work, quotes, cause, charge, dispute and its cost so far",
        200 TicketDto;
    getTicketTimeline: Get "/tickets/{id}/timeline", SignedIn, "tickets", "Everything that happened to a ticket, with who and when (internal events only for provider staff)",
        200 TimelineDto;
    listAttachments: Get "/tickets/{id}/attachments", SignedIn, "tickets", "A ticket's files, oldest first (internal ones only for provider staff)",
        200 AttachmentListDto;
    uploadAttachment: Post "/tickets/{id}/attachments", SignedIn, "tickets", "Attach a file: the body is the file itself (at most 25 MB, `Content-Length` required); `name`, `internal`, `comment`. The type is read from the content",
        201 AttachmentDto;
    getAttachment: Get "/tickets/{id}/attachments/{attachment}", SignedIn, "tickets", "The file, streamed: inline when it is an image, a download otherwise",
        200;
    deleteAttachment: Delete "/tickets/{id}/attachments/{attachment}", SignedIn, "tickets", "Remove a file (its uploader or provider staff); its bytes go with it",
        204;
    addComment: Post "/tickets/{id}/comments", SignedIn, "tickets", "Comment, public or internal (provider staff only); an `Idempotency-Key` makes a replay from the offline outbox harmless",
        body CommentRequest, 201 TicketDto;
    followTicket: Put "/tickets/{id}/followers/me", SignedIn, "tickets", "Follow a ticket: its changes reach you by email",
        200 TicketDto;
    unfollowTicket: Delete "/tickets/{id}/followers/me", SignedIn, "tickets", "Stop following a ticket",
        200 TicketDto;
    logWork: Post "/tickets/{id}/work", SignedIn, "tickets", "Log work: minutes, a note and the day (Idempotency-Key: the offline outbox replays it)",
        body WorkRequest, 201 TicketDto;
    startTimer: Post "/tickets/{id}/timer", SignedIn, "tickets", "Start your timer on a ticket (engineers, managers), at `at` (unix seconds, for a start made offline) or now; one running timer per person and ticket (Idempotency-Key)",
        body TimerRequest, 201 TicketDto;
    stopTimer: Post "/tickets/{id}/timer/stop", SignedIn, "tickets", "Stop your timer: the minutes it ran, rounded up, are logged as work on the day it started (Idempotency-Key)",
        body TimerStopRequest, 201 TicketDto;
    assignTicket: Put "/tickets/{id}/assignee", SignedIn, "tickets", "Take or assign a ticket (`null` unassigns)",
        body AssignRequest, 200 TicketDto;
    changeTicketStatus: Put "/tickets/{id}/status", SignedIn, "tickets", "Start, resolve, reopen or close an incident; start a standard request (Idempotency-Key: the offline outbox replays it)",
        body StatusRequest, 200 TicketDto;
    setIncidentCause: Put "/tickets/{id}/cause", SignedIn, "tickets", "Set a resolved incident's cause once; client caused charges the logged time (Idempotency-Key)",
        body CauseRequest, 200 TicketDto;
    disputeCharge: Post "/tickets/{id}/dispute", SignedIn, "tickets", "A client admin disputes an incident charge within the window",
        body DisputeRequest, 201 TicketDto;
    decideDispute: Put "/tickets/{id}/dispute/decision", SignedIn, "tickets", "A manager upholds (refund) or rejects a dispute, with a reason (Idempotency-Key)",
        body DisputeDecisionRequest, 200 TicketDto;
    createQuote: Post "/tickets/{id}/quotes", SignedIn, "tickets", "Quote a service request in points, or revise the quote",
        body QuoteRequest, 201 TicketDto;
    approveQuote: Post "/quotes/{id}/approval", SignedIn, "tickets", "A client admin approves a quote: its points are held (Idempotency-Key)",
        200 TicketDto;
    declineQuote: Post "/quotes/{id}/decline", SignedIn, "tickets", "A client admin declines a quote (Idempotency-Key)",
        200 TicketDto;
    completeRequest: Post "/tickets/{id}/completion", SignedIn, "tickets", "Complete a service request: the hold becomes the charge (Idempotency-Key)",
        200 TicketDto;
    cancelRequest: Post "/tickets/{id}/cancellation", SignedIn, "tickets", "Cancel a service request: any hold is released (Idempotency-Key)",
        200 TicketDto;
    reclassifyTicket: Put "/tickets/{id}/class", SignedIn, "tickets", "Make an incident a service request or back, a standard request quoted or back, with a reason the client reads (engineers, managers); refused while points are held, charged or disputed",
        body ReclassifyRequest, 200 TicketDto;
    confirmResolution: Post "/tickets/{id}/confirmation", SignedIn, "tickets", "The requester or a client admin confirms a resolved incident is fixed: it closes",
        200 TicketDto;
    reopenTicket: Post "/tickets/{id}/reopening", SignedIn, "tickets", "The requester or a client admin says a resolved incident is not fixed, with what is still wrong: back to work",
        body ReopenRequest, 200 TicketDto;
    recordApproval: Post "/quotes/{id}/recorded-approval", SignedIn, "tickets", "A manager records an approval a client admin gave by phone, mail or in person: its points are held as by approveQuote (Idempotency-Key)",
        body RecordApprovalRequest, 200 TicketDto;
    disputeRecordedApproval: Post "/quotes/{id}/recorded-approval/dispute", SignedIn, "tickets", "The client admin in whose name an approval was recorded says they did not give it, within the dispute window: the managers hear of it",
        body DisputeRequest, 200 TicketDto;
    getDesk: Get "/desk", SignedIn, "tickets", "What waits for you: ticket counts per queue (staff), decisions waiting (client people)",
        200 DeskDto;
    getDeskSettings: Get "/desk-settings", SignedIn, "tickets", "The provider's desk settings: auto-close and dispute window (managers)",
        200 DeskSettingsDto;
    updateDeskSettings: Put "/desk-settings", SignedIn, "tickets", "Change the desk settings (managers)",
        body DeskSettingsDto, 200 DeskSettingsDto;
    changeTicketPriority: Put "/tickets/{id}/priority", SignedIn, "tickets", "Change a ticket's priority (engineers, managers): its service-level deadlines are recomputed from the opening",
        body PriorityRequest, 200 TicketDto;
    setAwaitingClient: Put "/tickets/{id}/awaiting-client", SignedIn, "tickets", "Say the ticket waits for the client's answer, or no longer does (engineers, managers): the service-level clocks stand meanwhile; a client's public comment ends the wait",
        body AwaitingClientRequest, 200 TicketDto;
    getBusinessCalendar: Get "/business-calendar", SignedIn, "tickets", "The provider's working hours per weekday and holidays, in its time zone: what service levels count (provider staff)",
        200 BusinessCalendarDto;
    updateBusinessCalendar: Put "/business-calendar", SignedIn, "tickets", "Change the working hours and holidays (managers); deadlines already set stay as they were decided",
        body BusinessCalendarRequest, 200 BusinessCalendarDto;
    getPlanTerms: Get "/plan-terms", SignedIn, "tickets", "Your organisation's plan in plain terms: allotment, rounding, rollover, overdraft, dispute window, what is included (client people)",
        200 PlanTermsDto;
    getBalance: Get "/organizations/{id}/balance", SignedIn, "tickets", "An organisation's balance, holds and available points",
        200 OrgBalanceDto;

    listLedgerEntries: Get "/organizations/{id}/ledger", SignedIn, "ledger", "Ledger entries, newest first, with the running balance, who, the ticket and the blocks drawn from; `kind`, `period` (YYYY-MM), `ticket` (number), `before` (cursor), `limit` (≤ 200)",
        200 LedgerPageDto;
    exportLedgerCsv: Get "/organizations/{id}/ledger.csv", SignedIn, "ledger", "The ledger as CSV (UTF-8 with BOM, ISO dates, points as decimal strings), with the same filters",
        200;
    getBalanceHistory: Get "/organizations/{id}/balance-history", SignedIn, "ledger", "The balance over the last 12 months, by day, with grants, charges and purchases",
        200 BalanceHistoryDto;
    getStatement: Get "/organizations/{id}/statements/{period}", SignedIn, "ledger", "A period's statement: opening balance, grants, charges by ticket, purchases, refunds, adjustments, expiry, closing balance; `format=html` for the printable page in the reader's language",
        200 StatementDto;
    createAdjustment: Post "/organizations/{id}/adjustments", SignedIn, "ledger", "A manager credits or debits points with a reason the client sees (Idempotency-Key)",
        body AdjustmentRequest, 201 LedgerEntryDto;
    listNotifications: Get "/notifications", SignedIn, "notifications", "Your notices, newest first, with the unread count; `before` (cursor)",
        200 NotificationListDto;
    markNotificationsRead: Post "/notifications/read", SignedIn, "notifications", "Mark notices read: the listed ids, or all",
        body MarkReadRequest, 200 UnreadDto;
    getNotificationPreferences: Get "/me/notification-preferences", SignedIn, "notifications", "Which notices do not come by email",
        200 NotificationPrefsDto;
    updateNotificationPreferences: Put "/me/notification-preferences", SignedIn, "notifications", "Choose which notices do not come by email",
        body NotificationPrefsDto, 200 NotificationPrefsDto;
    getConsumptionReport: Get "/reports/consumption", SignedIn, "reports", "Points charged and hours worked (billable or not) by client and month; `from`, `to` (YYYY-MM), `format=csv`",
        200 ConsumptionReportDto;
    getBalanceReport: Get "/reports/balances", SignedIn, "reports", "Every client's balance against its threshold; `format=csv`",
        200 BalanceReportDto;
    getDisputeReport: Get "/reports/disputes", SignedIn, "reports", "Disputes and their outcomes; `format=csv`",
        200 DisputeReportDto;
    getRevenueReport: Get "/reports/revenue", SignedIn, "reports", "Top-up revenue by month and currency (succeeded purchases); `from`, `to` (YYYY-MM), `format=csv`",
        200 RevenueReportDto;
    getSlaReport: Get "/reports/sla", SignedIn, "reports", "Service levels by client and month opened: tickets, first answers and fixes in time or late, median business minutes to each; `from`, `to` (YYYY-MM), `format=csv`",
        200 SlaReportDto;

    listPointPacks: Get "/point-packs", SignedIn, "top-ups", "The point packs for sale (client people see the active ones; managers all)",
        200 PointPackListDto;
    createPointPack: Post "/point-packs", SignedIn, "top-ups", "Add a point pack: points, price in minor units, currency (managers)",
        body PointPackRequest, 201 PointPackDto;
    updatePointPack: Put "/point-packs/{id}", SignedIn, "top-ups", "Replace a pack's terms or (de)activate it (managers); purchases keep what they bought",
        body PointPackRequest, 200 PointPackDto;
    getPaymentSettings: Get "/payment-settings", SignedIn, "top-ups", "The provider's payment settings: the VAT code of the 54-FZ receipts card payments carry (managers)",
        200 PaymentSettingsDto;
    updatePaymentSettings: Put "/payment-settings", SignedIn, "top-ups", "Change the payment settings (managers)",
        body PaymentSettingsDto, 200 PaymentSettingsDto;
    createCheckout: Post "/checkouts", SignedIn, "top-ups", "A client admin starts paying for a pack: a pending purchase and the gateway's hosted checkout to send them to (Idempotency-Key)",
        body CheckoutRequest, 201 CheckoutDto;
    receivePaymentNotification: Post "/payments/{gateway}/notifications", Public, "top-ups", "A payment gateway's notification (`sandbox`, `stripe`: signed; `yookassa`: from its addresses, confirmed by fetching the payment); a paid payment is credited exactly once",
        200 NotificationReceiptDto;
    listPurchases: Get "/purchases", SignedIn, "top-ups", "Purchases, newest first: your organisation's (client admins) or a client's (`org`, provider staff)",
        200 PurchaseListDto;
    getPurchase: Get "/purchases/{id}", SignedIn, "top-ups", "One purchase: its receipt, and whether the payment is pending, credited, failed or cancelled",
        200 PurchaseDto;
    showSandboxCheckout: Get "/sandbox/payments/{payment}", Public, "top-ups", "The built-in sandbox gateway's hosted checkout page (HTML): Pay, Decline, Cancel",
        200;
    decideSandboxPayment: Post "/sandbox/payments/{payment}", Public, "top-ups", "The sandbox checkout's buttons (form `action` = `pay`, `decline`, `cancel`): delivers a signed notification to the webhook, then returns the buyer",
        303;

    getProviderRequisites: Get "/provider-requisites", SignedIn, "invoices", "The provider's requisites its invoices and acts carry (managers); empty fields when not set",
        200 ProviderRequisitesDto;
    updateProviderRequisites: Put "/provider-requisites", SignedIn, "invoices", "Set the provider's requisites (managers): ИНН, КПП, ОГРН, БИК and accounts are checked by their check digits and the bank key",
        body ProviderRequisitesDto, 200 ProviderRequisitesDto;
    getOrganizationRequisites: Get "/organizations/{id}/requisites", SignedIn, "invoices", "A client organisation's requisites, the buyer on its invoices and acts (its admins, managers)",
        200 ClientRequisitesDto;
    updateOrganizationRequisites: Put "/organizations/{id}/requisites", SignedIn, "invoices", "Set a client organisation's requisites (its admins, managers)",
        body ClientRequisitesDto, 200 ClientRequisitesDto;
    createInvoice: Post "/invoices", SignedIn, "invoices", "An invoice for a pack, or for points at a pack's price per point (client admins for their organisation, managers for any): numbered per provider and year, waiting for the transfer (Idempotency-Key)",
        body InvoiceRequest, 201 InvoiceDto;
    listInvoices: Get "/invoices", SignedIn, "invoices", "Invoices, newest first: your organisation's (client admins) or the provider's (staff; `org` for one client); `format=csv` for a spreadsheet",
        200 InvoiceListDto;
    getInvoice: Get "/invoices/{id}", SignedIn, "invoices", "One invoice; `format=html` for the printable page (A4)",
        200 InvoiceDto;
    cancelInvoice: Post "/invoices/{id}/cancel", SignedIn, "invoices", "Cancel an invoice still waiting for its transfer (its client admins, managers)",
        200 InvoiceDto;
    markInvoicePaid: Post "/invoices/{id}/payment", SignedIn, "invoices", "A manager records a transfer by hand (date and reference): the invoice's points are credited once (Idempotency-Key)",
        body InvoicePaymentRequest, 200 InvoiceDto;
    importBankStatement: Post "/bank-statements", SignedIn, "invoices", "Import a 1C bank exchange file (managers): each incoming payment that names an invoice, comes from its buyer's ИНН and pays its amount credits it once; the rest wait for the manager (Idempotency-Key)",
        body BankStatementRequest, 200 BankImportDto;
    listBankPayments: Get "/bank-payments", SignedIn, "invoices", "Incoming payments read from statements, newest first (managers); `state=open` for those waiting for a decision; `format=csv` for a spreadsheet, `format=html` for the bank desk page",
        200 BankPaymentListDto;
    resolveBankPayment: Post "/bank-payments/{id}/resolution", SignedIn, "invoices", "Decide an open payment (managers): credit an invoice with it, note a refund, or ignore it (Idempotency-Key)",
        body BankResolutionRequest, 200 BankPaymentDto;
    getAct: Get "/organizations/{id}/acts/{period}", SignedIn, "invoices", "The closing act of a client and month: numbered when first issued after the month ended and identical on every reprint; a draft while the month runs; `format=html` for the printable page",
        200 ActDto;
    getAutoTopUp: Get "/organizations/{id}/auto-top-up", SignedIn, "invoices", "A client's automatic top-up: threshold, pack, card or invoice, monthly cap, and the saved card",
        200 AutoTopUpDto;
    updateAutoTopUp: Put "/organizations/{id}/auto-top-up", SignedIn, "invoices", "Set the automatic top-up (client admins): below the threshold the pack is bought with the saved card (or invoiced), announced an hour before, at most once a day and within the monthly cap",
        body AutoTopUpDto, 200 AutoTopUpDto;
    exportAccounting: Get "/accounting-export", SignedIn, "invoices", "Invoices, payments and acts of a period for 1C:Бухгалтерия 3.0 as EnterpriseData 1.8 XML (`format=xml`, the default) or CSV (`format=csv`) (managers); totals equal the revenue report",
        200;
}

/// Operations that move points: they take an `Idempotency-Key` header (a retry with the same key
/// and body gets the first answer; the same key with another body is a 422). Without the header
/// the business key still makes the effect happen once.
pub const MONEY_MOVING: &[&str] = &[
    "setIncidentCause",
    "decideDispute",
    "approveQuote",
    "declineQuote",
    "completeRequest",
    "cancelRequest",
    "createAdjustment",
    "createCheckout",
    "createInvoice",
    "markInvoicePaid",
    "importBankStatement",
    "resolveBankPayment",
];

/// What a query parameter holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryValue {
    /// A positive integer: an id or a keyset cursor.
    Id,
    /// An integer within bounds.
    Int { min: i64, max: i64 },
    /// A billing period, `YYYY-MM`.
    Period,
    /// A ticket's number, `12` or `#12`.
    TicketNumber,
    /// Free text of at most `max` characters (the rest is ignored).
    Text { max: u32 },
    /// One of these words.
    OneOf(&'static [&'static str]),
}

/// A query parameter an operation reads; an unknown or malformed one is a field error.
#[derive(Clone, Copy, Debug)]
pub struct QueryParam {
    pub name: &'static str,
    pub value: QueryValue,
    pub description: &'static str,
}

const fn q(name: &'static str, value: QueryValue, description: &'static str) -> QueryParam {
    QueryParam {
        name,
        value,
        description,
    }
}

/// Every ticket status, of incidents and service requests (`domain::ticket::is_status`).
pub const TICKET_STATUSES: &[&str] = &[
    "new",
    "in_progress",
    "resolved",
    "closed",
    "awaiting_approval",
    "completed",
    "declined",
    "cancelled",
];
/// `listTickets`'s queues.
pub const TICKET_QUEUES: &[&str] = &[
    "unassigned",
    "mine",
    "awaiting_client",
    "overdue",
    "disputes",
    "open",
    "done",
];
/// Ledger entry kinds (`domain::ledger::EntryKind`).
pub const ENTRY_KINDS: &[&str] = &[
    "grant",
    "purchase",
    "charge",
    "refund",
    "adjustment",
    "expiry",
    "repayment",
    "purchase_refund",
];
/// An invoice's states (`purchases.status` of invoices).
pub const INVOICE_STATUSES: &[&str] = &["awaiting_transfer", "succeeded", "canceled"];
/// A document as data or as its printable page.
const DOCUMENT_FORMAT: QueryParam = q(
    "format",
    QueryValue::OneOf(&["json", "html"]),
    "`html` for the printable page (A4, print CSS); JSON otherwise",
);
const REPORT_FORMAT: QueryParam = q(
    "format",
    QueryValue::OneOf(&["json", "csv"]),
    "`csv` for a spreadsheet (UTF-8 with BOM); JSON otherwise",
);
/// The language and convention of a CSV (`csv::Csv` in the worker).
const CSV_LOCALE: QueryParam = q(
    "locale",
    QueryValue::OneOf(&["en", "ru"]),
    "A CSV's language and convention: `ru` for `;`, decimal commas and Russian headers (what Excel in a Russian locale reads), `en` for `,`, decimal points and English; the reader's language when absent",
);
const LEDGER_KIND: QueryParam = q(
    "kind",
    QueryValue::OneOf(ENTRY_KINDS),
    "Only entries of this kind",
);
const LEDGER_PERIOD: QueryParam = q(
    "period",
    QueryValue::Period,
    "Only entries of this billing period",
);
const LEDGER_TICKET: QueryParam = q(
    "ticket",
    QueryValue::TicketNumber,
    "Only entries of this ticket (its own, its quotes' and its dispute's)",
);
const LEDGER_FILTERS: &[QueryParam] = &[
    LEDGER_KIND,
    LEDGER_PERIOD,
    LEDGER_TICKET,
    q(
        "before",
        QueryValue::Id,
        "The cursor: entries older than this id",
    ),
    q(
        "limit",
        QueryValue::Int { min: 1, max: 200 },
        "Entries per page (50 when absent)",
    ),
];
const LEDGER_EXPORT: &[QueryParam] = &[LEDGER_KIND, LEDGER_PERIOD, LEDGER_TICKET, CSV_LOCALE];
const MONTHS: &[QueryParam] = &[
    q(
        "from",
        QueryValue::Period,
        "The first month (six months ago when absent)",
    ),
    q(
        "to",
        QueryValue::Period,
        "The last month (this one when absent)",
    ),
    REPORT_FORMAT,
    CSV_LOCALE,
];

/// The query parameters of the operations that read any, declared beside the operations so the
/// document and the tests read them from here.
pub const QUERY_PARAMS: &[(&str, &[QueryParam])] = &[
    (
        "listTickets",
        &[
            q(
                "status",
                QueryValue::OneOf(TICKET_STATUSES),
                "Only tickets in this status",
            ),
            q(
                "q",
                QueryValue::Text { max: 100 },
                "A ticket's number (`12`, `#12`) or words of its title",
            ),
            q(
                "queue",
                QueryValue::OneOf(TICKET_QUEUES),
                "One of the desk's queues",
            ),
            q(
                "org",
                QueryValue::Id,
                "Only this client organisation's (provider staff)",
            ),
        ],
    ),
    ("listLedgerEntries", LEDGER_FILTERS),
    ("exportLedgerCsv", LEDGER_EXPORT),
    (
        "listNotifications",
        &[q(
            "before",
            QueryValue::Id,
            "The cursor: notices older than this id",
        )],
    ),
    (
        "listPurchases",
        &[q(
            "org",
            QueryValue::Id,
            "A client organisation's purchases (provider staff)",
        )],
    ),
    (
        "listUsers",
        &[q(
            "organization_id",
            QueryValue::Id,
            "Only this organisation's people (managers)",
        )],
    ),
    ("getConsumptionReport", MONTHS),
    ("getRevenueReport", MONTHS),
    ("getSlaReport", MONTHS),
    (
        "listInvoices",
        &[
            q(
                "org",
                QueryValue::Id,
                "One client organisation's invoices (provider staff)",
            ),
            q(
                "status",
                QueryValue::OneOf(INVOICE_STATUSES),
                "Only invoices in this state",
            ),
            REPORT_FORMAT,
            CSV_LOCALE,
        ],
    ),
    (
        "uploadAttachment",
        &[
            q(
                "name",
                QueryValue::Text { max: 255 },
                "The file's name (required; a path is cut to its last part)",
            ),
            q(
                "internal",
                QueryValue::OneOf(&["true", "false"]),
                "`true`: only provider staff see it (staff only)",
            ),
            q(
                "comment",
                QueryValue::Id,
                "The comment on this ticket it belongs to",
            ),
        ],
    ),
    ("getInvoice", &[DOCUMENT_FORMAT]),
    ("getAct", &[DOCUMENT_FORMAT]),
    ("getStatement", &[DOCUMENT_FORMAT]),
    ("listOutbox", &[DOCUMENT_FORMAT]),
    ("listAuditLog", &[DOCUMENT_FORMAT]),
    (
        "listBankPayments",
        &[
            q(
                "state",
                QueryValue::OneOf(&["open", "all"]),
                "`open`: only the payments waiting for a decision",
            ),
            q(
                "format",
                QueryValue::OneOf(&["json", "csv", "html"]),
                "`csv` for a spreadsheet; `html` for the manager's bank desk page (statement import, invoices awaiting a transfer, these payments to decide); JSON otherwise",
            ),
            CSV_LOCALE,
        ],
    ),
    (
        "exportAccounting",
        &[
            q(
                "from",
                QueryValue::Period,
                "The first month (this one when absent)",
            ),
            q(
                "to",
                QueryValue::Period,
                "The last month (this one when absent)",
            ),
            q(
                "format",
                QueryValue::OneOf(&["xml", "csv"]),
                "`xml`: EnterpriseData 1.8 for 1C:Бухгалтерия 3.0 (default); `csv`: a spreadsheet",
            ),
            CSV_LOCALE,
        ],
    ),
    ("getBalanceReport", &[REPORT_FORMAT, CSV_LOCALE]),
    ("getDisputeReport", &[REPORT_FORMAT, CSV_LOCALE]),
];

/// The query parameters `operation` reads.
pub fn query_params(operation: &str) -> &'static [QueryParam] {
    QUERY_PARAMS
        .iter()
        .find(|(id, _)| *id == operation)
        .map_or(&[], |(_, params)| params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_belong_to_operations_and_name_the_domains_words() {
        for (id, _) in QUERY_PARAMS {
            assert!(OPERATIONS.iter().any(|o| o.id == *id), "{id}");
        }
        let kinds: Vec<&str> = pointdesk_domain::ledger::EntryKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(ENTRY_KINDS, kinds.as_slice());
        let mut statuses: Vec<&str> = pointdesk_domain::incident::IncidentStatus::ALL
            .iter()
            .map(|s| s.as_str())
            .chain(
                pointdesk_domain::service_request::RequestStatus::ALL
                    .iter()
                    .map(|s| s.as_str()),
            )
            .collect();
        statuses.dedup();
        let mut sorted = statuses.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let mut ours = TICKET_STATUSES.to_vec();
        ours.sort_unstable();
        assert_eq!(ours, sorted);
    }

    #[test]
    fn money_moving_operations_exist() {
        for id in MONEY_MOVING {
            assert!(OPERATIONS.iter().any(|o| o.id == *id), "{id}");
        }
    }

    #[test]
    fn ids_are_unique_and_paths_do_not_overlap() {
        for (i, a) in OPERATIONS.iter().enumerate() {
            for b in &OPERATIONS[i + 1..] {
                assert_ne!(a.id, b.id, "duplicate operationId");
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} and {} share {} {}",
                    a.id,
                    b.id,
                    a.method.as_str(),
                    a.path
                );
            }
            assert!(a.path.starts_with('/'), "{}", a.id);
            assert!(
                a.id.chars().next().is_some_and(|c| c.is_ascii_lowercase()),
                "{}",
                a.id
            );
        }
    }

    #[test]
    fn every_operation_is_found_by_its_own_path() {
        for op in OPERATIONS {
            let concrete = op.path.replace("{id}", "42").replace("{period}", "2026-11");
            let (found, params) = find(op.method, &concrete).expect(op.id);
            assert_eq!(found.id, op.id);
            if op.path.contains("{id}") {
                assert_eq!(params.get("id"), Some("42"));
            }
        }
    }

    #[test]
    fn misses_say_not_found_or_which_methods() {
        assert_eq!(find(Method::Get, "/nope").err(), Some(Miss::NotFound));
        assert_eq!(
            find(Method::Get, "/session/extra").err(),
            Some(Miss::NotFound)
        );
        assert_eq!(
            find(Method::Put, "/session").err(),
            Some(Miss::MethodNotAllowed(vec![
                Method::Post,
                Method::Delete,
                Method::Get
            ]))
        );
        assert!(find(Method::Get, "//health/").is_ok());
    }
}
