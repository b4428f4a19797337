//! The demo data set: Beijing-Tianjin-Hebei organisations, scenarios and achievements (CSV files
//! embedded in the binary, loaded through the same import path as any file) and demo accounts.

use anyhow::{Context, Result};
use duijie_domain::password::Password;
use duijie_domain::{Email, Role};
use duijie_store::{Audit, Store};

use crate::cli::Kind;
use crate::transfer::{import_table, org_id_by_key};

const ORGANISATIONS: &str = include_str!("../../../demo/organisations.csv");
pub(crate) const SCENARIOS: &str = include_str!("../../../demo/scenarios.csv");
pub(crate) const ACHIEVEMENTS: &str = include_str!("../../../demo/achievements.csv");

/// Password of every demo account. Demo data only: change or remove these accounts in production.
pub const DEMO_PASSWORD: &str = "duijie-demo-2026";

/// Demo accounts: e-mail, name, role, organisation key.
const ACCOUNTS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin@duijie.demo", "平台管理员", Role::Admin, None),
    (
        "officer@duijie.demo",
        "河北省科技厅 王处长",
        Role::Officer,
        Some("hebei-std"),
    ),
    (
        "port@duijie.demo",
        "唐山港集团 李工",
        Role::Member,
        Some("tangshan-port"),
    ),
    (
        "lab@duijie.demo",
        "北航机器人研究所 张老师",
        Role::Member,
        Some("buaa-robotics"),
    ),
    ("expert@duijie.demo", "赵专家", Role::Expert, None),
];

/// Load (or refresh) the demo data; re-running it changes nothing that is already there.
pub async fn load(store: &Store) -> Result<()> {
    let audit = Audit::system("demo");
    for (kind, text) in [
        (Kind::Organisations, ORGANISATIONS),
        (Kind::Scenarios, SCENARIOS),
        (Kind::Achievements, ACHIEVEMENTS),
    ] {
        let table =
            duijie_tabular::read_csv(text.as_bytes()).with_context(|| format!("demo {kind:?}"))?;
        let rep = import_table(store, kind, &table, &audit)
            .await
            .with_context(|| format!("demo {kind:?}"))?;
        tracing::info!(
            ?kind,
            inserted = rep.inserted,
            updated = rep.updated,
            "demo data loaded"
        );
    }
    let hash = Password::parse("password", DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .hash();
    for (email, name, role, org) in ACCOUNTS {
        if store.user_for_login(email).await?.is_some() {
            continue;
        }
        let org_id = match org {
            Some(k) => Some(org_id_by_key(store, k).await?),
            None => None,
        };
        let email = Email::parse("email", email).map_err(|e| anyhow::anyhow!("{e}"))?;
        store
            .create_user(&audit, &email, &hash, name, *role, org_id)
            .await?;
    }
    Ok(())
}
