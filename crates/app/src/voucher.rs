//! Innovation vouchers (创新券) between pages and store: a programme office opens a scheme,
//! enterprises apply, the office approves (within the budget) or refuses, an enterprise uses
//! its voucher on a pilot service it requested (the scheme's share of the price, within the
//! balance, never twice for one service, never with a related provider), the provider asks
//! for redemption once the service's result is recorded, and the office reconciles. The rules
//! are `duijie_policy::voucher`; the sums are kept by the store in the write.

use chrono::NaiveDate;
use duijie_domain::pipeline::{RequestStatus, ServiceKind};
use duijie_domain::voucher::{VoucherStatus, VoucherUseStatus};
use duijie_domain::{OrgKind, Region};
use duijie_policy::voucher::{self as rules, Scheme};
use duijie_policy::{Assessment, Text, Verdict};
use duijie_store::pilot::RequestRow;
use duijie_store::voucher::{SchemeInput, SchemeRow, UseRow, VoucherRow, VoucherStat};
use duijie_store::StoreError;
use serde::Serialize;

use crate::error::AppError;
use crate::form::FormData;
use crate::service::field_err;
use crate::{App, Caller};

/// The provinces a scheme may name.
pub const PROVINCES: &[&str] = &["beijing", "tianjin", "hebei"];

/// Labels joined for reading in both languages ("北京、河北", "Beijing, Hebei").
fn joined(labels: impl Iterator<Item = duijie_domain::Label>) -> Text {
    let labels: Vec<_> = labels.collect();
    Text::new(
        labels.iter().map(|l| l.zh).collect::<Vec<_>>().join("、"),
        labels.iter().map(|l| l.en).collect::<Vec<_>>().join(", "),
    )
}

/// Names of comma-separated province codes.
fn province_names(codes: &str) -> Text {
    joined(
        codes
            .split(',')
            .filter_map(duijie_domain::region::Province::from_code)
            .map(|p| p.label()),
    )
}

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// What the rules read of a stored scheme.
pub fn rules_scheme(s: &SchemeRow) -> Scheme<'_> {
    Scheme {
        name: Text::new(s.name_zh.clone(), s.name_en.clone()),
        source: &s.source,
        budget: s.budget_fen,
        committed: s.committed_fen,
        per_enterprise: s.per_enterprise_fen,
        share_pct: s.share_pct,
        service_kinds: s.service_kinds.split(',').collect(),
        provider_regions: s.provider_regions.split(',').collect(),
        enterprise_regions: s.enterprise_regions.split(',').collect(),
        provider_names: province_names(&s.provider_regions),
        enterprise_names: province_names(&s.enterprise_regions),
        valid_from: day(&s.valid_from),
        valid_until: day(&s.valid_until),
    }
}

