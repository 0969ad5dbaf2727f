//! Files on tickets (issue 23): uploaded from the ticket screen or a comment, or arrived by
//! mail; kept in R2 under a random key and streamed through the worker both ways, never held
//! whole in memory. Who may see the ticket may see its files; internal ones only staff.

use futures_util::StreamExt;
use pointdesk_api::attachments::{AttachmentDto, AttachmentListDto};
use pointdesk_api::problem::FieldError;
use pointdesk_api::routes::Op;
use pointdesk_api::tickets::PersonRefDto;
use pointdesk_domain::attachment::{admit, clean_name, disposition, FILE_MAX};
use pointdesk_domain::policy::Action;
use pointdesk_domain::sniff::{sniff, FileKind};
use worker::{Bucket, FixedLengthStream, HttpMetadata, Response};

use super::load::load;
use crate::db::{AttachmentRow, Belongs, Db, NewAttachment};
use crate::error::{AppError, AppResult};
use crate::http::{json, Call, Session};

/// The R2 bucket files are kept in.
pub fn bucket(env: &worker::Env) -> AppResult<Bucket> {
    env.bucket("FILES")
        .map_err(|_| AppError::Internal("the FILES bucket is not bound".into()))
}

/// A new random object key under the ticket's prefix (128 bits; never derived from the name).
pub fn new_key(ticket: i64) -> AppResult<String> {
    Ok(format!(
        "t{ticket}/{}",
        hex::encode(crate::auth::random_bytes()?)
    ))
}

fn field(name: &str, code: &str) -> AppError {
    AppError::Fields(vec![FieldError::new(name, code)])
}

/// The four file operations.
pub async fn handle(op: Op, call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    match op {
        Op::uploadAttachment => upload(call, who).await,
        Op::getAttachment => get(call, who).await,
        Op::deleteAttachment => delete(call, who).await,
        _ => list(call, who).await,
    }
}

/// What `uploadAttachment` reads from its query.
struct Upload {
    name: String,
    internal: bool,
    comment: Option<i64>,
}

fn upload_query(call: &Call<'_>) -> AppResult<Upload> {
    let url = call.req.url()?;
    let (mut name, mut internal, mut comment, mut errors) = (None, false, None, Vec::new());
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "name" => name = clean_name(&v.chars().take(255).collect::<String>()),
            "internal" => match v.as_ref() {
                "true" => internal = true,
                "false" => internal = false,
                _ => errors.push(FieldError::new("internal", "invalid")),
            },
            "comment" => match v.parse::<i64>() {
                Ok(c) if c > 0 => comment = Some(c),
                _ => errors.push(FieldError::new("comment", "invalid")),
            },
            _ => errors.push(FieldError::new(k.as_ref(), "unknown")),
        }
    }
    if name.is_none() {
        errors.push(FieldError::new("name", "required"));
    }
    match (errors.is_empty(), name) {
        (true, Some(name)) => Ok(Upload {
            name,
            internal,
            comment,
        }),
        _ => Err(AppError::Fields(errors)),
    }
}

/// `uploadAttachment`: the body is the file. Its length is declared up front and checked
/// against the limits before a byte is stored; its first bytes say its type.
async fn upload(call: &mut Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let q = upload_query(call)?;
    let length = call
        .req
        .headers()
        .get("content-length")?
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| field("file", "length_required"))?;
    admit(length, 0, 0).map_err(|r| field("file", r.code()))?;
    let db = call.db()?;
    let l = load(&db, who, id, Action::Comment).await?;
    let staff = !who.actor.role.is_client();
    if q.internal {
        who.may(Action::CommentInternal, Some(l.row.org_id))?;
    }
    let mut internal = q.internal;
    if let Some(c) = q.comment {
        match db.comment_of(id, c).await? {
            None => return Err(field("comment", "unknown")),
            Some(true) if !staff => return Err(field("comment", "unknown")),
            Some(of_internal) => internal |= of_internal,
        }
    }
    let kept = db.kept(id).await?;
    let (files, bytes) = (
        u64::try_from(kept.files).unwrap_or(0),
        u64::try_from(kept.bytes).unwrap_or(0),
    );
    admit(length, files, bytes).map_err(|r| field("file", r.code()))?;
    let mut stream = call.req.stream()?;
    let mut head = Vec::new();
    while head.len() < 512 {
        match stream.next().await {
            Some(chunk) => head.extend(chunk?),
            None => break,
        }
    }
    let kind = sniff(&head);
    let key = new_key(id)?;
    let body = futures_util::stream::once(async move { Ok(head) }).chain(stream);
    let stored = bucket(call.env)?
        .put(&key, FixedLengthStream::wrap(body, length))
        .http_metadata(metadata(kind))
        .execute()
        .await;
    if stored.is_err() {
        // The body was shorter or longer than it said.
        return Err(field("file", "length_mismatch"));
    }
    let file = NewAttachment {
        ticket_id: id,
        uploaded_by: who.user.id,
        via: "app",
        key: &key,
        name: &q.name,
        content_type: kind.mime(),
        size: i64::try_from(length).unwrap_or(i64::MAX),
        internal,
    };
    let belongs = q.comment.map_or(Belongs::Ticket, Belongs::Comment);
    let written = db
        .batch(vec![db.insert_attachment(
            &file,
            belongs,
            call.now.unix(),
        )?])
        .await?;
    let Some(row) = db
        .attachment_by_key(&key)
        .await?
        .filter(|_| written[0] == 1)
    else {
        // Another upload took the ticket's last place meanwhile.
        bucket(call.env)?.delete(&key).await?;
        return Err(field("file", "ticket_full"));
    };
    let dto = dto(&row, who);
    Ok(json(&dto)?.with_status(201))
}

