//! "Notify me": when an achievement is published or changed, every published scenario for
//! which it now ranks among the ten best matches gets a notice in its owner's inbox.

use duijie_search::DocKind;

use duijie_domain::Status;

use crate::error::AppError;
use crate::matching::{matches, Source};
use crate::App;

/// How deep a scenario's match list counts as "best".
pub const TOP: usize = 10;
/// Scenarios looked at for one achievement (those it matches best).
const SCENARIOS: usize = 30;

/// Notify the owners of scenarios where achievement `id` ranks in the top ten. Returns the
/// number of new notices.
pub async fn new_achievement(st: &App, id: i64) -> Result<usize, AppError> {
    let a = match st.store.achievement(id).await {
        Ok(a) => a,
        // Deleted: nothing to tell.
        Err(duijie_store::StoreError::NotFound) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    if !matches!(a.status, Status::Published | Status::Matched) {
        return Ok(0);
    }
    let engine = st.engine();
    let near = matches(
        engine,
        &Source::Achievement(&a),
        DocKind::Scenario,
        SCENARIOS,
    )
    .await?;
    let mut news = 0;
    for m in near {
        let s = st.store.scenario(m.id).await?;
        if s.status != Status::Published || s.org_id == a.org_id {
            continue;
        }
        let best =
            crate::matching::record_matches(st, &Source::Scenario(&s), DocKind::Achievement, TOP)
                .await?;
        if let Some(rank) = best.iter().position(|b| b.id == id) {
            let score = i64::from(best[rank].score);
            if st
                .store
                .notify_match(s.org_id, s.id, id, rank as i64 + 1, score)
                .await?
            {
                news += 1;
            }
        }
    }
    Ok(news)
}
