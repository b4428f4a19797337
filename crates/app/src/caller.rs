//! Who is acting: the signed-in user (or nobody), the language they read, and whether they came
//! with an API token. Every use case takes one and decides from it what the caller may do.

use duijie_domain::{Actor, Role};
use duijie_store::user::{TokenUse, UserRow};
use duijie_store::Audit;

use crate::AppError;

/// The person (or script) a use case acts for.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user: Option<UserRow>,
    /// `"zh"` or `"en"`.
    pub lang: &'static str,
    /// The API token the request came with (rather than a browser session).
    pub token: Option<TokenUse>,
}

impl Caller {
    /// Nobody signed in, reading in `lang`.
    pub fn visitor(lang: &'static str) -> Caller {
        Caller {
            user: None,
            lang,
            token: None,
        }
    }

    /// Signed in with an API token rather than a browser session.
    pub fn via_token(&self) -> bool {
        self.token.is_some()
    }

    /// The signed-in user as an `Actor` for permission checks.
    pub fn actor(&self) -> Option<Actor> {
        let u = self.user.as_ref()?;
        Some(Actor {
            user_id: u.id,
            role: u.role,
            org_id: u.org_id,
        })
    }

    pub fn role(&self) -> Option<Role> {
        self.actor().map(|a| a.role)
    }

    /// The signed-in user, or `Unauthorized`.
    pub fn require_user(&self) -> Result<(&UserRow, Actor), AppError> {
        match (&self.user, self.actor()) {
            (Some(u), Some(a)) => Ok((u, a)),
            _ => Err(AppError::Unauthorized),
        }
    }

    /// Audit identity of the signed-in user.
    pub fn audit(&self) -> Result<Audit, AppError> {
        let (u, _) = self.require_user()?;
        Ok(Audit::user(u.id, &u.email).through_token(self.token.map(|t| t.id)))
    }

    pub fn is_staff(&self) -> bool {
        self.role().is_some_and(Role::is_staff)
    }

    /// The organisation a signed-in member acts for (staff have none: they act for all).
    pub fn member_org(&self) -> Option<i64> {
        self.actor()
            .filter(|a| a.role == Role::Member)
            .and_then(|a| a.org_id)
    }

    /// Staff, or a member of `org_id`: may act for that organisation.
    pub fn acts_for(&self, org_id: i64) -> bool {
        Actor::may_edit(self.actor().as_ref(), org_id)
    }
}
