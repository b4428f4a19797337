//! The demo data set: Beijing-Tianjin-Hebei organisations, scenarios and achievements (CSV files
//! embedded in the binary, loaded through the same import path as any file) and demo accounts.

use anyhow::{Context, Result};
use duijie_domain::gathering::MeetingRequestStatus;
use duijie_domain::password::Password;
use duijie_domain::pipeline::{CaseStage, DealStatus, RequestStatus};
use duijie_domain::{Email, Role, Vocabulary};
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
    (
        "registrar@duijie.demo",
        "河北省技术合同登记处 刘老师",
        Role::Registrar,
        Some("hebei-std"),
    ),
    (
        "broker@duijie.demo",
        "技术经纪人 陈经理",
        Role::Broker,
        None,
    ),
    (
        "broker2@duijie.demo",
        "技术经纪人 何经理",
        Role::Broker,
        None,
    ),
    (
        "pilot@duijie.demo",
        "河北省中试熟化基地 陈工",
        Role::Member,
        Some("hb-pilot"),
    ),
    (
        "robot@duijie.demo",
        "天津智巡机器人 王总",
        Role::Member,
        Some("tj-robot"),
    ),
    (
        "expert2@duijie.demo",
        "钱专家",
        Role::Expert,
        Some("bit-ai"),
    ),
    (
        "expert3@duijie.demo",
        "孙专家",
        Role::Expert,
        Some("ustb-metal"),
    ),
    (
        "expert4@duijie.demo",
        "李专家",
        Role::Expert,
        Some("cas-space"),
    ),
    (
        "expert5@duijie.demo",
        "周专家",
        Role::Expert,
        Some("tju-chem"),
    ),
];

/// Expert profiles: e-mail, fields, collaborators (for conflict checks), maximum reviews.
const EXPERTS: &[(&str, &str, &str, i64)] = &[
    (
        "expert@duijie.demo",
        "机器人 巡检 视觉 定位 导航 robot inspection vision",
        "",
        6,
    ),
    (
        "expert2@duijie.demo",
        "人工智能 计算机视觉 故障诊断 深度学习 AI diagnosis",
        "",
        6,
    ),
    (
        "expert3@duijie.demo",
        "冶金 钢铁 设备 振动 监测 steel vibration monitoring",
        "北京航空航天大学机器人研究所",
        6,
    ),
    (
        "expert4@duijie.demo",
        "遥感 激光雷达 定位 导航 SLAM lidar positioning",
        "",
        6,
    ),
    (
        "expert5@duijie.demo",
        "化工 膜分离 过程工程 chemical membranes",
        "",
        6,
    ),
];

