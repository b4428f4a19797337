//! Organisations: who may create and edit them, and the upkeep an edit needs (their names are
//! indexed with every record they publish).
//!
//! A write is two steps so that the front ends keep their order of answers — permission first,
//! then the submitted body: `begin_*` checks who may do it and returns a permit, the permit's
//! `save` validates and writes.

use duijie_domain::organisation::OrgRaw;
use duijie_domain::{Actor, OrgInput};
use duijie_store::Audit;

use crate::{App, AppError, Caller};

/// Staff, or a member of the organisation: may edit it.
pub fn may_edit(caller: &Caller, id: i64) -> bool {
    Actor::may_edit(caller.actor().as_ref(), id)
}

/// Permission to create an organisation (staff only).
pub struct Create {
    audit: Audit,
}

pub fn begin_create(caller: &Caller) -> Result<Create, AppError> {
    caller.require_user()?;
    if !caller.is_staff() {
        return Err(AppError::Forbidden);
    }
    Ok(Create {
        audit: caller.audit()?,
    })
}

impl Create {
    pub async fn save(self, app: &App, raw: &OrgRaw) -> Result<i64, AppError> {
        let input = OrgInput::parse(raw)?;
        Ok(app.store.create_organisation(&self.audit, &input).await?)
    }
}

/// Permission to edit organisation `id`.
pub struct Update {
    id: i64,
    audit: Audit,
}

pub async fn begin_update(app: &App, caller: &Caller, id: i64) -> Result<Update, AppError> {
    caller.require_user()?;
    app.store.organisation(id).await?;
    if !may_edit(caller, id) {
        return Err(AppError::Forbidden);
    }
    Ok(Update {
        id,
        audit: caller.audit()?,
    })
}

impl Update {
    /// Validate and write; the organisation's records are re-indexed under its new names.
    pub async fn save(self, app: &App, raw: &OrgRaw) -> Result<(), AppError> {
        let input = OrgInput::parse(raw)?;
        app.store
            .update_organisation(&self.audit, self.id, &input)
            .await?;
        if let Err(e) = crate::indexer::refresh_organisation(app, self.id).await {
            // The followers re-index from the audit log within a poll; say so, fail nothing.
            tracing::warn!(error = %e, org = self.id, "re-indexing an organisation's records failed");
        }
        Ok(())
    }
}

/// A page of organisations matching `filter` (organisations are public; contacts are shown to
/// signed-in users by the views).
pub async fn list(
    app: &App,
    filter: &duijie_store::organisation::OrgFilter,
    page: duijie_store::Page,
) -> Result<(Vec<duijie_store::organisation::OrgRow>, i64), AppError> {
    Ok(app.store.organisations(filter, page).await?)
}

/// One organisation.
pub async fn get(app: &App, id: i64) -> Result<duijie_store::organisation::OrgRow, AppError> {
    Ok(app.store.organisation(id).await?)
}

/// Every organisation (id, Chinese and English name) for staff, who choose whom a form is for;
/// nothing for others, who act for their own.
pub async fn choices(app: &App, caller: &Caller) -> Result<Vec<(i64, String, String)>, AppError> {
    if caller.is_staff() {
        Ok(app.store.organisation_names().await?)
    } else {
        Ok(Vec::new())
    }
}
