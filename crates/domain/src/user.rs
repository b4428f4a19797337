//! Users, their roles, and what each role may do with a record.

use crate::{FieldError, Label};

/// What a signed-in user is on the platform. A visitor is someone not signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the platform: everything.
    Admin,
    /// Government programme officer: reads and moderates all content.
    Officer,
    /// Member of an organisation: writes that organisation's content.
    Member,
    /// Expert reviewer: reads public content.
    Expert,
    /// Technology-contract registrar (技术合同登记机构): registers or refuses contracts.
    Registrar,
    /// Technology broker (技术经纪人): introduces organisations to each other and is credited
    /// on the dockings and contracts it brought about.
    Broker,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Officer,
        Role::Member,
        Role::Expert,
        Role::Registrar,
        Role::Broker,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Member => "member",
            Role::Expert => "expert",
            Role::Registrar => "registrar",
            Role::Broker => "broker",
        }
    }

    pub fn label(self) -> crate::Label {
        let (zh, en) = match self {
            Role::Admin => ("平台管理员", "Platform admin"),
            Role::Officer => ("项目主管（政府）", "Programme officer"),
            Role::Member => ("机构成员", "Organisation member"),
            Role::Expert => ("专家", "Expert"),
            Role::Registrar => ("技术合同登记员", "Contract registrar"),
            Role::Broker => ("技术经纪人", "Technology broker"),
        };
        crate::Label { zh, en }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.code() == s)
    }

    /// Platform staff see every record in full and may edit any of them.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Officer)
    }
}

/// A stored code read back (the store decodes rows with this).
impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(code: String) -> Result<Role, String> {
        Role::from_code(&code)
            .ok_or_else(|| format!("unknown role code \"{code}\" in the database"))
    }
}

/// Who is asking: enough to decide any permission question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub org_id: Option<i64>,
}

impl Actor {
    /// May this actor write a record owned by `owner_org`?
    pub fn may_edit(actor: Option<&Actor>, owner_org: i64) -> bool {
        match actor {
            Some(a) => a.role.is_staff() || (a.role == Role::Member && a.org_id == Some(owner_org)),
            None => false,
        }
    }

    /// May this actor read the confidential fields of a record owned by `owner_org`,
    /// given the organisations the owner has approved?
    pub fn may_read_confidential(actor: Option<&Actor>, owner_org: i64, approved: &[i64]) -> bool {
        match actor {
            Some(a) if a.role.is_staff() => true,
            Some(a) => a
                .org_id
                .is_some_and(|o| o == owner_org || approved.contains(&o)),
            None => false,
        }
    }

    /// May this actor create records on behalf of `org`?
    pub fn may_publish_for(actor: Option<&Actor>, org: i64) -> bool {
        Actor::may_edit(actor, org)
    }
}

/// An e-mail address, lower-cased; checked for shape only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, s: &str) -> Result<Email, FieldError> {
        let s = s.trim().to_lowercase();
        let ok = s.len() <= 120
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>');
        if ok {
            Ok(Email(s))
        } else {
            Err(FieldError::new(
                field,
                "invalid_email",
                format!("\"{s}\" is not an e-mail address"),
                format!("“{s}”不是有效的电子邮箱"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_edit_only_their_own_organisations_records() {
        let a = Actor {
            user_id: 1,
            role: Role::Member,
            org_id: Some(7),
        };
        assert!(Actor::may_edit(Some(&a), 7));
        assert!(!Actor::may_edit(Some(&a), 8));
        assert!(!Actor::may_edit(None, 7));
        let expert = Actor {
            user_id: 2,
            role: Role::Expert,
            org_id: Some(7),
        };
        assert!(!Actor::may_edit(Some(&expert), 7));
    }

    #[test]
    fn confidential_fields_are_for_owner_staff_and_approved_parties() {
        let b = Actor {
            user_id: 1,
            role: Role::Member,
            org_id: Some(8),
        };
        assert!(!Actor::may_read_confidential(Some(&b), 7, &[]));
        assert!(Actor::may_read_confidential(Some(&b), 7, &[8]));
        assert!(!Actor::may_read_confidential(None, 7, &[8]));
        let officer = Actor {
            user_id: 2,
            role: Role::Officer,
            org_id: None,
        };
        assert!(Actor::may_read_confidential(Some(&officer), 7, &[]));
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            Email::parse("email", " Li@Example.CN ").map(|e| e.0),
            Ok("li@example.cn".into())
        );
        assert!(Email::parse("email", "li@localhost").is_err());
        assert!(Email::parse("email", "<script>@x.cn").is_err());
    }
}

crate::values::vocabulary! {
    /// What an API token may do: read everything its user may read, or also write as its user.
    TokenScope, "token scope", "令牌权限" {
        Read = "read", "只读", "Read";
        Write = "write", "读写", "Read and write";
    }
}

/// How long a new API token is valid, in days, when its creator does not say.
pub const TOKEN_DAYS_DEFAULT: i64 = 90;
/// The longest validity a token may be given, in days.
pub const TOKEN_DAYS_MAX: i64 = 365;

/// When a token made at `from` and valid for `days` expires, as the store keeps instants
/// (RFC 3339, UTC, to the second).
pub fn token_expires<Tz: chrono::TimeZone>(from: chrono::DateTime<Tz>, days: i64) -> String {
    (from.with_timezone(&chrono::Utc) + chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