/// Load the demo data; re-running it changes nothing that is already there: a demo record
/// whose key is stored (perhaps edited since) is left as it is, only missing ones are added.
pub async fn load(store: &Store) -> Result<()> {
    let audit = Audit::system("demo");
    for (kind, text) in [
        (Kind::Organisations, ORGANISATIONS),
        (Kind::Scenarios, SCENARIOS),
        (Kind::Achievements, ACHIEVEMENTS),
    ] {
        let mut table = duijie_tabular::read_csv(text.as_bytes(), &crate::transfer::IMPORT_LIMITS)
            .with_context(|| format!("demo {kind:?}"))?;
        let stored = crate::transfer::stored_keys(store, kind).await?;
        let key = table.headers.iter().position(|h| h == "key").unwrap_or(0);
        table
            .rows
            .retain(|r| !r.get(key).is_some_and(|k| stored.contains(k)));
        if table.rows.is_empty() {
            continue;
        }
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
    let profiled: Vec<i64> = store
        .experts()
        .await?
        .iter()
        .filter(|e| !e.fields.is_empty())
        .map(|e| e.user_id)
        .collect();
    for (email, fields, collaborators, load) in EXPERTS {
        if let Some((user, _)) = store
            .user_for_login(email)
            .await?
            .filter(|(u, _)| !profiled.contains(&u.id))
        {
            store
                .set_expert_profile(&audit, user.id, fields, collaborators, *load)
                .await?;
        }
    }
    if store.challenges().await?.is_empty() {
        challenge(store, &audit).await?;
    }
    if store.gatherings().await?.is_empty() {
        gathering(store, &audit).await?;
    }
    let port = org_id_by_key(store, "tangshan-port").await?;
    if store.rnd_years(port).await?.is_empty() {
        rnd(store, &audit, port).await?;
    }
    if store.platforms().await?.is_empty() {
        pipeline(store, &audit).await?;
    }
    if store.schemes().await?.is_empty() {
        vouchers(store, &audit).await?;
    }
    verify(store, &audit).await?;
    if store.dockings(None).await?.is_empty() {
        dockings(store, &audit).await?;
    }
    if store
        .contracts(&duijie_store::contract::ContractFilter::default())
        .await?
        .is_empty()
    {
        contracts(store, &audit).await?;
    }
    Ok(())
}

/// Every demo organisation without a credit code gets a (made-up, check-character-correct)
/// one and is verified, so that the demo's members can dock and sign at once.
async fn verify(store: &Store, audit: &Audit) -> Result<()> {
    use duijie_domain::organisation::{CreditCode, OrgVerification};
    for o in store.all_organisations().await? {
        if o.credit_code.is_some() {
            continue;
        }
        let body = format!("9113{:013}", 8_600_000_000 + o.id);
        let check = CreditCode::check_char(&body).context("demo credit code")?;
        store
            .set_credit_code(audit, o.id, &format!("{body}{check}"), &[])
            .await?;
        store
            .decide_verification(audit, o.id, OrgVerification::Verified, "", &[])
            .await?;
    }
    Ok(())
}

/// A notice of a demo docking's step, as the platform would have written it.
fn told(
    to: duijie_store::notice::Recipient,
    kind: duijie_domain::docking::NoticeKind,
    id: i64,
    title: (&str, &str),
    reason: &str,
    actor: i64,
) -> duijie_store::notice::NoticeInput {
    duijie_store::notice::NoticeInput {
        to,
        kind,
        subject: "docking",
        subject_id: id,
        title: title.0.to_string(),
        title_en: title.1.to_string(),
        reason: reason.to_string(),
        actor_id: Some(actor),
    }
}

/// Dockings in every stage between Beijing and Tianjin suppliers and Hebei demand, each step
/// with the notice it would have sent; and two brokers' introductions (one waiting for the
/// scenario's owner, one accepted by both and signed).
async fn dockings(store: &Store, audit: &Audit) -> Result<()> {
    use duijie_domain::docking::{DockingStage, DockingWant, NoticeKind};
    use duijie_store::docking::DockingInput;
    use duijie_store::listing::ListFilter;
    use duijie_store::notice::Recipient;
    use DockingStage::*;
    let scenarios = store
        .scenarios(&ListFilter::new(duijie_store::Viewer::All), None)
        .await?
        .0;
    let user_of = |email: &'static str| async move {
        store
            .user_for_login(email)
            .await?
            .map(|(u, _)| u.id)
            .with_context(|| format!("demo user {email}"))
    };
    let lab = org_id_by_key(store, "buaa-robotics").await?;
    let robot = org_id_by_key(store, "tj-robot").await?;
    let (lab_user, robot_user) = (
        user_of("lab@duijie.demo").await?,
        user_of("robot@duijie.demo").await?,
    );
    let port_user = user_of("port@duijie.demo").await?;
    // (requester, its user, scenario key, want, message, stages it went through)
    type Planned<'a> = (i64, i64, &'a str, DockingWant, &'a str, &'a [DockingStage]);
    let plan: &[Planned] = &[
        (
            lab,
            lab_user,
            "scn-demo-002",
            DockingWant::Pilot,
            "我所轨道巡检机器人可在贵单位现场中试，请安排踏勘。",
            &[],
        ),
        (
            robot,
            robot_user,
            "scn-demo-001",
            DockingWant::JointDevelopment,
            "天津智巡愿与贵港联合开发皮带机巡检机器人。",
            &[Negotiating],
        ),
        (
            lab,
            lab_user,
            "scn-demo-003",
            DockingWant::Licence,
            "愿以专利许可方式提供视觉检测算法。",
            &[Negotiating, Pilot],
        ),
        (
            robot,
            robot_user,
            "scn-demo-004",
            DockingWant::Service,
            "可提供巡检运维技术服务。",
            &[Negotiating, Signed],
        ),
        (
            lab,
            lab_user,
            "scn-demo-005",
            DockingWant::Transfer,
            "拟转让相关专利。",
            &[Negotiating, Signed, Landed],
        ),
        (
            robot,
            robot_user,
            "scn-demo-006",
            DockingWant::Other,
            "了解需求详情。",
            &[Declined],
        ),
        (
            lab,
            lab_user,
            "scn-demo-007",
            DockingWant::JointDevelopment,
            "联合申报并开发。",
            &[Negotiating, Terminated],
        ),
    ];
    for (from, user, key, want, message, moves) in plan {
        let Some(s) = scenarios.iter().find(|s| s.key.as_deref() == Some(*key)) else {
            continue;
        };
        if s.org_id == *from {
            continue;
        }
        let title = (s.title_zh.as_str(), s.title_en.as_str());
        let id = store
            .create_docking(
                audit,
                *user,
                &DockingInput {
                    from_org_id: *from,
                    to_org_id: s.org_id,
                    about_kind: "scenario",
                    about_id: s.id,
                    own: None,
                    want: *want,
                    message: message.to_string(),
                    broker_user_id: None,
                },
                |id| {
                    vec![told(
                        Recipient::Org(s.org_id),
                        NoticeKind::DockingRequested,
                        id,
                        title,
                        "",
                        *user,
                    )]
                },
            )
            .await?;
        let mut at = Requested;
        for to in *moves {
            let (who, reason, other, kind) = match to {
                Declined => (
                    port_user,
                    "需求已由内部团队承担",
                    *from,
                    NoticeKind::DockingDeclined,
                ),
                Negotiating => (port_user, "", *from, NoticeKind::DockingAccepted),
                Terminated => (*user, "双方预算未谈拢", s.org_id, NoticeKind::DockingMoved),
                _ => (*user, "", s.org_id, NoticeKind::DockingMoved),
            };
            let n = [told(Recipient::Org(other), kind, id, title, reason, who)];
            store
                .move_docking(audit, who, id, at, *to, reason, &n)
                .await?;
            at = *to;
        }
    }
    // Brokers' introductions: an achievement's holder to a scenario's owner.
    let achievements = store
        .achievements(&ListFilter::new(duijie_store::Viewer::All), None)
        .await?
        .0;
    let brokers = [
        user_of("broker@duijie.demo").await?,
        user_of("broker2@duijie.demo").await?,
    ];
    let intros = [
        (brokers[0], robot, "scn-demo-008", false),
        (brokers[1], lab, "scn-demo-011", true),
    ];
    for (broker, holder, key, both) in intros {
        let (Some(s), Some(a)) = (
            scenarios.iter().find(|s| s.key.as_deref() == Some(key)),
            achievements.iter().find(|a| a.org_id == holder),
        ) else {
            continue;
        };
        if s.org_id == holder {
            continue;
        }
        let title = (s.title_zh.as_str(), s.title_en.as_str());
        let id = store
            .create_docking(
                audit,
                broker,
                &DockingInput {
                    from_org_id: holder,
                    to_org_id: s.org_id,
                    about_kind: "scenario",
                    about_id: s.id,
                    own: Some(("achievement", a.id)),
                    want: DockingWant::JointDevelopment,
                    message: format!(
                        "经纪人引荐：{}可满足贵单位“{}”的需求，建议双方洽谈。",
                        a.title_zh, s.title_zh
                    ),
                    broker_user_id: Some(broker),
                },
                |id| {
                    [holder, s.org_id]
                        .into_iter()
                        .map(|o| {
                            told(
                                Recipient::Org(o),
                                NoticeKind::DockingIntroduced,
                                id,
                                title,
                                "",
                                broker,
                            )
                        })
                        .collect()
                },
            )
            .await?;
        let holder_user = if holder == lab { lab_user } else { robot_user };
        let one = [
            told(
                Recipient::Org(s.org_id),
                NoticeKind::DockingSideAccepted,
                id,
                title,
                "",
                holder_user,
            ),
            told(
                Recipient::User(broker),
                NoticeKind::DockingSideAccepted,
                id,
                title,
                "",
                holder_user,
            ),
        ];
        store
            .accept_introduction(audit, holder_user, id, true, &one, &[])
            .await?;
        if both {
            let all = [
                told(
                    Recipient::Org(holder),
                    NoticeKind::DockingAccepted,
                    id,
                    title,
                    "",
                    port_user,
                ),
                told(
                    Recipient::User(broker),
                    NoticeKind::DockingAccepted,
                    id,
                    title,
                    "",
                    port_user,
                ),
            ];
            store
                .accept_introduction(audit, port_user, id, false, &[], &all)
                .await?;
            store
                .add_docking_message(
                    audit,
                    id,
                    None,
                    broker,
                    "两位好，我已把双方的技术资料和需求说明互相转达，建议下周现场踏勘。",
                )
                .await?;
            store
                .add_docking_message(
                    audit,
                    id,
                    Some(s.org_id),
                    port_user,
                    "可以，下周二上午请到港区三号码头。",
                )
                .await?;
            // Both sides have read the conversation so far.
            store.mark_docking_read(id, holder).await?;
            store.mark_docking_read(id, s.org_id).await?;
            store.mark_broker_read(id).await?;
            let n = [told(
                Recipient::Org(s.org_id),
                NoticeKind::DockingMoved,
                id,
                title,
                "",
                holder_user,
            )];
            store
                .move_docking(audit, holder_user, id, Negotiating, Signed, "", &n)
                .await?;
        }
    }
    Ok(())
}

