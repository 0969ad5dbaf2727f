//! Request plumbing every handler shares: who is calling (`session`), the request and its path
//! (`call`), reading bodies (`body`) and writing answers (`reply`). Nothing here knows a
//! resource; features import it, never the other way round.

mod body;
mod call;
mod csv;
mod reply;
mod report_query;
mod session;

pub use body::{body_of, read_json, MAX_BODY_BYTES};
pub use call::{public_origin, Call};
pub use csv::Csv;
pub use reply::{iso, json, openapi, respond, wire_points};
pub use report_query::{csv_locale, months, wants_csv, wants_html, Months};
pub use session::{authenticate, confirmed, trusted, Session};
