//! Organisations: who may create and edit them, and the upkeep an edit needs (their names are
//! indexed with every record they publish).
//!
//! A write is two steps so that the front ends keep their order of answers — permission first,
//! then the submitted body: `begin_*` checks who may do it and returns a permit, the permit's
//! `save` validates and writes.

use duijie_domain::organisation::OrgRaw;
use duijie_domain::{Actor, OrgInput};
use duijie_store::Audit;

use duijie_domain::docking::NoticeKind;
use duijie_store::notice::Recipient;

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

/// A page of organisations matching `filter` (organisations are public; contacts only within
/// the caller's [`ContactScope`]).
pub async fn list(
    app: &App,
    filter: &duijie_store::organisation::OrgFilter,
    page: duijie_store::Page,
) -> Result<(Vec<duijie_store::organisation::OrgRow>, i64), AppError> {
    Ok(app.store.organisations(filter, page).await?)
}

/// Whose contact persons the caller sees: staff all; a member its own organisation's and —
/// once its organisation is verified — those of organisations it has an accepted docking with;
/// nobody else any.
#[derive(Debug, Default)]
pub struct ContactScope {
    all: bool,
    orgs: Vec<i64>,
}

impl ContactScope {
    pub fn sees(&self, org: i64) -> bool {
        self.all || self.orgs.contains(&org)
    }
}

pub async fn contact_scope(app: &App, caller: &Caller) -> Result<ContactScope, AppError> {
    if caller.is_staff() {
        return Ok(ContactScope {
            all: true,
            orgs: Vec::new(),
        });
    }
    let Some(own) = caller.member_org() else {
        return Ok(ContactScope::default());
    };
    let mut orgs = vec![own];
    if app.store.organisation(own).await?.verified() {
        orgs.extend(app.store.docking_partners(own).await?);
    }
    Ok(ContactScope { all: false, orgs })
}

/// The ids of verified organisations (for the ✔ beside names on records and matches).
pub async fn verified_ids(app: &App) -> Result<Vec<i64>, AppError> {
    Ok(app.store.verified_organisation_ids().await?)
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

/// A member (or staff) gives the organisation's unified social credit code (`credit_code`);
/// the check character is verified and the organisation waits for a programme officer.
pub async fn submit_credit_code(
    app: &App,
    caller: &Caller,
    id: i64,
    form: &crate::FormData,
) -> Result<(), AppError> {
    let (user, _) = caller.require_user()?;
    let org = app.store.organisation(id).await?;
    if !may_edit(caller, id) {
        return Err(AppError::Forbidden);
    }
    let told: Vec<_> = app
        .store
        .users_with_roles(&[duijie_domain::Role::Officer.code()])
        .await?
        .into_iter()
        .map(|(officer, _)| {
            crate::notice::notice(
                Recipient::User(officer),
                NoticeKind::VerificationAsked,
                "organisation",
                id,
                (&org.name_zh, &org.name_en),
                "",
                Some(user.id),
            )
        })
        .collect();
    let code = duijie_domain::organisation::CreditCode::parse(
        "credit_code",
        form.get("credit_code").unwrap_or(""),
    )
    .map_err(|e| AppError::Invalid(duijie_domain::Invalid::one(e)))?;
    match app
        .store
        .set_credit_code(&caller.audit()?, id, code.as_str(), &told)
        .await
    {
        Err(duijie_store::StoreError::Conflict { .. }) => Err(crate::service::field_err(
            "credit_code",
            "is already registered for another organisation",
            "已被平台上另一家单位使用",
        )),
        Ok(()) => {
            crate::notice::deliver(app, &told).await;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// A programme officer verifies an organisation waiting for it (`action` = `verify`), or
/// refuses (`refuse`, with a `reason`).
pub async fn decide_verification(
    app: &App,
    caller: &Caller,
    id: i64,
    form: &crate::FormData,
) -> Result<(), AppError> {
    use duijie_domain::organisation::OrgVerification;
    let (user, _) = caller.require_user()?;
    if !caller.is_staff() {
        return Err(AppError::Forbidden);
    }
    let org = app.store.organisation(id).await?;
    let (to, reason) = match form.get("action").unwrap_or("") {
        "verify" => (OrgVerification::Verified, String::new()),
        "refuse" => (OrgVerification::Refused, form.text("reason", 500, true)?),
        _ => {
            return Err(crate::service::field_err(
                "action",
                "is verify or refuse",
                "须为通过或不通过",
            ))
        }
    };
    let told = [crate::notice::notice(
        Recipient::Org(id),
        if to == OrgVerification::Verified {
            NoticeKind::OrgVerified
        } else {
            NoticeKind::OrgRefused
        },
        "organisation",
        id,
        (&org.name_zh, &org.name_en),
        &reason,
        Some(user.id),
    )];
    app.store
        .decide_verification(&caller.audit()?, id, to, &reason, &told)
        .await?;
    crate::notice::deliver(app, &told).await;
    Ok(())
}

/// Organisations waiting for verification (staff only; nothing for others).
pub async fn to_verify(
    app: &App,
    caller: &Caller,
) -> Result<Vec<duijie_store::organisation::OrgRow>, AppError> {
    if !caller.is_staff() {
        return Ok(Vec::new());
    }
    Ok(app.store.organisations_to_verify().await?)
}

/// The caller's organisation is verified: only then does a member send docking requests, see
/// the other side's contact or record contracts. Staff act for the platform and need none.
pub async fn require_verified(app: &App, caller: &Caller) -> Result<(), AppError> {
    if caller.is_staff() {
        return Ok(());
    }
    let Some(org) = caller.member_org() else {
        return Err(AppError::Forbidden);
    };
    if app.store.organisation(org).await?.verified() {
        Ok(())
    } else {
        Err(crate::service::field_err(
            "organisation",
            "your organisation is not verified yet: give its unified social credit code on its page, and a programme officer verifies it",
            "本单位尚未认证：请在单位页面填写统一社会信用代码，经项目主管审核通过后即可发起对接和登记合同",
        ))
    }
}