/// A dozen technology contracts flowing from Beijing and Tianjin to Hebei (and one back),
/// signed over the last two years: registered, awaiting registration and refused, so that
/// the statistics and the headline's growth on the year before have something true to count.
async fn contracts(store: &Store, audit: &Audit) -> Result<()> {
    use duijie_domain::contract::{province_code, registration_number, ContractKind::*};
    use duijie_domain::Region;
    use duijie_store::contract::ContractInput;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let year = chrono::Datelike::year(&today);
    let registrar = store
        .user_for_login("registrar@duijie.demo")
        .await?
        .map(|(u, _)| u.id)
        .context("demo registrar")?;
    let broker = store
        .user_for_login("broker@duijie.demo")
        .await?
        .map(|(u, _)| u.id);
    // (title, kind, seller key, buyer key, total yuan, transaction yuan, years ago, days into
    // the year signed, "registered" | "pending" | "refused", brokered)
    type Planned<'a> = (
        &'a str,
        duijie_domain::contract::ContractKind,
        &'a str,
        &'a str,
        i64,
        i64,
        i32,
        i64,
        &'a str,
        bool,
    );
    let plan: &[Planned] = &[
        (
            "港口皮带机巡检机器人合作开发",
            DevelopmentCooperative,
            "buaa-robotics",
            "tangshan-port",
            3_600_000,
            3_200_000,
            1,
            40,
            "registered",
            true,
        ),
        (
            "钢包测温机器人专利实施许可",
            LicencePatent,
            "buaa-robotics",
            "jidong-steel",
            1_200_000,
            1_200_000,
            1,
            95,
            "registered",
            false,
        ),
        (
            "膜分离工艺技术秘密转让",
            TransferSecret,
            "tju-chem",
            "cangzhou-chem",
            2_800_000,
            2_500_000,
            1,
            150,
            "registered",
            false,
        ),
        (
            "雄安城市计算平台技术服务",
            Service,
            "bit-ai",
            "xiongan-city",
            1_500_000,
            900_000,
            1,
            210,
            "registered",
            true,
        ),
        (
            "矿井巡检无人机技术开发（委托）",
            DevelopmentCommissioned,
            "cas-space",
            "kaiyuan-mining",
            2_000_000,
            1_800_000,
            1,
            300,
            "registered",
            false,
        ),
        (
            "智能网联车测试技术咨询",
            Consulting,
            "catarc",
            "zhixing-auto",
            600_000,
            600_000,
            0,
            20,
            "registered",
            false,
        ),
        (
            "港口智能调度系统技术开发（合作）",
            DevelopmentCooperative,
            "tj-robot",
            "huanghua-port",
            4_200_000,
            3_900_000,
            0,
            45,
            "registered",
            true,
        ),
        (
            "动力电池回收工艺专利权转让",
            TransferPatent,
            "bj-newenergy",
            "hb-battery",
            5_000_000,
            4_600_000,
            0,
            70,
            "registered",
            false,
        ),
        (
            "雄安新区数字孪生技术服务",
            Service,
            "bj-govtech",
            "xiongan-bureau",
            1_800_000,
            1_100_000,
            0,
            100,
            "registered",
            false,
        ),
        (
            "纯碱工艺节能技术咨询",
            Consulting,
            "tju-chem",
            "tangshan-soda",
            400_000,
            400_000,
            0,
            130,
            "pending",
            false,
        ),
        (
            "农机视觉识别软件著作权转让",
            TransferSoftware,
            "caas-agri",
            "chengde-agri",
            800_000,
            700_000,
            0,
            150,
            "pending",
            true,
        ),
        (
            "焊接设备采购",
            Service,
            "bj-ai-startup",
            "handan-steel",
            900_000,
            0,
            0,
            160,
            "refused",
            false,
        ),
        (
            "钢渣资源化技术开发（委托）",
            DevelopmentCommissioned,
            "jidong-steel",
            "ustb-metal",
            700_000,
            650_000,
            0,
            120,
            "registered",
            false,
        ),
    ];
    for (title, kind, seller, buyer, total, tx, ago, day, status, brokered) in plan {
        let (s, b) = (
            org_id_by_key(store, seller).await?,
            org_id_by_key(store, buyer).await?,
        );
        let (so, bo) = (store.organisation(s).await?, store.organisation(b).await?);
        let y = year - ago;
        let start = chrono::NaiveDate::from_ymd_opt(y, 1, 1).context("date")?;
        let signed = (start + chrono::Duration::days(*day)).min(today - chrono::Duration::days(3));
        let input = ContractInput {
            title: title.to_string(),
            kind: *kind,
            seller_org_id: s,
            buyer_org_id: b,
            seller_region: so.region.clone(),
            buyer_region: bo.region.clone(),
            total_fen: total * 100,
            transaction_fen: tx * 100,
            signed_on: signed.to_string(),
            term_from: signed.to_string(),
            term_to: (signed + chrono::Duration::days(365)).to_string(),
            payments: Vec::new(),
            chain: bo.chain.clone(),
            docking_id: None,
            scenario_id: None,
            achievement_id: None,
            challenge_id: None,
            gathering_id: None,
            broker_user_id: if *brokered { broker } else { None },
            note: String::new(),
        };
        let id = store
            .create_contract(audit, registrar, &input, |_| Vec::new())
            .await?;
        match *status {
            "registered" => {
                let on = (signed + chrono::Duration::days(12)).min(today);
                let ry = chrono::Datelike::year(&on);
                let prov = Region::from_code(&so.region)
                    .map(|r| r.province)
                    .context("region")?;
                let prefix = format!("{ry:04}{}", province_code(prov));
                store
                    .register_contract(
                        audit,
                        registrar,
                        id,
                        &on.to_string(),
                        &prefix,
                        |n| registration_number(ry, prov, n),
                        &[],
                    )
                    .await?;
            }
            "refused" => {
                store
                    .refuse_contract(audit, registrar, id, "属于设备买卖，不属于技术合同", &[])
                    .await?;
            }
            _ => {}
        }
    }
    // The dockings that reached signing end in a contract: the supplier sells to the owner of
    // the scenario; the landed one is registered.
    for d in store.dockings(None).await? {
        use duijie_domain::docking::DockingStage;
        if !matches!(d.stage, DockingStage::Signed | DockingStage::Landed) {
            continue;
        }
        let (so, bo) = (
            store.organisation(d.from_org_id).await?,
            store.organisation(d.to_org_id).await?,
        );
        let signed = today - chrono::Duration::days(5);
        let input = ContractInput {
            title: format!("{}（对接签约）", d.about_zh),
            kind: DevelopmentCooperative,
            seller_org_id: so.id,
            buyer_org_id: bo.id,
            seller_region: so.region.clone(),
            buyer_region: bo.region.clone(),
            total_fen: 150_000_000, // 1,500,000 yuan
            transaction_fen: 120_000_000,
            signed_on: signed.to_string(),
            term_from: signed.to_string(),
            term_to: (signed + chrono::Duration::days(365)).to_string(),
            payments: Vec::new(),
            chain: bo.chain.clone(),
            docking_id: Some(d.id),
            scenario_id: Some(d.about_id),
            achievement_id: d
                .own_id
                .filter(|_| d.own_kind.as_deref() == Some("achievement")),
            challenge_id: None,
            gathering_id: None,
            broker_user_id: d.broker_user_id,
            note: String::new(),
        };
        let by = store
            .user_for_login("lab@duijie.demo")
            .await?
            .map(|(u, _)| u.id)
            .unwrap_or(registrar);
        let id = store
            .create_contract(audit, by, &input, |_| Vec::new())
            .await?;
        if d.stage == DockingStage::Landed {
            let prov = Region::from_code(&so.region)
                .map(|r| r.province)
                .context("region")?;
            let prefix = format!("{year:04}{}", province_code(prov));
            store
                .register_contract(
                    audit,
                    registrar,
                    id,
                    &today.to_string(),
                    &prefix,
                    |n| registration_number(year, prov, n),
                    &[],
                )
                .await?;
        }
    }
    Ok(())
}

