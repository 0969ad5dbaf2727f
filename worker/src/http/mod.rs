//! Request plumbing every handler shares: who is calling (`session`), the request and its path
//! (`call`), reading bodies (`body`) and writing answers (`reply`). Nothing here knows a
//! resource; features import it, never the other way round.

mod body;
mod call;
mod reply;
mod report_query;
mod session;

pub use body::{body_of, read_json, MAX_BODY_BYTES};
pub use call::Call;
pub use reply::{csv_response, csv_row, iso, json, openapi, respond, wire_points};
pub use report_query::{months, wants_csv, Months};
pub use session::{authenticate, confirmed, trusted, Session};
