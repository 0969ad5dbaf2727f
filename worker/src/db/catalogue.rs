//! The provider's service catalogue in D1.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{int, opt, text, Db};
use crate::error::AppResult;

#[derive(Clone, Debug, Deserialize)]
pub struct CatalogueRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub estimate: Option<i64>,
    pub active: i64,
}

pub struct CatalogueColumns<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub kind: &'a str,
    pub estimate: Option<i64>,
    pub active: bool,
}

impl Db {
    pub async fn catalogue(
        &self,
        provider: i64,
        active_only: bool,
    ) -> AppResult<Vec<CatalogueRow>> {
        self.all(
            "SELECT id, name, description, kind, estimate, active FROM catalogue_items \
             WHERE provider_id = ?1 AND (active = 1 OR ?2 = 0) ORDER BY kind DESC, name",
            &[int(provider), int(i64::from(active_only))],
        )
        .await
    }

    pub async fn catalogue_item(&self, provider: i64, id: i64) -> AppResult<Option<CatalogueRow>> {
        self.first(
            "SELECT id, name, description, kind, estimate, active FROM catalogue_items \
             WHERE provider_id = ?1 AND id = ?2",
            &[int(provider), int(id)],
        )
        .await
    }

    pub fn insert_catalogue_item(
        &self,
        provider: i64,
        c: &CatalogueColumns<'_>,
        now: i64,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "INSERT INTO catalogue_items (provider_id, name, description, kind, estimate, active, \
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &[
                int(provider),
                text(c.name),
                text(c.description),
                text(c.kind),
                opt(c.estimate),
                int(i64::from(c.active)),
                int(now),
            ],
        )
    }

    pub fn update_catalogue_item(
        &self,
        provider: i64,
        id: i64,
        c: &CatalogueColumns<'_>,
    ) -> AppResult<D1PreparedStatement> {
        self.statement(
            "UPDATE catalogue_items SET name = ?3, description = ?4, kind = ?5, estimate = ?6, \
             active = ?7 WHERE provider_id = ?1 AND id = ?2",
            &[
                int(provider),
                int(id),
                text(c.name),
                text(c.description),
                text(c.kind),
                opt(c.estimate),
                int(i64::from(c.active)),
            ],
        )
    }

    pub async fn catalogue_by_name(
        &self,
        provider: i64,
        name: &str,
    ) -> AppResult<Option<CatalogueRow>> {
        self.first(
            "SELECT id, name, description, kind, estimate, active FROM catalogue_items \
             WHERE provider_id = ?1 AND name = ?2",
            &[int(provider), text(name)],
        )
        .await
    }
}