/// Pilot platforms with services, bookings and results; a one-stop case; funds, projects
/// seeking finance and decisions; the robotics and vehicle chains as trees with enterprises
/// and achievements placed; outcomes. Dates are relative to the day the demo is loaded.
/// A code of the demo data as its vocabulary's value.
fn vocab<T: Vocabulary>(code: &str) -> Result<T> {
    T::from_code(code).with_context(|| format!("demo data: unknown code {code:?}"))
}

/// An innovation-voucher scheme of the Hebei S&T department for this year (a demonstration,
/// not a real notice), and a testing service the Caofeidian port had done on the Hebei pilot
/// base that a voucher could pay for.
async fn vouchers(store: &Store, audit: &Audit) -> Result<()> {
    use duijie_store::pilot::RequestInput;
    use duijie_store::voucher::SchemeInput;
    let today = duijie_domain::clock::Clock::System.today();
    let year = chrono::Datelike::year(&today);
    let office = org_id_by_key(store, "hebei-std").await?;
    store
        .create_scheme(
            audit,
            office,
            &SchemeInput {
                name_zh: format!("河北省科技创新券（{year} 年度）"),
                name_en: format!("Hebei innovation vouchers ({year})"),
                source: "平台演示方案（非正式文件）".into(),
                budget_fen: 20_000_000 * 100,
                per_enterprise_fen: 200_000 * 100,
                share_pct: 50,
                service_kinds: "scale_up,inspection,concept".into(),
                provider_regions: "beijing,tianjin,hebei".into(),
                enterprise_regions: "hebei".into(),
                valid_from: format!("{year}-01-01"),
                valid_until: format!("{year}-12-31"),
            },
        )
        .await?;
    let port = org_id_by_key(store, "tangshan-port").await?;
    let Some(platform) = store.platforms().await?.into_iter().next() else {
        return Ok(());
    };
    let Some(service) = store.services(platform.id).await?.into_iter().next() else {
        return Ok(());
    };
    let day = today - chrono::Duration::days(20);
    let id = store
        .request_service(
            audit,
            port,
            &RequestInput {
                service_id: service.id,
                achievement_id: None,
                days: 2,
                units: 1,
                wanted_from: day.to_string(),
                note: "皮带机巡检机器人防爆检测".into(),
            },
        )
        .await?;
    store.schedule_request(audit, id, day).await?;
    store
        .close_request(
            audit,
            id,
            &[RequestStatus::Scheduled],
            RequestStatus::Done,
            "pass",
            "防爆检测通过，报告编号 HBP-DEMO-031",
            "现场试用",
            "",
        )
        .await?;
    Ok(())
}