fn metadata(kind: FileKind) -> HttpMetadata {
    HttpMetadata {
        content_type: Some(kind.mime().to_owned()),
        ..HttpMetadata::default()
    }
}

/// `listAttachments`.
async fn list(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let id = call.id()?;
    let db = call.db()?;
    load(&db, who, id, Action::ViewTickets).await?;
    let rows = db.attachments(id, !who.actor.role.is_client()).await?;
    let dto = AttachmentListDto {
        items: rows.iter().map(|r| dto(r, who)).collect(),
        max_file_bytes: i64::try_from(FILE_MAX).unwrap_or(i64::MAX),
    };
    json(&dto)
}

/// The file a path names, as the caller may see it (another tenant's, a deleted one and, for a
/// client, an internal one are all 404).
async fn find(db: &Db, call: &Call<'_>, who: &Session, action: Action) -> AppResult<AttachmentRow> {
    let id = call.id()?;
    let file = call
        .params
        .get("attachment")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| *v > 0)
        .ok_or(AppError::NotFound)?;
    load(db, who, id, action).await?;
    db.attachment(id, file, !who.actor.role.is_client())
        .await?
        .ok_or(AppError::NotFound)
}

/// `getAttachment`: streamed from R2; images inline, anything else a download, never sniffed.
async fn get(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    let row = find(&db, call, who, Action::ViewTickets).await?;
    let object = bucket(call.env)?
        .get(&row.r2_key)
        .execute()
        .await?
        .ok_or(AppError::NotFound)?;
    let body = object.body().ok_or(AppError::NotFound)?.response_body()?;
    let mut resp = Response::from_body(body)?;
    let inline = row.content_type.starts_with("image/") && row.content_type != "image/heic";
    let headers = resp.headers_mut();
    headers.set("content-type", &row.content_type)?;
    headers.set("content-length", &row.size.to_string())?;
    headers.set("content-disposition", &disposition(&row.name, inline))?;
    headers.set("cache-control", "private, max-age=86400, immutable")?;
    // Whatever a file holds, it runs nothing when opened from here.
    headers.set(
        "content-security-policy",
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    )?;
    Ok(resp)
}

/// `deleteAttachment`: its uploader or provider staff; the row stays (who deleted it, when),
/// the bytes go.
async fn delete(call: &Call<'_>, who: &Session) -> AppResult<Response> {
    let db = call.db()?;
    let row = find(&db, call, who, Action::ViewTickets).await?;
    if !may_delete(&row, who) {
        return Err(AppError::Forbidden);
    }
    db.batch(vec![db.delete_attachment(
        row.id,
        who.user.id,
        call.now.unix(),
    )?])
    .await?;
    bucket(call.env)?.delete(&row.r2_key).await?;
    Ok(Response::empty()?.with_status(204))
}

fn may_delete(row: &AttachmentRow, who: &Session) -> bool {
    !who.actor.role.is_client() || row.uploaded_by == who.user.id
}

fn dto(r: &AttachmentRow, who: &Session) -> AttachmentDto {
    AttachmentDto {
        id: r.id,
        ticket_id: r.ticket_id,
        name: r.name.clone(),
        content_type: r.content_type.clone(),
        size: r.size,
        image: matches!(
            r.content_type.as_str(),
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
        ),
        internal: r.internal == 1,
        via: r.via.clone(),
        comment_id: r.comment_id,
        uploaded_by: PersonRefDto {
            id: r.uploaded_by,
            name: r.uploader.clone(),
        },
        created_at: r.created_at,
        url: format!(
            "{}/tickets/{}/attachments/{}",
            pointdesk_api::API_PREFIX,
            r.ticket_id,
            r.id
        ),
        may_delete: may_delete(r, who),
    }
}
