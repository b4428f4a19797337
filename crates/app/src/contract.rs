//! Technology contracts (技术合同): a party records what it signed — from a docking or directly —
//! and a contract registrar (技术合同登记机构) registers it under a number or refuses it with a
//! reason. Only registered contracts count in the statistics: the flow of contract money from
//! the seller's region to the buyer's, and the region's headline figures, 北京流向津冀 and
//! 京津流向河北 technology-contract turnover.

use std::collections::BTreeMap;

use duijie_domain::contract::{
    self, growth, headlines, registration_number, ContractClass, ContractKind, ContractRaw,
    ContractStatus, ContractTerms, CONTRACT_COLUMNS,
};
use duijie_domain::docking::NoticeKind;
use duijie_domain::region::Province;
use duijie_domain::{Invalid, Region, Role};
use duijie_store::contract::{
    ContractFilter, ContractGroup, ContractInput, ContractRow, FlowCell, PaymentRow,
};
use duijie_store::notice::Recipient;
use duijie_store::organisation::OrgRow;
use serde::Serialize;

use crate::notice::{deliver, notice};
use crate::service::field_err;
use crate::{App, AppError, Caller};

/// Most rows one contract import takes.
pub const IMPORT_ROWS: usize = 2_000;

const LIMITS: duijie_tabular::Limits = duijie_tabular::Limits {
    bytes: 4 * 1024 * 1024,
    rows: IMPORT_ROWS,
    columns: 40,
    cells: IMPORT_ROWS * 40,
    unpacked: 32 * 1024 * 1024,
};

/// Registrars review contracts; so may the platform's admin (who is party to none).
fn reviews(ctx: &Caller) -> bool {
    matches!(ctx.role(), Some(Role::Registrar | Role::Admin))
}

/// Who reads every contract: staff and registrars.
fn reads_all(ctx: &Caller) -> bool {
    ctx.is_staff() || ctx.role() == Some(Role::Registrar)
}

fn invalid(field: &str, en: &str, zh: &str) -> duijie_domain::FieldError {
    duijie_domain::FieldError::new(field, "invalid", en.to_string(), zh.to_string())
}

/// The organisation a contract names: its id, or its key.
async fn party(st: &App, field: &str, text: &str) -> Result<OrgRow, duijie_domain::FieldError> {
    let found = match text.parse::<i64>() {
        Ok(id) => st.store.organisation(id).await,
        Err(_) => st.store.organisation_by_key(text).await,
    };
    found.map_err(|_| {
        invalid(
            field,
            &format!("names no organisation on the platform (\"{text}\")"),
            &format!("平台上没有该单位（“{text}”）"),
        )
    })
}

fn province(o: &OrgRow) -> Option<Province> {
    Region::from_code(&o.region).map(|r| r.province)
}