async fn pipeline(store: &Store, audit: &Audit) -> Result<()> {
    use duijie_store::chain::LinkInput;
    use duijie_store::fund::{DealInput, FundFields, ProjectFields};
    use duijie_store::outcome::OutcomeInput;
    use duijie_store::pilot::{PlatformFields, RequestInput, ServiceInput, StepInput};
    let today = duijie_domain::clock::Clock::System.today();
    let day = |d: i64| today + chrono::Duration::days(d);
    let wan = |w: i64| w * 1_000_000;
    let org = |k: &'static str| org_id_by_key(store, k);
    let f = duijie_store::listing::ListFilter::new(duijie_store::Viewer::All);
    let achievements = store.achievements(&f, None).await?.0;
    let ach = |key: &str| -> Result<i64> {
        achievements
            .iter()
            .find(|a| a.key.as_deref() == Some(key))
            .map(|a| a.id)
            .with_context(|| format!("demo achievement {key}"))
    };

    let pilot = org("hb-pilot").await?;
    let mut platforms = Vec::new();
    for (kind, name, name_en, region, chain, fields, equipment, certs, capacity, services) in [
        (
            "pilot",
            "河北省机器人中试熟化平台（唐山）",
            "Hebei robotics pilot platform (Tangshan)",
            "hebei.tangshan",
            "robotics",
            "机器人,巡检,特种作业",
            "防爆试验舱,环境试验箱,六轴测试台",
            "CMA, CNAS",
            2,
            vec![
                (
                    "inspection",
                    "防爆与环境适应性检测",
                    "Explosion-proof and environmental testing",
                    5,
                    20,
                    15,
                ),
                (
                    "scale_up",
                    "巡检机器人中试放大",
                    "Inspection-robot scale-up",
                    30,
                    80,
                    45,
                ),
            ],
        ),
        (
            "concept",
            "京津冀膜材料概念验证中心（天津）",
            "Beijing-Tianjin-Hebei membrane concept-verification centre",
            "tianjin",
            "membrane_materials",
            "膜,水处理,分离",
            "膜性能测试线,中试膜组件线",
            "CNAS",
            1,
            vec![(
                "concept",
                "膜材料概念验证",
                "Membrane concept verification",
                10,
                30,
                30,
            )],
        ),
        (
            "pilot",
            "新能源汽车零部件检验检测平台（保定）",
            "NEV components testing platform (Baoding)",
            "hebei.baoding",
            "nev_icv",
            "电池,电驱,车路协同",
            "电池安全测试舱,EMC 暗室",
            "CMA, CNAS, CCC",
            3,
            vec![(
                "inspection",
                "动力电池安全检测",
                "Traction-battery safety testing",
                8,
                25,
                20,
            )],
        ),
    ] {
        let id = store
            .create_platform(
                audit,
                pilot,
                &PlatformFields {
                    kind: vocab(kind)?,
                    name_zh: name.into(),
                    name_en: name_en.into(),
                    region: region.into(),
                    chain: chain.into(),
                    fields: fields.into(),
                    equipment: equipment.into(),
                    certifications: certs.into(),
                    intro: String::new(),
                    capacity,
                },
            )
            .await?;
        let mut ids = Vec::new();
        for (k, zh, en, lo, hi, lead) in services {
            ids.push(
                store
                    .add_service(
                        audit,
                        id,
                        &ServiceInput {
                            kind: vocab(k)?,
                            name_zh: zh.into(),
                            name_en: en.into(),
                            price_min_fen: wan(lo),
                            price_max_fen: wan(hi),
                            lead_days: lead,
                        },
                    )
                    .await?,
            );
        }
        platforms.push((id, ids));
    }
    let robot = org("tj-robot").await?;
    let lab = org("buaa-robotics").await?;
    let ask = |service, achievement, days, from: chrono::NaiveDate, note: &str| RequestInput {
        service_id: service,
        achievement_id: Some(achievement),
        days,
        units: 1,
        wanted_from: from.to_string(),
        note: note.into(),
    };
    // Delivered two months ago, passed; booked for next week; waiting for a date.
    let done = store
        .request_service(
            audit,
            robot,
            &ask(
                platforms[0].1[0],
                ach("ach-demo-001")?,
                5,
                day(-60),
                "港口粉尘环境防爆认证前检测",
            ),
        )
        .await?;
    store.schedule_request(audit, done, day(-60)).await?;
    store
        .close_request(
            audit,
            done,
            &[RequestStatus::Scheduled],
            RequestStatus::Done,
            "pass",
            "防爆与 IP65 检测通过，报告编号 HBP-2026-017",
            "小批量试产",
            "",
        )
        .await?;
    let booked = store
        .request_service(
            audit,
            robot,
            &ask(
                platforms[0].1[1],
                ach("ach-demo-005")?,
                10,
                day(7),
                "化工园区四足机器人中试",
            ),
        )
        .await?;
    store.schedule_request(audit, booked, day(7)).await?;
    store
        .request_service(
            audit,
            lab,
            &ask(
                platforms[0].1[0],
                ach("ach-demo-002")?,
                4,
                day(3),
                "矿用防爆认证前摸底",
            ),
        )
        .await?;

    // One case from prototype to product.
    let case = store
        .create_case(
            audit,
            robot,
            Some(ach("ach-demo-001")?),
            "轨道式巡检机器人进入曹妃甸港",
            "河北省科技厅 王处长",
        )
        .await?;
    store.set_case_stage(audit, case, CaseStage::Pilot).await?;
    for (kind, title, owner, due, status) in [
        (
            "pilot",
            "防爆与环境适应性检测",
            "河北省机器人中试熟化平台",
            day(-55),
            "done",
        ),
        (
            "fund",
            "京津冀成果转化基金尽职调查",
            "京津冀成果转化基金",
            day(20),
            "doing",
        ),
        (
            "insurance",
            "首台（套）保险投保",
            "保险公司",
            day(-5),
            "todo",
        ),
        (
            "incubation",
            "唐山孵化器入驻",
            "唐山高新区",
            day(10),
            "blocked",
        ),
    ] {
        let s = store
            .add_step(
                audit,
                case,
                &StepInput {
                    kind: vocab(kind)?,
                    title: title.into(),
                    owner: owner.into(),
                    due_day: due.to_string(),
                },
            )
            .await?;
        if status != "todo" {
            store
                .set_step(
                    audit,
                    case,
                    s,
                    vocab(status)?,
                    if status == "blocked" {
                        "等待场地腾退"
                    } else {
                        ""
                    },
                )
                .await?;
        }
    }

    // Funds, projects and decisions.
    let jjj = org("jjj-fund").await?;
    let std = org("hebei-std").await?;
    let mut funds = Vec::new();
    for (owner, name, kind, chains, fields, stages, regions, lo, hi, size) in [
        (
            jjj,
            "京津冀科技成果转化基金",
            "venture",
            "robotics,nev_icv,membrane_materials",
            "机器人,巡检,车路协同,膜",
            "early,growth",
            "hebei",
            500,
            3000,
            200_000,
        ),
        (
            jjj,
            "衡水膜材料产业基金",
            "industry",
            "membrane_materials",
            "膜,水处理",
            "growth,mature",
            "hebei.hengshui",
            1000,
            5000,
            100_000,
        ),
        (
            std,
            "河北省科技成果转化引导基金",
            "guidance",
            "",
            "",
            "seed,early",
            "hebei",
            100,
            1000,
            500_000,
        ),
    ] {
        funds.push(
            store
                .create_fund(
                    audit,
                    owner,
                    &FundFields {
                        name_zh: name.into(),
                        name_en: String::new(),
                        kind: vocab(kind)?,
                        chains: chains.into(),
                        fields: fields.into(),
                        stages: stages.into(),
                        regions: regions.into(),
                        ticket_min_fen: wan(lo),
                        ticket_max_fen: wan(hi),
                        size_fen: wan(size),
                        intro: String::new(),
                    },
                )
                .await?,
        );
    }
    let mut projects = Vec::new();
    for (owner, key, title, chain, field, stage, region, amount) in [
        (
            robot,
            "ach-demo-001",
            "轨道式巡检机器人唐山产线",
            "robotics",
            "巡检机器人",
            "early",
            "hebei.tangshan",
            2000,
        ),
        (
            org("tiangong-membrane").await?,
            "ach-demo-058",
            "中空纤维超滤膜衡水中试线",
            "membrane_materials",
            "膜 水处理",
            "growth",
            "hebei.hengshui",
            3000,
        ),
        (
            org("tsinghua-auto").await?,
            "ach-demo-023",
            "车路协同路侧单元保定产线",
            "nev_icv",
            "车路协同",
            "growth",
            "hebei.baoding",
            8000,
        ),
    ] {
        projects.push(
            store
                .create_finance_project(
                    audit,
                    owner,
                    &ProjectFields {
                        achievement_id: Some(ach(key)?),
                        title: title.into(),
                        chain: chain.into(),
                        field: field.into(),
                        stage: vocab(stage)?,
                        region: region.into(),
                        amount_fen: wan(amount),
                        summary: String::new(),
                    },
                )
                .await?,
        );
    }
    let deal = |status: DealStatus, amount: i64, on: String, reason: &str| DealInput {
        status,
        amount_fen: amount,
        invested_on: on,
        reason: reason.into(),
    };
    store
        .set_deal(
            audit,
            funds[0],
            projects[0],
            &deal(DealStatus::Invested, wan(1500), day(-40).to_string(), ""),
        )
        .await?;
    store
        .set_deal(
            audit,
            funds[1],
            projects[1],
            &deal(DealStatus::DueDiligence, 0, String::new(), ""),
        )
        .await?;
    store
        .set_deal(
            audit,
            funds[0],
            projects[2],
            &deal(DealStatus::Declined, 0, String::new(), "超出单笔投资上限"),
        )
        .await?;

    // Chains: links with keywords; Hebei enterprises and Beijing/Tianjin achievements on them.
    let link = |chain: &'static str,
                parent: Option<i64>,
                position: &'static str,
                zh: &'static str,
                en: &'static str,
                kw: &'static str| {
        async move {
            let l = LinkInput {
                chain: chain.into(),
                parent_id: parent,
                position: vocab(position)?,
                name_zh: zh.into(),
                name_en: en.into(),
                keywords: kw.into(),
            };
            Ok::<i64, anyhow::Error>(store.add_chain_link(audit, &l).await?)
        }
    };
    let parts = link(
        "robotics",
        None,
        "upstream",
        "核心零部件",
        "Core components",
        "减速器,伺服,传感器,激光雷达",
    )
    .await?;
    link(
        "robotics",
        Some(parts),
        "upstream",
        "感知与定位",
        "Sensing and positioning",
        "定位,导航,声纹,视觉",
    )
    .await?;
    let machines = link(
        "robotics",
        None,
        "midstream",
        "整机制造",
        "Robot manufacturing",
        "巡检机器人,四足,轨道式,焊接机器人",
    )
    .await?;
    let ports = link(
        "robotics",
        None,
        "downstream",
        "港口应用",
        "Ports",
        "港口,码头,集装箱,皮带",
    )
    .await?;
    let mines = link(
        "robotics",
        None,
        "downstream",
        "矿山应用",
        "Mines",
        "矿用,井下,防爆",
    )
    .await?;
    let grid = link(
        "robotics",
        None,
        "downstream",
        "电力巡检",
        "Power-grid inspection",
        "变电站,输电,电力",
    )
    .await?;
    let cells = link(
        "nev_icv",
        None,
        "upstream",
        "动力电池",
        "Traction batteries",
        "电池,电芯,分选",
    )
    .await?;
    let cars = link(
        "nev_icv",
        None,
        "midstream",
        "整车与零部件",
        "Vehicles and parts",
        "整车,接驳车,集卡",
    )
    .await?;
    link(
        "nev_icv",
        None,
        "downstream",
        "车路协同",
        "Vehicle-road cooperation",
        "车路协同,路侧,云控",
    )
    .await?;
    let security = link(
        "robotics",
        None,
        "downstream",
        "公共安全应用",
        "Public safety",
        "安防,巡逻,排爆",
    )
    .await?;
    // The other chains, upstream to downstream, with the Hebei enterprises on them: links
    // without enough enterprises show as gaps, and Beijing/Tianjin achievements that name
    // their keywords are suggested to fill them.
    let mut placed_more = Vec::new();
    for (chain, links) in [
        (
            "steel",
            [
                (
                    "upstream",
                    "冶炼工艺与装备",
                    "Smelting processes and equipment",
                    "转炉,炼钢,竖炉,还原",
                    &["handan-steel"][..],
                ),
                (
                    "midstream",
                    "轧制与质量检测",
                    "Rolling and quality inspection",
                    "热轧,冷轧,带钢,缺陷",
                    &["jidong-steel", "handan-steel"][..],
                ),
                (
                    "downstream",
                    "绿色低碳改造",
                    "Low-carbon retrofits",
                    "烟气,超低排放,氢冶金,二氧化碳",
                    &["jidong-steel"][..],
                ),
            ],
        ),
        (
            "green_chemicals",
            [
                (
                    "upstream",
                    "化工原料与催化",
                    "Feedstocks and catalysis",
                    "催化,原料,吸收剂",
                    &[][..],
                ),
                (
                    "midstream",
                    "清洁生产工艺",
                    "Clean production",
                    "鞣制,废盐,热解,精制",
                    &["tangshan-soda"][..],
                ),
                (
                    "downstream",
                    "安全与资源循环",
                    "Safety and recycling",
                    "危化品,泄漏,回收",
                    &["cangzhou-chem", "tangshan-soda"][..],
                ),
            ],
        ),
        (
            "membrane_materials",
            [
                (
                    "upstream",
                    "膜材料",
                    "Membrane materials",
                    "PVDF,中空纤维,超滤膜",
                    &[][..],
                ),
                (
                    "midstream",
                    "膜组件与装备",
                    "Modules and equipment",
                    "支撑体,组件,金属网",
                    &[][..],
                ),
                (
                    "downstream",
                    "水处理应用",
                    "Water treatment",
                    "废水,零排放,污水",
                    &["hengshui-water"][..],
                ),
            ],
        ),
        (
            "space_info",
            [
                (
                    "upstream",
                    "卫星导航与遥感",
                    "Satellite navigation and sensing",
                    "北斗,遥感,卫星",
                    &[][..],
                ),
                (
                    "midstream",
                    "监测与数据服务",
                    "Monitoring and data services",
                    "形变监测,毫米级",
                    &[][..],
                ),
                (
                    "downstream",
                    "低空经济",
                    "Low-altitude economy",
                    "无人机,低空,空域",
                    &[][..],
                ),
            ],
        ),
        (
            "ai",
            [
                (
                    "upstream",
                    "模型与算法",
                    "Models and algorithms",
                    "大模型,算法,规划",
                    &[][..],
                ),
                (
                    "midstream",
                    "行业智能软件",
                    "Industry software",
                    "排产,视觉识别,知识",
                    &[][..],
                ),
                (
                    "downstream",
                    "工业智能应用",
                    "Industrial AI",
                    "安全,运维,质检",
                    &["jidong-steel"][..],
                ),
            ],
        ),
        (
            "digital_governance",
            [
                (
                    "upstream",
                    "城市数据底座",
                    "City data foundations",
                    "CIM,数字孪生",
                    &[][..],
                ),
                (
                    "midstream",
                    "治理应用平台",
                    "Governance platforms",
                    "事件,处置,政务,问答",
                    &[][..],
                ),
                (
                    "downstream",
                    "城市运营服务",
                    "City operations",
                    "城市管理,运营,文旅",
                    &["xiongan-city", "zhengding-tour"][..],
                ),
            ],
        ),
        (
            "biomedicine",
            [
                (
                    "upstream",
                    "生物制造与原料",
                    "Biomanufacturing",
                    "合成生物,菌株,发酵",
                    &[][..],
                ),
                (
                    "midstream",
                    "药品与器械制造",
                    "Drugs and devices",
                    "医疗器械,制剂,药",
                    &["sjz-pharma"][..],
                ),
                (
                    "downstream",
                    "基层医疗服务",
                    "Primary care",
                    "诊断,心电,影像",
                    &[][..],
                ),
            ],
        ),
        (
            "new_energy",
            [
                (
                    "upstream",
                    "制氢与储能材料",
                    "Hydrogen and storage materials",
                    "电解水,制氢,液流",
                    &[][..],
                ),
                (
                    "midstream",
                    "储能系统",
                    "Storage systems",
                    "储能,电池,梯次",
                    &["hb-battery"][..],
                ),
                (
                    "downstream",
                    "园区能源与供热",
                    "Park energy and heating",
                    "能碳,园区,供暖,热泵",
                    &[][..],
                ),
            ],
        ),
        (
            "modern_agriculture",
            [
                (
                    "upstream",
                    "种业与农资",
                    "Seeds and inputs",
                    "种子,水肥,土壤",
                    &[][..],
                ),
                (
                    "midstream",
                    "智能农机",
                    "Smart machinery",
                    "农机,电动,丘陵",
                    &[][..],
                ),
                (
                    "downstream",
                    "设施农业",
                    "Protected agriculture",
                    "温室,果园,大棚",
                    &["chengde-agri"][..],
                ),
            ],
        ),
    ] {
        for (position, zh, en, kw, orgs) in links {
            let id = link(chain, None, position, zh, en, kw).await?;
            for key in orgs {
                placed_more.push((id, *key));
            }
        }
    }
    for (l, key) in [
        (ports, "tangshan-port"),
        (ports, "huanghua-port"),
        (ports, "qhd-port"),
        (ports, "kaiyuan-mining"),
        (mines, "kaiyuan-mining"),
        (mines, "jizhong-mine"),
        (grid, "hebei-grid"),
        (security, "langfang-police"),
        (cells, "hb-battery"),
        (cars, "zhixing-auto"),
        (cars, "baoding-htz"),
    ]
    .into_iter()
    .chain(placed_more)
    {
        store
            .place(audit, l, "organisation", org(key).await?)
            .await?;
    }
    for (l, key) in [
        (machines, "ach-demo-001"),
        (machines, "ach-demo-005"),
        (mines, "ach-demo-002"),
    ] {
        store.place(audit, l, "achievement", ach(key)?).await?;
    }

    // Outcomes, linked to what led to them.
    let gathering = store.gatherings().await?.first().map(|g| g.id);
    let challenge = store.challenges().await?.first().map(|c| c.id);
    for (kind, title, owner, city, chain, source, amount, on, achievement, g, c) in [
        (
            "company",
            "天津智巡机器人（唐山）有限公司",
            Some(robot),
            "hebei.tangshan",
            "robotics",
            "tianjin",
            0,
            day(-30),
            Some(ach("ach-demo-001")?),
            gathering,
            None,
        ),
        (
            "project",
            "中空纤维超滤膜衡水中试线项目",
            None,
            "hebei.hengshui",
            "membrane_materials",
            "tianjin",
            12_000,
            day(-100),
            Some(ach("ach-demo-058")?),
            None,
            None,
        ),
        (
            "company",
            "车路协同路侧设备（保定）有限公司",
            None,
            "hebei.baoding",
            "nev_icv",
            "beijing",
            0,
            day(-200),
            Some(ach("ach-demo-023")?),
            None,
            None,
        ),
        (
            "project",
            "曹妃甸港智能巡检示范项目",
            Some(org("tangshan-port").await?),
            "hebei.tangshan",
            "robotics",
            "beijing",
            3_500,
            day(-15),
            Some(ach("ach-demo-002")?),
            None,
            challenge,
        ),
    ] {
        store
            .record_outcome(
                audit,
                &OutcomeInput {
                    kind: vocab(kind)?,
                    title: title.into(),
                    org_id: owner,
                    city: city.into(),
                    chain: chain.into(),
                    source_region: source.into(),
                    amount_fen: wan(amount),
                    occurred_on: on.to_string(),
                    scenario_id: None,
                    achievement_id: achievement,
                    gathering_id: g,
                    challenge_id: c,
                    note: String::new(),
                },
            )
            .await?;
    }
    Ok(())
}