/// Programme staff open schemes and decide; an office's officer acts for their organisation.
fn require_staff(ctx: &Caller) -> Result<(), AppError> {
    ctx.require_user()?;
    if ctx.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Every scheme, newest first (public: what programmes exist is public information).
pub async fn list(st: &App) -> Result<Vec<SchemeRow>, AppError> {
    Ok(st.store.schemes().await?)
}

/// Open a scheme from the form (staff), for the officer's organisation.
pub async fn open(st: &App, ctx: &Caller, form: &FormData) -> Result<i64, AppError> {
    require_staff(ctx)?;
    let (user, _) = ctx.require_user()?;
    let Some(office) = user.org_id else {
        return Err(field_err(
            "org_id",
            "your account belongs to no programme office",
            "您的账号不属于任何主管部门，无法开设创新券方案",
        ));
    };
    let provinces = |field: &str| -> Result<String, AppError> {
        let v = form.values();
        let raw = v.get(field).and_then(|s| s.as_str()).unwrap_or("");
        let chosen: Vec<&str> = raw
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if chosen.is_empty() || chosen.iter().any(|c| !PROVINCES.contains(c)) {
            return Err(field_err(
                field,
                "choose at least one of Beijing, Tianjin, Hebei",
                "请至少选择北京、天津、河北之一",
            ));
        }
        Ok(PROVINCES
            .iter()
            .filter(|p| chosen.contains(p))
            .copied()
            .collect::<Vec<_>>()
            .join(","))
    };
    let kinds = {
        let v = form.values();
        let raw = v
            .get("service_kinds")
            .and_then(|s| s.as_str())
            .unwrap_or("")
            .to_string();
        let chosen: Vec<&str> = raw
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if chosen.is_empty() || chosen.iter().any(|c| ServiceKind::from_code(c).is_none()) {
            return Err(field_err(
                "service_kinds",
                "choose at least one service kind",
                "请至少选择一种服务类型",
            ));
        }
        chosen.join(",")
    };
    let money = |field: &str| -> Result<i64, AppError> {
        let fen = form.wan(field)?;
        if fen <= 0 {
            return Err(field_err(field, "must be above zero", "须大于 0"));
        }
        Ok(fen)
    };
    let input = SchemeInput {
        name_zh: form.text("name_zh", 100, true)?,
        name_en: form.text("name_en", 200, false)?,
        source: form.text("source", 200, true)?,
        budget_fen: money("budget")?,
        per_enterprise_fen: money("per_enterprise")?,
        share_pct: form.number("share_pct", 1..=100, None)?,
        service_kinds: kinds,
        provider_regions: provinces("provider_regions")?,
        enterprise_regions: provinces("enterprise_regions")?,
        valid_from: form.day("valid_from")?.to_string(),
        valid_until: form.day("valid_until")?.to_string(),
    };
    if input.per_enterprise_fen > input.budget_fen {
        return Err(field_err(
            "per_enterprise",
            "is more than the whole budget",
            "超过方案总额度",
        ));
    }
    if input.valid_until < input.valid_from {
        return Err(field_err(
            "valid_until",
            "is before the first day",
            "早于开始日期",
        ));
    }
    Ok(st
        .store
        .create_scheme(&ctx.audit()?, office, &input)
        .await?)
}

/// A scheme's page as the caller may see it.
#[derive(Debug, Serialize)]
pub struct SchemePage {
    pub scheme: SchemeRow,
    pub provider_names: Text,
    pub enterprise_names: Text,
    /// The service kinds it pays for, named.
    pub service_names: Text,
    pub open: bool,
    pub staff: bool,
    /// The caller's organisation, when a member of one (a provider redeems its uses).
    pub member_org: Option<i64>,
    /// The caller's enterprise, as the scheme judges it (members of enterprises).
    pub mine: Option<Assessment>,
    /// The caller's organisation's voucher in this scheme.
    pub voucher: Option<VoucherRow>,
    /// Its service requests a voucher may still pay (scheduled or done, not paid yet).
    pub payable: Vec<RequestRow>,
    /// Applications (staff).
    pub applications: Vec<VoucherRow>,
    /// Uses the caller may see: all (staff), its own (enterprise), those it provided.
    pub uses: Vec<UseRow>,
    pub stats: Vec<VoucherStat>,
}

pub async fn page(st: &App, ctx: &Caller, id: i64) -> Result<SchemePage, AppError> {
    let scheme = st.store.scheme(id).await?;
    let today = st.clock.today();
    let staff = ctx.is_staff();
    let org = ctx.member_org();
    let mut mine = None;
    let mut voucher = None;
    let mut payable = Vec::new();
    if let Some(org) = org {
        mine = judged(st, &scheme, org).await?;
        voucher = st
            .store
            .vouchers_of(org)
            .await?
            .into_iter()
            .find(|v| v.scheme_id == id);
        if voucher
            .as_ref()
            .is_some_and(|v| v.status == VoucherStatus::Approved)
        {
            payable = st
                .store
                .requests_without_voucher(org)
                .await?
                .into_iter()
                .filter(|r| matches!(r.status, RequestStatus::Scheduled | RequestStatus::Done))
                .collect();
        }
    }
    let applications = if staff {
        st.store.vouchers(id).await?
    } else {
        Vec::new()
    };
    let uses = st
        .store
        .voucher_uses(id)
        .await?
        .into_iter()
        .filter(|u| staff || Some(u.org_id) == org || Some(u.provider_org_id) == org)
        .collect();
    Ok(SchemePage {
        provider_names: province_names(&scheme.provider_regions),
        service_names: joined(
            scheme
                .service_kinds
                .split(',')
                .filter_map(ServiceKind::from_code)
                .map(|k| k.label()),
        ),
        enterprise_names: province_names(&scheme.enterprise_regions),
        open: rules::open(&rules_scheme(&scheme), today),
        stats: st.store.voucher_stats(id).await?,
        scheme,
        staff,
        member_org: org,
        mine,
        voucher,
        payable,
        applications,
        uses,
    })
}

/// The region's name in both languages (its code when unknown).
fn region_name(code: &str) -> Text {
    Region::from_code(code).map_or_else(
        || Text::new(code.to_string(), code.to_string()),
        |r| Text::new(r.label.zh, r.label.en),
    )
}

/// Organisation `org` as the scheme judges it, if it is an enterprise.
async fn judged(st: &App, scheme: &SchemeRow, org: i64) -> Result<Option<Assessment>, AppError> {
    let o = st.store.organisation(org).await?;
    Ok((o.kind == OrgKind::Enterprise).then(|| {
        rules::assess(
            &rules_scheme(scheme),
            &o.region,
            &region_name(&o.region),
            st.clock.today(),
        )
    }))
}

/// The caller's enterprise applies (a member of an enterprise the scheme is for).
pub async fn apply(st: &App, ctx: &Caller, id: i64) -> Result<i64, AppError> {
    ctx.require_user()?;
    let Some(org) = ctx.member_org() else {
        return Err(AppError::Forbidden);
    };
    let scheme = st.store.scheme(id).await?;
    let Some(a) = judged(st, &scheme, org).await? else {
        return Err(field_err(
            "org_id",
            "only enterprises hold vouchers",
            "只有企业可以申领创新券",
        ));
    };
    if a.verdict != Verdict::Likely {
        let why = a
            .conditions
            .iter()
            .find(|c| c.state != duijie_policy::State::Met)
            .map(|c| c.text.clone())
            .unwrap_or_else(|| Text::new("不符合方案条件", "the scheme's conditions are not met"));
        return Err(field_err("scheme", &why.en, &why.zh));
    }
    st.store
        .apply_voucher(&ctx.audit()?, id, org)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => field_err(
                "scheme",
                "your organisation has already applied to this scheme",
                "本单位已申领过该方案的创新券",
            ),
            e => e.into(),
        })
}