/// Resolve checked terms into a contract to store: the parties exist, the caller acts for one
/// of them (staff for any), the linked records exist, and a docking linked is between the
/// same two organisations (its record fills in the scenario or achievement when none is given).
async fn resolve(
    st: &App,
    ctx: &Caller,
    t: ContractTerms,
) -> Result<ContractInput, duijie_domain::Invalid> {
    let mut errs = Vec::new();
    let seller = party(st, "seller", &t.seller).await;
    let buyer = party(st, "buyer", &t.buyer).await;
    let (seller, buyer) = match (seller, buyer) {
        (Ok(s), Ok(b)) => (s, b),
        (s, b) => {
            errs.extend(s.err());
            errs.extend(b.err());
            return Err(Invalid(errs));
        }
    };
    if seller.id == buyer.id {
        errs.push(invalid(
            "buyer",
            "the buyer must be another organisation than the seller",
            "买方须为卖方以外的单位",
        ));
    }
    if !ctx.is_staff()
        && !ctx
            .member_org()
            .is_some_and(|o| o == seller.id || o == buyer.id)
    {
        errs.push(invalid(
            "seller",
            "your organisation is neither the seller nor the buyer",
            "本单位既不是卖方也不是买方",
        ));
    }
    let (mut scenario_id, mut achievement_id) = (t.scenario_id, t.achievement_id);
    if let Some(id) = t.docking_id {
        match st.store.docking(id).await {
            Ok(d)
                if d.party(seller.id)
                    && d.party(buyer.id)
                    && (ctx.is_staff() || ctx.member_org().is_some_and(|o| d.party(o))) =>
            {
                let linked = [(d.about_kind.as_str(), d.about_id)]
                    .into_iter()
                    .chain(d.own_kind.as_deref().zip(d.own_id));
                for (kind, rid) in linked {
                    match kind {
                        "scenario" if scenario_id.is_none() => scenario_id = Some(rid),
                        "achievement" if achievement_id.is_none() => achievement_id = Some(rid),
                        _ => {}
                    }
                }
            }
            _ => errs.push(invalid(
                "docking_id",
                "names no docking of yours between the seller and the buyer",
                "不是本单位与买卖双方之间的对接",
            )),
        }
    }
    let exists = |field: &'static str, found: bool| {
        (!found).then(|| {
            invalid(
                field,
                "links to a record that does not exist",
                "关联的记录不存在",
            )
        })
    };
    if let Some(id) = scenario_id {
        errs.extend(exists("scenario_id", st.store.scenario(id).await.is_ok()));
    }
    if let Some(id) = achievement_id {
        errs.extend(exists(
            "achievement_id",
            st.store.achievement(id).await.is_ok(),
        ));
    }
    if let Some(id) = t.challenge_id {
        errs.extend(exists("challenge_id", st.store.challenge(id).await.is_ok()));
    }
    if let Some(id) = t.gathering_id {
        errs.extend(exists("gathering_id", st.store.gathering(id).await.is_ok()));
    }
    for (field, o) in [("seller", &seller), ("buyer", &buyer)] {
        if province(o).is_none() {
            errs.push(invalid(
                field,
                &format!("{} has no region in Beijing-Tianjin-Hebei", o.name_zh),
                &format!("{}的所在地区不在京津冀", o.name_zh),
            ));
        }
    }
    if !errs.is_empty() {
        return Err(Invalid(errs));
    }
    Ok(ContractInput {
        title: t.title,
        kind: t.kind,
        seller_org_id: seller.id,
        buyer_org_id: buyer.id,
        seller_region: seller.region,
        buyer_region: buyer.region,
        total_fen: t.total.fen(),
        transaction_fen: t.transaction.fen(),
        signed_on: t.signed_on.to_string(),
        term_from: t.term_from.to_string(),
        term_to: t.term_to.to_string(),
        payments: t.payments,
        chain: t.chain.map(|c| c.code().to_string()),
        docking_id: t.docking_id,
        scenario_id,
        achievement_id,
        challenge_id: t.challenge_id,
        gathering_id: t.gathering_id,
        broker_user_id: None,
        note: t.note,
    })
}