/// Last year's R&D records of the Caofeidian port: three projects (one well documented, one
/// missing targets and test records and open for an opinion, one a routine upgrade), shared
/// staff and equipment, and a year of monthly hours.
async fn rnd(store: &Store, audit: &Audit, org: i64) -> Result<()> {
    use duijie_store::rnd::{HoursRow, ProjectFields, ResourceInput, YearRow};
    let year = i64::from(duijie_domain::clock::Clock::System.year()) - 1;
    let yuan = |y: i64| y * 100;
    store
        .save_rnd_year(
            audit,
            org,
            year,
            &YearRow {
                kind: duijie_domain::rnd::EnterpriseKind::General,
                total_income_fen: yuan(2_360_000_000),
                negative_list_income_fen: 0,
                non_taxable_income_fen: yuan(12_000_000),
                investment_income_fen: yuan(45_000_000),
                q4_2022_fen: None,
            },
        )
        .await?;
    let code = |n: u32| format!("TS-RD-{year}-{n:02}");
    let projects = [
        ProjectFields {
            code: code(1),
            name: "皮带机托辊声纹与视觉融合故障诊断".into(),
            goal: "在粉尘和强噪声环境下提前发现皮带机托辊故障，减少非计划停机。".into(),
            targets: "托辊故障识别准确率 ≥ 95%\n提前预警时间 ≥ 72 小时\n单条皮带机巡检覆盖率 100%"
                .into(),
            innovation:
                "声纹特征与红外、可见光图像融合的故障识别模型；适应港口粉尘环境的拾音阵列。".into(),
            uncertainty: "粉尘与多机同时运转噪声下声纹特征是否稳定可分，事先无法确定。".into(),
            approved: 1,
            approval_date: format!("{year}-01-08"),
            start_date: format!("{year}-01-15"),
            end_date: format!("{year}-12-20"),
            team: "李工（项目负责人）\n张工\n北航机器人研究所 张老师（合作）".into(),
            has_plan: 1,
            has_milestones: 1,
            test_records: 1,
            evidence: "approval,budget,design,test_report".into(),
            personnel_fen: yuan(1_280_000),
            direct_inputs_fen: yuan(356_000),
            depreciation_fen: yuan(92_000),
            design_fen: yuan(60_000),
            other_fen: yuan(150_000),
            special_income_fen: yuan(8_500),
            domestic_fen: yuan(400_000),
            ..Default::default()
        },
        ProjectFields {
            code: code(2),
            name: "散货堆场无人化作业调度系统".into(),
            goal: "堆取料机无人化作业的调度与防碰撞。".into(),
            innovation: "多机协同调度算法。".into(),
            uncertainty: "多台堆取料机同时作业时调度能否实时收敛。".into(),
            approved: 1,
            approval_date: format!("{year}-03-01"),
            start_date: format!("{year}-03-01"),
            team: "王工\n张工".into(),
            has_plan: 1,
            has_milestones: 1,
            evidence: "approval".into(),
            personnel_fen: yuan(860_000),
            other_fen: yuan(40_000),
            subsidy_fen: yuan(200_000),
            ..Default::default()
        },
        ProjectFields {
            code: code(3),
            name: "门机控制系统版本升级".into(),
            goal: "将门机控制系统升级到厂家新版本。".into(),
            innovation: "无".into(),
            approved: 1,
            approval_date: format!("{year}-05-10"),
            team: "维修班".into(),
            activities: "routine_upgrade".into(),
            personnel_fen: yuan(120_000),
            ..Default::default()
        },
    ];
    let mut ids = Vec::new();
    for p in &projects {
        ids.push(store.create_rnd_project(audit, org, year, p).await?);
    }
    store
        .set_rnd_review_status(audit, ids[1], duijie_domain::rnd::ReviewStatus::Requested)
        .await?;
    for (name, kind, category, amount) in [
        ("张工", "staff", "personnel", 360_000),
        ("激光跟踪仪", "equipment", "depreciation", 120_000),
        ("托辊检测台架", "equipment", "depreciation", 48_000),
    ] {
        let r = ResourceInput {
            name: name.into(),
            kind: vocab(kind)?,
            category: vocab(category)?,
            amount_fen: yuan(amount),
        };
        store.save_rnd_resource(audit, org, year, &r).await?;
    }
    // Monthly totals: 张工 75 h on project 1, 35 h on project 2, 58 h of other work; the laser
    // tracker 50 h on project 1 and 100 h in production. The test rig has no hours recorded.
    let mut rows = Vec::new();
    for _month in 1..=12 {
        for (resource, project, hours) in [
            ("张工", code(1), "75"),
            ("张工", code(2), "35"),
            ("张工", String::new(), "58"),
            ("激光跟踪仪", code(1), "50"),
            ("激光跟踪仪", String::new(), "100"),
        ] {
            rows.push(HoursRow {
                row_no: rows.len() as i64 + 2,
                resource: resource.into(),
                project_code: project,
                work_date: String::new(),
                hours: hours.into(),
            });
        }
    }
    store
        .import_rnd_hours(audit, org, year, "工时汇总-演示.csv", &rows, |_| {
            Ok::<_, duijie_store::StoreError>(())
        })
        .await?;
    Ok(())
}