/// Approve (with an amount in 万元, the scheme's per-enterprise amount when blank) or refuse
/// (with a reason) an application (staff).
pub async fn decide(
    st: &App,
    ctx: &Caller,
    voucher_id: i64,
    form: &FormData,
) -> Result<i64, AppError> {
    require_staff(ctx)?;
    let v = st.store.voucher(voucher_id).await?;
    let scheme = st.store.scheme(v.scheme_id).await?;
    let approve = match form.get("decision").unwrap_or("") {
        "approve" => {
            let amount = match form.get("amount").map(str::trim).unwrap_or("") {
                "" => scheme.per_enterprise_fen,
                _ => form.wan("amount")?,
            };
            if amount <= 0 || amount > scheme.per_enterprise_fen {
                return Err(field_err(
                    "amount",
                    "must be above zero and at most the scheme's amount per enterprise",
                    "须大于 0 且不超过方案规定的每家企业额度",
                ));
            }
            Some(amount)
        }
        "refuse" => None,
        _ => {
            return Err(field_err(
                "decision",
                "approve or refuse",
                "请选择发放或不予发放",
            ))
        }
    };
    let reason = form.text("reason", 500, approve.is_none())?;
    st.store
        .decide_voucher(&ctx.audit()?, voucher_id, approve, &reason)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { field: "budget" } => field_err(
                "amount",
                "the scheme's budget has not enough left",
                "方案剩余额度不足，无法按此金额发放",
            ),
            StoreError::Conflict { .. } => field_err(
                "decision",
                "this application has already been decided",
                "该申请已经处理过",
            ),
            e => e.into(),
        })?;
    Ok(v.scheme_id)
}

