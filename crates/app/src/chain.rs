//! Industrial chains: the links of a chain (upstream to downstream) and what is placed on them.

use duijie_domain::ChainPosition;
use duijie_pipeline::chain::{map, Counts, Link, LinkView};
use duijie_pipeline::fit::{region_in, words_in};
use duijie_store::achievement::AchievementRow;
use duijie_store::chain::{LinkInput, LinkRow, PlaceRow};
use duijie_store::listing::ListFilter;
use duijie_store::Viewer;
use serde::Serialize;

use crate::service::field_err;
use crate::{App, AppError, Caller, FormData};

fn staff(ctx: &Caller) -> Result<(), AppError> {
    ctx.require_user()?;
    if ctx.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A link added to chain `code` (staff only).
pub async fn add_link(st: &App, ctx: &Caller, code: &str, form: &FormData) -> Result<(), AppError> {
    staff(ctx)?;
    duijie_domain::Chain::from_code(code).ok_or(AppError::NotFound)?;
    let l = LinkInput {
        chain: code.to_string(),
        parent_id: form.get("parent_id").and_then(|s| s.parse().ok()),
        position: form.one_of::<ChainPosition>("position")?,
        name_zh: form.text("name_zh", 100, true)?,
        name_en: form.text("name_en", 100, false)?,
        keywords: form.text("keywords", 500, false)?,
    };
    st.store.add_chain_link(&ctx.audit()?, &l).await?;
    Ok(())
}

/// An organisation, scenario or achievement placed on a link of chain `code` (staff only);
/// returns the link.
pub async fn place(st: &App, ctx: &Caller, code: &str, form: &FormData) -> Result<i64, AppError> {
    staff(ctx)?;
    let link: i64 = form
        .get("link_id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let l = st.store.chain_link(link).await?;
    if l.chain != code {
        return Err(AppError::NotFound);
    }
    let entity = form.get("entity").unwrap_or("");
    if !matches!(entity, "organisation" | "scenario" | "achievement") {
        return Err(field_err(
            "entity",
            "is not organisation, scenario or achievement",
            "须为机构、场景或成果",
        ));
    }
    let id: i64 = form
        .get("entity_id")
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| field_err("entity_id", "give the record's number", "请填写记录编号"))?;
    st.store.place(&ctx.audit()?, link, entity, id).await?;
    Ok(link)
}

/// A link is a gap when fewer Hebei enterprises than this are placed on it (with its sub-links).
pub const GAP_THRESHOLD: u32 = 2;

fn from_bjtj(region: &str) -> bool {
    region_in(region, "beijing") || region_in(region, "tianjin")
}

/// Each chain's code with how many links it has.
pub async fn link_counts(st: &App) -> Result<Vec<(String, i64)>, AppError> {
    Ok(st.store.chains_with_links().await?)
}

/// A suggested achievement for a gap, with the link's keywords its text names.
#[derive(Serialize)]
pub struct Suggested {
    pub a: AchievementRow,
    pub hits: Vec<String>,
}

/// One link of the map: its counts and level, keywords, what is placed on it and, for a gap,
/// the achievements that could fill it.
#[derive(Serialize)]
pub struct MapRow {
    pub v: LinkView,
    pub keywords: Option<String>,
    pub placed: Vec<PlaceRow>,
    pub suggested: Vec<Suggested>,
}

/// The chain map of `code`: every link with its counts (own and of its sub-links), gaps marked
/// below [`GAP_THRESHOLD`] Hebei enterprises, and for each gap up to five Beijing/Tianjin
/// achievements of the chain whose text names one of the link's keywords (besides those already
/// placed there). Also the links themselves, for the officers' forms.
pub async fn chain_map(st: &App, code: &str) -> Result<(Vec<MapRow>, Vec<LinkRow>), AppError> {
    duijie_domain::Chain::from_code(code).ok_or(AppError::NotFound)?;
    let links = st.store.chain_links(code).await?;
    let places = st.store.chain_places(code).await?;
    let own = |id: i64| {
        let mut c = Counts::default();
        for p in places.iter().filter(|p| p.link_id == id) {
            match p.entity.as_str() {
                // Hebei enterprises: a government office or university is not one.
                "organisation" if region_in(&p.region, "hebei") && p.org_kind == "enterprise" => {
                    c.hebei_orgs += 1
                }
                "organisation" => c.other_orgs += 1,
                "achievement" if from_bjtj(&p.region) => c.bjtj_achievements += 1,
                "scenario" => c.scenarios += 1,
                _ => {}
            }
        }
        c
    };
    let tree: Vec<Link> = links
        .iter()
        .map(|l| Link {
            id: l.id,
            parent: l.parent_id,
            position: l.position.code().to_string(),
            name_zh: l.name_zh.clone(),
            name_en: l.name_en.clone(),
        })
        .collect();
    let view = map(&tree, &own, GAP_THRESHOLD);
    let mut f = ListFilter::new(Viewer::Public);
    f.chain = Some(code.to_string());
    let achievements = st.store.achievements(&f, None).await?.0;
    let rows = view
        .into_iter()
        .map(|v| {
            let l = links.iter().find(|l| l.id == v.link.id);
            let placed: Vec<PlaceRow> = places
                .iter()
                .filter(|p| p.link_id == v.link.id)
                .cloned()
                .collect();
            let suggested = if v.level == "gap" {
                achievements
                    .iter()
                    .filter(|a| from_bjtj(&a.org_region))
                    .filter(|a| {
                        !placed
                            .iter()
                            .any(|p| p.entity == "achievement" && p.entity_id == a.id)
                    })
                    .filter_map(|a| {
                        let text =
                            format!("{} {} {} {}", a.title_zh, a.summary_zh, a.title_en, a.field);
                        let hits = words_in(l.map_or("", |l| l.keywords.as_str()), &text);
                        (!hits.is_empty()).then(|| Suggested { a: a.clone(), hits })
                    })
                    .take(5)
                    .collect()
            } else {
                Vec::new()
            };
            MapRow {
                keywords: l.map(|l| l.keywords.clone()),
                v,
                placed,
                suggested,
            }
        })
        .collect();
    Ok((rows, links))
}