/// A horse-racing challenge open for applications, posed by the Caofeidian port.
async fn challenge(store: &Store, audit: &Audit) -> Result<()> {
    use duijie_domain::challenge::ChallengeStatus;
    use duijie_store::challenge::ChallengeInput;
    let deadline = (duijie_domain::clock::Clock::System.today() + chrono::Duration::days(45))
        .format("%Y-%m-%d")
        .to_string();
    let org = org_id_by_key(store, "tangshan-port").await?;
    let input = ChallengeInput {
        title_zh: "港口皮带机托辊故障智能诊断与巡检机器人".into(),
        title_en: "Intelligent idler-fault diagnosis and inspection robots for port conveyor belts".into(),
        problem: "曹妃甸港区皮带机廊道超过 20 公里，托辊故障靠人工听音巡检，漏检率高、夜间无法覆盖。需要能在粉尘环境下长期运行的巡检机器人，自动识别托辊异响、卡阻和跑偏。".into(),
        targets: "托辊故障识别准确率 ≥ 95%\n定位误差 ≤ 2 cm（1 m/s 行进）\n单次续航 ≥ 8 小时\n误报率 ≤ 1 次/公里·天".into(),
        deliverables: "样机 2 台，现场连续运行 3 个月的测试报告，诊断软件与接口文档".into(),
        chain: Some("robotics".into()),
        funding_fen: 500 * 1_000_000,
        deadline,
        ip_terms: "背景知识产权归各自所有；项目产生的知识产权由发榜单位与揭榜团队共有，发榜单位享有优先实施权。".into(),
        confidential: "廊道平面图与历史故障记录（2019–2025，约 3 万条）在签署保密协议后提供。".into(),
        mode: duijie_domain::challenge::ChallengeMode::Race,
        criteria: "技术方案先进性:40\n指标可达性:30\n团队能力:20\n经费合理性:10".into(),
        reviewers: 2,
    };
    let id = store.create_challenge(audit, org, &input).await?;
    store
        .set_challenge_status(
            audit,
            id,
            ChallengeStatus::Draft,
            ChallengeStatus::Review,
            0,
        )
        .await?;
    store
        .set_challenge_status(
            audit,
            id,
            ChallengeStatus::Review,
            ChallengeStatus::Published,
            0,
        )
        .await?;
    Ok(())
}

