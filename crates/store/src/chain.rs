//! Industrial chains as trees of links, and what is placed on each link (organisations,
//! scenarios, achievements).

use serde::Serialize;
use sqlx::FromRow;

use crate::{Audit, Result, Store, StoreError};

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct LinkRow {
    pub id: i64,
    pub chain: String,
    pub parent_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub position: duijie_domain::ChainPosition,
    pub name_zh: String,
    pub name_en: String,
    pub keywords: String,
}

#[derive(Debug, Clone)]
pub struct LinkInput {
    pub chain: String,
    pub parent_id: Option<i64>,
    pub position: duijie_domain::ChainPosition,
    pub name_zh: String,
    pub name_en: String,
    pub keywords: String,
}

/// A placement with what is needed to count and show it.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct PlaceRow {
    pub id: i64,
    pub link_id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub title_zh: String,
    pub title_en: String,
    /// The region of the organisation (or of the record's owner).
    pub region: String,
    /// The kind of that organisation (only enterprises count as a chain's Hebei enterprises).
    pub org_kind: String,
}

impl Store {
    pub async fn chain_links(&self, chain: &str) -> Result<Vec<LinkRow>> {
        Ok(sqlx::query_as(
            "SELECT id, chain, parent_id, position, name_zh, name_en, keywords FROM chain_link \
             WHERE chain = $1 ORDER BY id",
        )
        .bind(chain)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn chain_link(&self, id: i64) -> Result<LinkRow> {
        sqlx::query_as(
            "SELECT id, chain, parent_id, position, name_zh, name_en, keywords FROM chain_link WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    /// Chains that have a tree, with their number of links.
    pub async fn chains_with_links(&self) -> Result<Vec<(String, i64)>> {
        Ok(
            sqlx::query_as("SELECT chain, COUNT(*) FROM chain_link GROUP BY chain ORDER BY chain")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn add_chain_link(&self, audit: &Audit, l: &LinkInput) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        if let Some(parent) = l.parent_id {
            let found: Option<(String,)> =
                sqlx::query_as("SELECT chain FROM chain_link WHERE id = $1")
                    .bind(parent)
                    .fetch_optional(&mut *tx)
                    .await?;
            if found.map(|f| f.0) != Some(l.chain.clone()) {
                return Err(StoreError::NotFound);
            }
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO chain_link (chain, parent_id, position, name_zh, name_en, keywords) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(l.chain.as_str())
        .bind(l.parent_id)
        .bind(l.position.code())
        .bind(l.name_zh.as_str())
        .bind(l.name_en.as_str())
        .bind(l.keywords.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let detail =
            serde_json::json!({ "chain": l.chain, "parent_id": l.parent_id, "name_zh": l.name_zh });
        audit
            .record(&mut tx, "create", "chain_link", Some(id), detail)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Place a record on a link (placing it twice changes nothing).
    pub async fn place(
        &self,
        audit: &Audit,
        link_id: i64,
        entity: &str,
        entity_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let table = match entity {
            "organisation" => "organisation",
            "scenario" => "scenario",
            "achievement" => "achievement",
            _ => return Err(StoreError::NotFound),
        };
        let exists: Option<(i64,)> =
            sqlx::query_as(&format!("SELECT id FROM {table} WHERE id = $1"))
                .bind(entity_id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "DELETE FROM chain_place WHERE link_id = $1 AND entity = $2 AND entity_id = $3",
        )
        .bind(link_id)
        .bind(entity)
        .bind(entity_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO chain_place (link_id, entity, entity_id) VALUES ($1, $2, $3)")
            .bind(link_id)
            .bind(entity)
            .bind(entity_id)
            .execute(&mut *tx)
            .await?;
        let detail =
            serde_json::json!({ "link_id": link_id, "entity": entity, "entity_id": entity_id });
        audit
            .record(&mut tx, "place", "chain_link", Some(link_id), detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everything placed on the chain's links, with titles and regions (only published
    /// scenarios and achievements).
    pub async fn chain_places(&self, chain: &str) -> Result<Vec<PlaceRow>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.link_id, c.entity, c.entity_id, o.name_zh AS title_zh, o.name_en AS title_en, \
               o.region, o.kind AS org_kind FROM chain_place c JOIN chain_link l ON l.id = c.link_id \
               JOIN organisation o ON o.id = c.entity_id WHERE l.chain = $1 AND c.entity = 'organisation' \
             UNION ALL \
             SELECT c.id, c.link_id, c.entity, c.entity_id, s.title_zh, s.title_en, o.region, o.kind \
               FROM chain_place c JOIN chain_link l ON l.id = c.link_id JOIN scenario s ON s.id = c.entity_id \
               JOIN organisation o ON o.id = s.org_id WHERE l.chain = $1 AND c.entity = 'scenario' \
               AND s.status <> 'draft' \
             UNION ALL \
             SELECT c.id, c.link_id, c.entity, c.entity_id, a.title_zh, a.title_en, o.region, o.kind \
               FROM chain_place c JOIN chain_link l ON l.id = c.link_id JOIN achievement a ON a.id = c.entity_id \
               JOIN organisation o ON o.id = a.org_id WHERE l.chain = $1 AND c.entity = 'achievement' \
               AND a.status <> 'draft' \
             ORDER BY 2, 3, 1",
        )
        .bind(chain)
        .fetch_all(&self.pool)
        .await?)
    }
}
