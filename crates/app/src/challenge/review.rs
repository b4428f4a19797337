//! Expert review: the assignment instance (lexical affinity, plus embeddings when loaded),
//! weighted scores and the ranked summary.

use super::*;

/// Assign `reviewers` experts to each application of the round (exact, max total affinity).
/// `objective`: the largest total affinity (exact), or first the best worst-off application.
pub async fn assign(
    st: &App,
    c: &ChallengeRow,
    apps: &[ApplicationRow],
    objective: duijie_assign::Objective,
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    let experts = st.store.experts().await?;
    let declared: Vec<(i64, i64)> = st
        .store
        .declared_conflicts(c.id)
        .await?
        .into_iter()
        .map(|d| (d.user_id, d.application_id))
        .collect();
    let org_names: HashMap<i64, String> = st
        .store
        .all_organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, format!("{}\n{}", o.name_zh, o.name_en)))
        .collect();
    let mut input = duijie_assign::Input {
        applications: apps
            .iter()
            .map(|a| duijie_assign::Application {
                id: a.id.to_string(),
                reviewers: c.reviewers as u32,
            })
            .collect(),
        experts: experts
            .iter()
            .map(|e| duijie_assign::Expert {
                id: e.user_id.to_string(),
                max_load: e.max_load.max(0) as u32,
                min_load: 0,
            })
            .collect(),
        ..Default::default()
    };
    let texts: Vec<String> = apps
        .iter()
        .map(|a| format!("{}\n{}\n{}\n{}", c.title_zh, c.problem, a.title, a.plan))
        .collect();
    let semantic = semantic_affinity(st, &experts, &texts).await;
    for (i, a) in apps.iter().enumerate() {
        for (j, e) in experts.iter().enumerate() {
            if conflict(e, a, &org_names, &declared).is_some() {
                input
                    .conflicts
                    .push((a.id.to_string(), e.user_id.to_string()));
            } else {
                // Every non-conflicted expert is eligible; the affinity orders them.
                let lexical = affinity(&e.fields, &texts[i]);
                let score = match &semantic {
                    Some(m) => (lexical + m[j][i]) / 2.0,
                    None => lexical,
                };
                input.scores.push((
                    a.id.to_string(),
                    e.user_id.to_string(),
                    (score * 1000.0).round() / 1000.0,
                ));
            }
        }
    }
    let out = tokio::task::spawn_blocking(move || {
        let out = duijie_assign::assign(&input, objective)?;
        let wrong = duijie_assign::check(&input, &out);
        Ok::<_, duijie_assign::AssignError>((out, wrong, input))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (out, wrong, input) =
        out.map_err(|e| AppError::BadRequest(format!("Reviewers cannot be assigned: {e}")))?;
    if !wrong.is_empty() {
        return Err(AppError::Internal(format!(
            "assignment broke rules: {}",
            wrong.join("; ")
        )));
    }
    let score: HashMap<(&str, &str), f64> = input
        .scores
        .iter()
        .map(|(a, e, s)| ((a.as_str(), e.as_str()), *s))
        .collect();
    Ok(out
        .assignments
        .iter()
        .map(|(a, e)| {
            let milli = (score.get(&(a.as_str(), e.as_str())).copied().unwrap_or(0.0) * 1000.0)
                .round() as i64;
            (
                a.parse().unwrap_or_default(),
                e.parse().unwrap_or_default(),
                milli,
            )
        })
        .collect())
}

/// Cosine similarity of each expert's fields (as a query) to each application (as a passage)
/// with the embedding model, when it is loaded: `[expert][application]`, 0 for empty fields.
async fn semantic_affinity(
    st: &App,
    experts: &[ExpertRow],
    texts: &[String],
) -> Option<Vec<Vec<f64>>> {
    let semantic = st.semantic.clone()?;
    let fields: Vec<String> = experts.iter().map(|e| e.fields.clone()).collect();
    let texts = texts.to_vec();
    let job = tokio::task::spawn_blocking(move || {
        let q: Vec<&str> = fields
            .iter()
            .map(|f| if f.is_empty() { "-" } else { f.as_str() })
            .collect();
        let p: Vec<&str> = texts.iter().map(String::as_str).collect();
        let eq = semantic.model.queries(&q).ok()?;
        let ep = semantic.model.passages(&p).ok()?;
        let unit = |v: &Vec<f32>| {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter().map(|x| f64::from(x / n)).collect::<Vec<f64>>()
        };
        let (eq, ep): (Vec<_>, Vec<_>) =
            (eq.iter().map(unit).collect(), ep.iter().map(unit).collect());
        Some(
            eq.iter()
                .zip(&fields)
                .map(|(e, f)| {
                    ep.iter()
                        .map(|a| {
                            if f.is_empty() {
                                0.0
                            } else {
                                e.iter().zip(a).map(|(x, y)| x * y).sum::<f64>().max(0.0)
                            }
                        })
                        .collect()
                })
                .collect(),
        )
    });
    job.await.ok().flatten()
}

pub fn weighted(criteria: &[(String, f64)], scores: &serde_json::Value) -> Option<f64> {
    let total: f64 = criteria.iter().map(|c| c.1).sum();
    let mut sum = 0.0;
    for (name, w) in criteria {
        sum += scores.get(name)?.as_f64()? * w;
    }
    (total > 0.0).then(|| sum / total * 10.0)
}

/// The ranked summary of one round's submitted reviews.
pub fn summary(c: &ChallengeRow, reviews: &[ReviewRow], round: i64) -> Vec<Summary> {
    let crit = criteria(&c.criteria);
    let scored: Vec<Scored> = reviews
        .iter()
        .filter(|r| r.round == round)
        .filter_map(|r| {
            let v: serde_json::Value = serde_json::from_str(r.scores.as_deref()?).ok()?;
            Some(Scored {
                application: r.application_id,
                expert: r.user_id,
                score: weighted(&crit, &v)?,
            })
        })
        .collect();
    aggregate(&scored)
}
