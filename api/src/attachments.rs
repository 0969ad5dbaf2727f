//! Files on tickets (issue 23): what `listAttachments` and `uploadAttachment` answer. The bytes
//! themselves travel raw: the upload's body is the file, `getAttachment` streams it back.

use serde::{Deserialize, Serialize};

use crate::tickets::PersonRefDto;

/// One file on a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentDto {
    pub id: i64,
    pub ticket_id: i64,
    /// The name it was uploaded or mailed under (cleaned: no path, at most 120 characters).
    pub name: String,
    /// The type read from its content, not from its name.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// The page may show it (PNG, JPEG, GIF, WebP); anything else downloads.
    pub image: bool,
    /// Only provider staff see it.
    pub internal: bool,
    /// `app` or `mail`.
    pub via: String,
    /// The comment it came with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<i64>,
    pub uploaded_by: PersonRefDto,
    /// Unix seconds.
    pub created_at: i64,
    /// Where `getAttachment` serves it.
    pub url: String,
    /// The caller may delete it (its uploader, or provider staff).
    pub may_delete: bool,
}

/// A ticket's files, oldest first, with what is left of its limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentListDto {
    pub items: Vec<AttachmentDto>,
    /// The largest file one upload may be, in bytes.
    pub max_file_bytes: i64,
}