/// Only a member of an organisation (or staff) records contracts.
fn may_record(ctx: &Caller) -> Result<(), AppError> {
    ctx.require_user()?;
    if ctx.is_staff() || ctx.member_org().is_some() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Record a contract the caller's organisation signed (staff: any). It waits for a registrar.
pub async fn record(st: &App, ctx: &Caller, raw: &ContractRaw) -> Result<i64, AppError> {
    may_record(ctx)?;
    crate::organisation::require_verified(st, ctx).await?;
    let terms = ContractTerms::parse(raw, st.clock.today()).map_err(AppError::Invalid)?;
    let input = resolve(st, ctx, terms).await.map_err(AppError::Invalid)?;
    let (user, _) = ctx.require_user()?;
    let registrars = registrars(st, &[input.seller_org_id, input.buyer_org_id]).await?;
    let told = |id| {
        let mut to: Vec<Recipient> = [input.seller_org_id, input.buyer_org_id]
            .into_iter()
            .filter(|o| Some(*o) != ctx.member_org())
            .map(Recipient::Org)
            .collect();
        to.extend(registrars.iter().map(|r| Recipient::User(*r)));
        to.into_iter()
            .map(|r| {
                notice(
                    r,
                    NoticeKind::ContractRecorded,
                    "contract",
                    id,
                    (&input.title, ""),
                    "",
                    Some(user.id),
                )
            })
            .collect::<Vec<_>>()
    };
    let id = st
        .store
        .create_contract(&ctx.audit()?, user.id, &input, told)
        .await?;
    deliver(st, &told(id)).await;
    Ok(id)
}

/// The registrars who may register a contract between `parties` (none of their own).
async fn registrars(st: &App, parties: &[i64]) -> Result<Vec<i64>, AppError> {
    Ok(st
        .store
        .users_with_roles(&[Role::Registrar.code()])
        .await?
        .into_iter()
        .filter(|(_, org)| !org.is_some_and(|o| parties.contains(&o)))
        .map(|(id, _)| id)
        .collect())
}

/// The parties of contract `c` and its broker, but not the actor's own organisation.
fn concerned(c: &ContractRow, actor: i64) -> Vec<Recipient> {
    let mut to = vec![
        Recipient::Org(c.seller_org_id),
        Recipient::Org(c.buyer_org_id),
    ];
    if let Some(b) = c.broker_user_id.filter(|b| *b != actor) {
        to.push(Recipient::User(b));
    }
    to
}

/// Import contracts from an Excel or CSV file: every row checked first, then all stored in one
/// transaction — or, when any row is wrong, none, with the file, row and column named.
/// `Ok(Ok(n))`: n stored; `Ok(Err(why))`: refused, `why` in the caller's language.
pub async fn import(
    st: &App,
    ctx: &Caller,
    name: &str,
    bytes: &[u8],
) -> Result<Result<usize, String>, AppError> {
    may_record(ctx)?;
    crate::organisation::require_verified(st, ctx).await?;
    let en = ctx.lang == "en";
    let mut table = match duijie_tabular::read_bytes(name, bytes, &LIMITS) {
        Ok(t) => t,
        Err(e) => return Ok(Err(format!("{name}: {}", e.message(ctx.lang)))),
    };
    // Columns named in Chinese read as their codes.
    for h in &mut table.headers {
        if let Some(code) = duijie_domain::contract::contract_column(h) {
            *h = code.to_string();
        }
    }
    let records = match duijie_tabular::records::<ContractRaw>(&table, CONTRACT_COLUMNS) {
        Ok(r) => r,
        Err(e) => return Ok(Err(format!("{name}: {}", e.message(ctx.lang)))),
    };
    if records.is_empty() {
        return Ok(Err(format!(
            "{name}: {}",
            if en {
                "the file holds no contracts"
            } else {
                "文件中没有合同"
            }
        )));
    }
    let today = st.clock.today();
    let mut inputs = Vec::with_capacity(records.len());
    for r in records {
        let checked = match ContractTerms::parse(&r.raw, today) {
            Ok(t) => resolve(st, ctx, t).await,
            Err(e) => Err(e),
        };
        match checked {
            Ok(i) => inputs.push(i),
            Err(Invalid(errs)) => {
                let e = &errs[0];
                let msg = if en { &e.message } else { &e.message_zh };
                return Ok(Err(if en {
                    format!("{name}: row {}, column \"{}\": {msg}", r.row, e.field)
                } else {
                    format!("{name}：第 {} 行，“{}”列：{msg}", r.row, e.field)
                }));
            }
        }
    }
    let (user, _) = ctx.require_user()?;
    let registrars = registrars(st, &[]).await?;
    let told = |ids: &[i64]| {
        let n = ids.len();
        registrars
            .iter()
            .map(|r| {
                notice(
                    Recipient::User(*r),
                    NoticeKind::ContractRecorded,
                    "contract",
                    0,
                    (
                        &format!("导入 {n} 份技术合同"),
                        &format!("{n} contracts imported"),
                    ),
                    "",
                    Some(user.id),
                )
            })
            .collect::<Vec<_>>()
    };
    let ids = st
        .store
        .create_contracts(&ctx.audit()?, user.id, &inputs, told)
        .await?;
    deliver(st, &told(&ids)).await;
    Ok(Ok(ids.len()))
}

/// A contract the caller may read: its parties, its broker, staff and registrars.
async fn visible(st: &App, ctx: &Caller, id: i64) -> Result<ContractRow, AppError> {
    let (user, _) = ctx.require_user()?;
    let c = st.store.contract(id).await?;
    if reads_all(ctx)
        || ctx.member_org().is_some_and(|o| c.party(o))
        || c.broker_user_id == Some(user.id)
    {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// A registrar registers a pending contract today (Beijing time) under the next number of the
/// year and the seller's province. A registrar of one of the parties may not. Two registrars at
/// once leave one registration: the second is a conflict.
pub async fn register(st: &App, ctx: &Caller, id: i64) -> Result<String, AppError> {
    let c = review(st, ctx, id).await?;
    let today = st.clock.today();
    let year = st.clock.year();
    let prov = Region::from_code(&c.seller_region)
        .map(|r| r.province)
        .ok_or(AppError::Internal(format!(
            "contract {id} has an unknown seller region {}",
            c.seller_region
        )))?;
    let prefix = format!("{year:04}{}", contract::province_code(prov));
    let (user, _) = ctx.require_user()?;
    let told: Vec<_> = concerned(&c, user.id)
        .into_iter()
        .map(|r| {
            notice(
                r,
                NoticeKind::ContractRegistered,
                "contract",
                id,
                (&c.title, ""),
                "",
                Some(user.id),
            )
        })
        .collect();
    let number = st
        .store
        .register_contract(
            &ctx.audit()?,
            user.id,
            id,
            &today.to_string(),
            &prefix,
            |seq| registration_number(year, prov, seq),
            &told,
        )
        .await?;
    deliver(st, &told).await;
    Ok(number)
}

/// A registrar refuses a pending contract, saying why (at most 500 characters).
pub async fn refuse(st: &App, ctx: &Caller, id: i64, reason: &str) -> Result<(), AppError> {
    let c = review(st, ctx, id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(field_err("reason", "is required", "必填"));
    }
    if reason.chars().count() > 500 {
        return Err(field_err(
            "reason",
            "at most 500 characters",
            "不超过 500 个字",
        ));
    }
    let (user, _) = ctx.require_user()?;
    let told: Vec<_> = concerned(&c, user.id)
        .into_iter()
        .map(|r| {
            notice(
                r,
                NoticeKind::ContractRefused,
                "contract",
                id,
                (&c.title, ""),
                reason,
                Some(user.id),
            )
        })
        .collect();
    st.store
        .refuse_contract(&ctx.audit()?, user.id, id, reason, &told)
        .await?;
    deliver(st, &told).await;
    Ok(())
}

/// The contract a registrar is about to review: pending, and not one its own organisation signed.
async fn review(st: &App, ctx: &Caller, id: i64) -> Result<ContractRow, AppError> {
    ctx.require_user()?;
    if !reviews(ctx) {
        return Err(AppError::Forbidden);
    }
    let c = visible(st, ctx, id).await?;
    if ctx
        .user
        .as_ref()
        .and_then(|u| u.org_id)
        .is_some_and(|o| c.party(o))
    {
        return Err(AppError::Forbidden);
    }
    if c.status != ContractStatus::Pending {
        return Err(AppError::Conflict("status"));
    }
    Ok(c)
}

/// What the caller may do with a contract.
#[derive(Serialize)]
pub struct Detail {
    pub c: ContractRow,
    pub payments: Vec<PaymentRow>,
    pub may_review: bool,
}

pub async fn detail(st: &App, ctx: &Caller, id: i64) -> Result<Detail, AppError> {
    let c = visible(st, ctx, id).await?;
    let own = ctx
        .user
        .as_ref()
        .and_then(|u| u.org_id)
        .is_some_and(|o| c.party(o));
    Ok(Detail {
        payments: st.store.contract_payments(id).await?,
        may_review: reviews(ctx) && !own && c.status == ContractStatus::Pending,
        c,
    })
}

/// The contracts the caller may read, newest signed first: staff and registrars all (or those
/// of `status`), a member its organisation's, a broker those it is credited on.
pub async fn list(
    st: &App,
    ctx: &Caller,
    status: Option<&str>,
) -> Result<Vec<ContractRow>, AppError> {
    let (user, _) = ctx.require_user()?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ContractStatus::from_code(s).ok_or_else(|| {
            field_err(
                "status",
                "is pending, registered or refused",
                "须为待登记、已登记或不予登记",
            )
        })?),
    };
    let f = if reads_all(ctx) {
        ContractFilter {
            status,
            ..Default::default()
        }
    } else if let Some(o) = ctx.member_org() {
        ContractFilter {
            org: Some(o),
            status,
            ..Default::default()
        }
    } else if ctx.role() == Some(Role::Broker) {
        ContractFilter {
            broker: Some(user.id),
            status,
            ..Default::default()
        }
    } else {
        return Err(AppError::Forbidden);
    };
    Ok(st.store.contracts(&f).await?)
}

/// The contracts as an Excel sheet in the import's columns (so an export imports again), plus
/// the registration columns.
pub fn sheet(
    rows: &[ContractRow],
    payments: &BTreeMap<i64, Vec<PaymentRow>>,
) -> duijie_tabular::Table {
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    let mut headers: Vec<String> = CONTRACT_COLUMNS.iter().map(|c| c.to_string()).collect();
    headers.extend(
        [
            "status",
            "registration_no",
            "registered_on",
            "seller_region",
            "buyer_region",
        ]
        .map(String::from),
    );
    let rows = rows
        .iter()
        .map(|c| {
            let schedule = payments
                .get(&c.id)
                .map(|ps| {
                    ps.iter()
                        .map(|p| format!("{} {}", p.due_on, yuan(p.amount_fen)))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            vec![
                c.title.clone(),
                c.kind.code().to_string(),
                c.seller_org_id.to_string(),
                c.buyer_org_id.to_string(),
                yuan(c.total_fen),
                yuan(c.transaction_fen),
                c.signed_on.clone(),
                c.term_from.clone(),
                c.term_to.clone(),
                schedule,
                c.chain.clone().unwrap_or_default(),
                id(c.docking_id),
                id(c.scenario_id),
                id(c.achievement_id),
                id(c.challenge_id),
                id(c.gathering_id),
                c.note.clone(),
                c.status.code().to_string(),
                c.registration_no.clone().unwrap_or_default(),
                c.registered_on.clone().unwrap_or_default(),
                c.seller_region.clone(),
                c.buyer_region.clone(),
            ]
        })
        .collect();
    duijie_tabular::Table { headers, rows }
}

/// The caller's contracts as an .xlsx file.
pub async fn export(st: &App, ctx: &Caller, status: Option<&str>) -> Result<Vec<u8>, AppError> {
    let rows = list(st, ctx, status).await?;
    let mut payments = BTreeMap::new();
    for c in &rows {
        payments.insert(c.id, st.store.contract_payments(c.id).await?);
    }
    let t = sheet(&rows, &payments);
    duijie_tabular::xlsx_bytes(&[("技术合同", &t)]).map_err(|e| AppError::Internal(e.to_string()))
}

/// A headline flow in one period and the one before.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Headline {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub count: i64,
    pub total_fen: i64,
    pub transaction_fen: i64,
    pub previous_transaction_fen: i64,
    /// Growth of the transaction amount on the previous year, percent; none for all years or
    /// when the previous year had nothing.
    pub growth: Option<f64>,
}

/// The contract statistics for a year ('' for all) and quarter (0 for all).
#[derive(Debug, Clone, Serialize)]
pub struct Statistics {
    pub year: String,
    pub quarter: i64,
    pub flows: Vec<FlowCell>,
    pub headlines: Vec<Headline>,
    pub by_class: Vec<ContractGroup>,
    pub by_kind: Vec<ContractGroup>,
    pub by_chain: Vec<ContractGroup>,
    pub by_quarter: Vec<ContractGroup>,
    /// Every year on record (whatever year is chosen): the trend of the headline figure.
    pub by_year: Vec<ContractGroup>,
    /// (step code, count): dockings requested, accepted, contracts signed, registered.
    pub funnel: Vec<(&'static str, i64)>,
    pub totals: ContractGroup,
}

fn add_headlines(cells: &[FlowCell], into: &mut [Headline; 2], previous: bool) {
    for c in cells {
        let (Some(s), Some(b)) = (
            Region::from_code(&c.seller_region),
            Region::from_code(&c.buyer_region),
        ) else {
            continue;
        };
        let h = headlines(s.province, b.province);
        for (i, counts) in [h.beijing_to_tianjin_hebei, h.beijing_tianjin_to_hebei]
            .into_iter()
            .enumerate()
        {
            if !counts {
                continue;
            }
            if previous {
                into[i].previous_transaction_fen += c.transaction_fen;
            } else {
                into[i].count += c.count;
                into[i].total_fen += c.total_fen;
                into[i].transaction_fen += c.transaction_fen;
            }
        }
    }
}

/// A quarter as the statistics take it: blank or 0 for the whole year, else 1–4.
pub fn quarter(text: Option<&str>) -> Result<i64, AppError> {
    match text.map(str::trim).unwrap_or("") {
        "" | "0" => Ok(0),
        q => q
            .parse::<i64>()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(|| field_err("quarter", "is a quarter from 1 to 4", "须为 1 到 4 的季度")),
    }
}

/// Counted from registered contracts (public: aggregated figures name no contract).
/// Flow cells with county-level places rolled up into their city (the statistics report
/// Beijing, Tianjin, Xiong'an and each Hebei city).
fn by_city(cells: Vec<FlowCell>) -> Vec<FlowCell> {
    let mut out: BTreeMap<(String, String), FlowCell> = BTreeMap::new();
    for c in cells {
        let s = duijie_domain::region::city_of(&c.seller_region).to_string();
        let b = duijie_domain::region::city_of(&c.buyer_region).to_string();
        let e = out
            .entry((s.clone(), b.clone()))
            .or_insert_with(|| FlowCell {
                seller_region: s,
                buyer_region: b,
                count: 0,
                total_fen: 0,
                transaction_fen: 0,
            });
        e.count += c.count;
        e.total_fen += c.total_fen;
        e.transaction_fen += c.transaction_fen;
    }
    out.into_values().collect()
}

pub async fn statistics(
    st: &App,
    year: &str,
    quarter: i64,
) -> Result<std::sync::Arc<Statistics>, AppError> {
    st.memo(format!("contracts:{year}:{quarter}"), || {
        compute_statistics(st, year, quarter)
    })
    .await
}

async fn compute_statistics(st: &App, year: &str, quarter: i64) -> Result<Statistics, AppError> {
    let flows = by_city(st.store.contract_flows(year, quarter).await?);
    let mut heads = [
        Headline {
            code: "beijing_to_tianjin_hebei",
            zh: contract::BEIJING_TO_TIANJIN_HEBEI.zh,
            en: contract::BEIJING_TO_TIANJIN_HEBEI.en,
            ..Headline::default()
        },
        Headline {
            code: "beijing_tianjin_to_hebei",
            zh: contract::BEIJING_TIANJIN_TO_HEBEI.zh,
            en: contract::BEIJING_TIANJIN_TO_HEBEI.en,
            ..Headline::default()
        },
    ];
    add_headlines(&flows, &mut heads, false);
    if let Ok(y) = year.parse::<i32>() {
        let before = st
            .store
            .contract_flows(&(y - 1).to_string(), quarter)
            .await?;
        add_headlines(&before, &mut heads, true);
        for h in &mut heads {
            h.growth = growth(h.transaction_fen, h.previous_transaction_fen);
        }
    }
    let by_kind = st.store.contract_groups("kind", year, quarter).await?;
    let mut classes: BTreeMap<usize, ContractGroup> = BTreeMap::new();
    for g in &by_kind {
        let Some(k) = ContractKind::from_code(&g.key) else {
            continue;
        };
        let class = k.class();
        let pos = ContractClass::ALL
            .iter()
            .position(|c| *c == class)
            .unwrap_or(0);
        let e = classes.entry(pos).or_insert_with(|| ContractGroup {
            key: class.code().to_string(),
            count: 0,
            total_fen: 0,
            transaction_fen: 0,
        });
        e.count += g.count;
        e.total_fen += g.total_fen;
        e.transaction_fen += g.transaction_fen;
    }
    let totals = ContractGroup {
        key: String::new(),
        count: flows.iter().map(|c| c.count).sum(),
        total_fen: flows.iter().map(|c| c.total_fen).sum(),
        transaction_fen: flows.iter().map(|c| c.transaction_fen).sum(),
    };
    let (requested, accepted, signed, registered) = st.store.docking_funnel(year).await?;
    Ok(Statistics {
        year: year.to_string(),
        quarter,
        headlines: heads.to_vec(),
        by_class: classes.into_values().collect(),
        by_chain: st.store.contract_groups("chain", year, quarter).await?,
        by_quarter: st.store.contract_groups("quarter", year, quarter).await?,
        by_year: st.store.contract_groups("year", "", 0).await?,
        by_kind,
        funnel: vec![
            ("docking_requested", requested),
            ("docking_accepted", accepted),
            ("contract_signed", signed),
            ("contract_registered", registered),
        ],
        flows,
        totals,
    })
}

/// A new contract form's first values: from a docking of the caller's (the owner of an
/// achievement sells, the owner of a scenario buys), or the caller's organisation as seller;
/// signed today, for a year.
pub async fn new_values(
    st: &App,
    ctx: &Caller,
    docking: Option<i64>,
) -> Result<serde_json::Value, AppError> {
    may_record(ctx)?;
    let today = st.clock.today();
    let mut v = serde_json::json!({
        "signed_on": today.to_string(),
        "term_from": today.to_string(),
        "term_to": (today + chrono::Duration::days(364)).to_string(),
        "kind": ContractKind::DevelopmentCommissioned.code(),
    });
    if let Some(org) = ctx.member_org() {
        v["seller"] = org.to_string().into();
    }
    if let Some(id) = docking {
        let d = st.store.docking(id).await?;
        if !(ctx.is_staff() || ctx.member_org().is_some_and(|o| d.party(o))) {
            return Err(AppError::NotFound);
        }
        let (seller, buyer) = if d.about_kind == "achievement" {
            (d.to_org_id, d.from_org_id)
        } else {
            (d.from_org_id, d.to_org_id)
        };
        v["seller"] = seller.to_string().into();
        v["buyer"] = buyer.to_string().into();
        v["docking_id"] = id.to_string().into();
        v["title"] = d.about_zh.clone().into();
        v["kind"] = match d.want {
            duijie_domain::docking::DockingWant::Licence => ContractKind::LicencePatent,
            duijie_domain::docking::DockingWant::Transfer => ContractKind::TransferPatent,
            duijie_domain::docking::DockingWant::Service
            | duijie_domain::docking::DockingWant::Pilot => ContractKind::Service,
            duijie_domain::docking::DockingWant::JointDevelopment => {
                ContractKind::DevelopmentCooperative
            }
            _ => ContractKind::DevelopmentCommissioned,
        }
        .code()
        .into();
    }
    Ok(v)
}

/// (id, Chinese name, English name) of every organisation, for the parties of a contract
/// (names are public on the platform).
pub async fn party_choices(st: &App, ctx: &Caller) -> Result<Vec<(i64, String, String)>, AppError> {
    may_record(ctx)?;
    Ok(st.store.organisation_names().await?)
}

/// The flow cells laid out as a table: seller regions down, buyer regions across (each in the
/// platform's region order, only those with contracts), with row and column totals.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub sellers: Vec<String>,
    pub buyers: Vec<String>,
    /// `cells[i][j]`: from `sellers[i]` to `buyers[j]`.
    pub cells: Vec<Vec<Option<FlowCell>>>,
    pub seller_totals: Vec<ContractGroup>,
    pub buyer_totals: Vec<ContractGroup>,
}

pub fn matrix(flows: &[FlowCell]) -> Matrix {
    let order = |code: &str| {
        duijie_domain::region::REGIONS
            .iter()
            .position(|r| r.code == code)
            .unwrap_or(usize::MAX)
    };
    let mut sellers: Vec<String> = flows.iter().map(|c| c.seller_region.clone()).collect();
    let mut buyers: Vec<String> = flows.iter().map(|c| c.buyer_region.clone()).collect();
    for v in [&mut sellers, &mut buyers] {
        v.sort_by_key(|c| (order(c), c.clone()));
        v.dedup();
    }
    let total = |key: &str, cells: &mut dyn Iterator<Item = &FlowCell>| {
        let mut g = ContractGroup {
            key: key.to_string(),
            count: 0,
            total_fen: 0,
            transaction_fen: 0,
        };
        for c in cells {
            g.count += c.count;
            g.total_fen += c.total_fen;
            g.transaction_fen += c.transaction_fen;
        }
        g
    };
    Matrix {
        cells: sellers
            .iter()
            .map(|s| {
                buyers
                    .iter()
                    .map(|b| {
                        flows
                            .iter()
                            .find(|c| &c.seller_region == s && &c.buyer_region == b)
                            .cloned()
                    })
                    .collect()
            })
            .collect(),
        seller_totals: sellers
            .iter()
            .map(|s| total(s, &mut flows.iter().filter(|c| &c.seller_region == s)))
            .collect(),
        buyer_totals: buyers
            .iter()
            .map(|b| total(b, &mut flows.iter().filter(|c| &c.buyer_region == b)))
            .collect(),
        sellers,
        buyers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str, b: &str, n: i64) -> FlowCell {
        FlowCell {
            seller_region: s.into(),
            buyer_region: b.into(),
            count: n,
            total_fen: n * 100,
            transaction_fen: n * 10,
        }
    }

    #[test]
    fn the_matrix_lays_flows_out_in_region_order_with_totals() {
        let m = matrix(&[
            cell("tianjin", "hebei.cangzhou", 1),
            cell("beijing", "hebei.tangshan", 2),
            cell("beijing", "hebei.cangzhou", 3),
        ]);
        assert_eq!(m.sellers, vec!["beijing", "tianjin"]);
        assert_eq!(m.buyers, vec!["hebei.tangshan", "hebei.cangzhou"]);
        assert_eq!(m.cells[0][1].as_ref().map(|c| c.count), Some(3));
        assert!(m.cells[1][0].is_none());
        assert_eq!(m.seller_totals[0].count, 5);
        assert_eq!(m.buyer_totals[1].transaction_fen, 40);
    }

    #[test]
    fn county_places_roll_up_into_their_city() {
        let f = by_city(vec![
            cell("beijing", "hebei.tangshan.caofeidian", 2),
            cell("beijing", "hebei.tangshan", 1),
            cell("beijing", "hebei.xiongan", 4),
        ]);
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].buyer_region.as_str(), f[0].count),
            ("hebei.tangshan", 3)
        );
        assert_eq!(f[1].buyer_region, "hebei.xiongan");
    }

    #[test]
    fn headlines_add_up_the_flows_they_cover() {
        let mut h = [Headline::default(), Headline::default()];
        add_headlines(
            &[
                cell("beijing", "hebei.tangshan", 2),
                cell("beijing", "tianjin", 1),
                cell("tianjin", "hebei.cangzhou", 4),
                cell("hebei.tangshan", "beijing", 8),
            ],
            &mut h,
            false,
        );
        assert_eq!((h[0].count, h[0].transaction_fen), (3, 30));
        assert_eq!((h[1].count, h[1].transaction_fen), (6, 60));
    }
}