/// Demand side (Hebei units with scenarios) and supply side (Beijing-Tianjin teams): organisation
/// key, person, position.
const DEMAND: &[(&str, &str, &str)] = &[
    ("tangshan-port", "李工", "设备部主任"),
    ("xiongan-city", "陈经理", "数字城市事业部经理"),
    ("jidong-steel", "刘总工", "总工程师"),
    ("huanghua-port", "孙主任", "技术中心主任"),
    ("zhixing-auto", "周经理", "智能驾驶部经理"),
    ("dingzhou-city", "吴科长", "信息化科科长"),
];
const SUPPLY: &[(&str, &str, &str)] = &[
    ("buaa-robotics", "张老师", "副教授"),
    ("tj-robot", "王总", "首席技术官"),
    ("tsinghua-auto", "赵研究员", "副研究员"),
    ("bj-govtech", "钱经理", "解决方案总监"),
    ("ustb-metal", "郑教授", "教授"),
    ("bit-ai", "冯老师", "研究员"),
    ("nankai-ai", "何老师", "讲师"),
];
/// Demand index, supply index, priority; the last few are still pending.
const REQUESTS: &[(usize, usize, i64)] = &[
    (0, 0, 5),
    (0, 1, 5),
    (0, 5, 3),
    (1, 3, 5),
    (1, 5, 4),
    (1, 6, 3),
    (2, 4, 5),
    (2, 0, 3),
    (3, 1, 4),
    (3, 0, 4),
    (4, 2, 5),
    (4, 5, 4),
    (5, 3, 4),
    (5, 6, 2),
    (1, 2, 2),
    (2, 5, 2),
];
const PENDING: usize = 3;

/// A Scenario Gathering ready for the organiser: registrations, blocked slots, answered
/// requests; scheduling is left to the organiser.
async fn gathering(store: &Store, audit: &Audit) -> Result<()> {
    use duijie_store::gathering::{GatheringInput, ParticipantInput};
    let offered_orgs = [
        "tangshan-port",
        "xiongan-city",
        "jidong-steel",
        "zhixing-auto",
    ];
    let mut scenario_ids = Vec::new();
    for key in offered_orgs {
        let filter = duijie_store::listing::ListFilter {
            viewer: duijie_store::Viewer::All,
            org_id: Some(org_id_by_key(store, key).await?),
            status: Some("published".into()),
            chain: None,
            region: None,
            trl_min: None,
            trl_max: None,
            ids: None,
        };
        let (rows, _) = store
            .scenarios(&filter, Some(duijie_store::Page::new(None, Some(2))))
            .await?;
        scenario_ids.extend(rows.iter().map(|r| r.id));
    }
    // Three weeks ahead, so that registration is open whenever the demo is loaded.
    let today = duijie_domain::clock::Clock::System.today();
    let day = (today + chrono::Duration::days(21))
        .format("%Y-%m-%d")
        .to_string();
    let closes = (today + chrono::Duration::days(18))
        .format("%Y-%m-%d")
        .to_string();
    let slots = (0..10)
        .map(|i| {
            let minute = 9 * 60 + i * 20 + (i / 3) * 10;
            (
                format!("{day}T{:02}:{:02}:00+08:00", minute / 60, minute % 60),
                20,
                6,
            )
        })
        .collect();
    let input = GatheringInput {
        title_zh: "雄安未来之城场景汇（2026 冬季场）".into(),
        title_en: "Xiong'an Future City Scenario Gathering (winter 2026)".into(),
        venue: "雄安城市计算中心 二层洽谈区".into(),
        rooms: "A厅:4,B厅:2".into(),
        intro_zh: "面向港口、钢铁、智能网联汽车与城市治理场景，京津高校院所与科技企业一对一洽谈。".into(),
        intro_en: "One-to-one meetings between Beijing-Tianjin universities, institutes and tech firms and Hebei owners of port, steel, connected-vehicle and city-governance scenarios.".into(),
        registration_closes: closes,
        slots,
        scenario_ids,
    };
    let gid = store.create_gathering(audit, &input).await?;
    let slot_ids: Vec<i64> = store
        .gathering_slots(gid)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let mut ids = Vec::new();
    for (side, people) in [("demand", DEMAND), ("supply", SUPPLY)] {
        let mut these = Vec::new();
        for (i, (org, name, title)) in people.iter().enumerate() {
            let p = ParticipantInput {
                org_id: org_id_by_key(store, org).await?,
                name: (*name).into(),
                title: (*title).into(),
                email: format!("{org}.{i}@duijie.demo"),
                side: vocab(side)?,
            };
            let id = store.add_participant(audit, gid, &p).await?;
            // Some leave early, some arrive late.
            match i % 3 {
                1 => store.set_unavailable(audit, id, &slot_ids[8..]).await?,
                2 => store.set_unavailable(audit, id, &slot_ids[..1]).await?,
                _ => {}
            }
            these.push(id);
        }
        ids.push(these);
    }
    for (n, &(d, s, priority)) in REQUESTS.iter().enumerate() {
        let (from, to) = if n % 4 == 3 {
            (ids[1][s], ids[0][d])
        } else {
            (ids[0][d], ids[1][s])
        };
        let rid = store
            .create_request(
                audit,
                gid,
                from,
                to,
                priority,
                "希望就贵方场景/成果进一步交流。",
            )
            .await?;
        if n < REQUESTS.len() - PENDING {
            store
                .set_request_status(
                    audit,
                    rid,
                    if n == 5 {
                        MeetingRequestStatus::Declined
                    } else {
                        MeetingRequestStatus::Accepted
                    },
                )
                .await?;
        }
    }
    Ok(())
}