/// The voucher's holder uses it on one of its service requests at `price` (万元): the scheme's
/// share, within the balance. Returns the scheme's id.
pub async fn use_on(
    st: &App,
    ctx: &Caller,
    voucher_id: i64,
    form: &FormData,
) -> Result<i64, AppError> {
    ctx.require_user()?;
    let v = st.store.voucher(voucher_id).await?;
    if ctx.member_org() != Some(v.org_id) {
        return Err(AppError::Forbidden);
    }
    let request_id = form.number("request_id", 1..=i64::MAX, None)?;
    let r = st
        .store
        .service_request(request_id)
        .await
        .map_err(|_| field_err("request_id", "no such service request", "没有这项服务申请"))?;
    if r.org_id != v.org_id || !matches!(r.status, RequestStatus::Scheduled | RequestStatus::Done) {
        return Err(field_err(
            "request_id",
            "only your own scheduled or completed service requests",
            "只能用于本单位已排期或已完成的服务申请",
        ));
    }
    let price = form.wan("price")?;
    let scheme = st.store.scheme(v.scheme_id).await?;
    let service = st.store.service(r.service_id).await?;
    let provider = st.store.organisation(r.platform_org_id).await?;
    let amount = rules::payable(
        &rules_scheme(&scheme),
        service.kind.code(),
        &provider.region,
        provider.id == v.org_id,
        price,
        v.balance_fen,
        st.clock.today(),
    )
    .map_err(|why| field_err("request_id", &why.en, &why.zh))?;
    st.store
        .use_voucher(
            &ctx.audit()?,
            voucher_id,
            request_id,
            provider.id,
            price,
            amount,
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict {
                field: "service_request_id",
            } => field_err(
                "request_id",
                "a voucher has already paid for this service",
                "该服务已使用过创新券",
            ),
            StoreError::Conflict { .. } => field_err(
                "price",
                "the voucher's balance is not enough",
                "创新券余额不足",
            ),
            e => e.into(),
        })?;
    Ok(v.scheme_id)
}

/// The provider asks for redemption (a member of the provider's organisation), once the
/// service's result is recorded; staff reconcile. Returns the scheme's id.
pub async fn step(
    st: &App,
    ctx: &Caller,
    use_id: i64,
    to: VoucherUseStatus,
) -> Result<i64, AppError> {
    ctx.require_user()?;
    let u = st.store.voucher_use(use_id).await?;
    let from = match to {
        VoucherUseStatus::Redeemed => {
            if ctx.member_org() != Some(u.provider_org_id) {
                return Err(AppError::Forbidden);
            }
            let r = st.store.service_request(u.service_request_id).await?;
            if r.status != RequestStatus::Done {
                return Err(field_err(
                    "status",
                    "record the service's result first",
                    "请先登记服务结果，再申请兑付",
                ));
            }
            VoucherUseStatus::Claimed
        }
        VoucherUseStatus::Reconciled => {
            require_staff(ctx)?;
            VoucherUseStatus::Redeemed
        }
        VoucherUseStatus::Claimed => return Err(AppError::Forbidden),
    };
    st.store
        .move_voucher_use(&ctx.audit()?, use_id, from, to)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => field_err(
                "status",
                "this use is not at that step",
                "该笔抵用不在此环节",
            ),
            e => e.into(),
        })?;
    Ok(u.scheme_id)
}

/// The open schemes as policies for an enterprise in `region` (for its policy page).
pub async fn for_enterprise(st: &App, region: &str) -> Result<Vec<(i64, Assessment)>, AppError> {
    let today = st.clock.today();
    let name = region_name(region);
    Ok(st
        .store
        .schemes()
        .await?
        .iter()
        .filter(|s| day(&s.valid_until) >= today)
        .map(|s| (s.id, rules::assess(&rules_scheme(s), region, &name, today)))
        .collect())
}

/// The scheme a voucher belongs to (for the page a refused action shows again).
pub async fn scheme_of(st: &App, voucher_id: i64) -> Result<i64, AppError> {
    Ok(st.store.voucher(voucher_id).await?.scheme_id)
}

/// The scheme a use belongs to.
pub async fn scheme_of_use(st: &App, use_id: i64) -> Result<i64, AppError> {
    Ok(st.store.voucher_use(use_id).await?.scheme_id)
}
