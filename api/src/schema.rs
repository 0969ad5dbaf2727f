//! Each operation's request and response schemas, as the `operations!` declaration names them
//! (native only, behind the `openapi` feature): what `openapi.rs` writes the document from.

use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;

pub(crate) struct SchemaRef {
    pub(crate) name: String,
    pub(crate) all: Vec<(String, RefOr<Schema>)>,
}

pub(crate) struct OperationSchemas {
    pub id: &'static str,
    pub request: Option<SchemaRef>,
    pub response: Option<SchemaRef>,
}

pub(crate) fn schema_of<T: utoipa::ToSchema>() -> SchemaRef {
    let mut all = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut all);
    SchemaRef {
        name: T::name().into_owned(),
        all,
    }
}
