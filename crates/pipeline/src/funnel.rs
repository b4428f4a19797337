//! The outcome funnel: from demand released to companies rooted, each step with its share of
//! the step before and of the first.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub code: &'static str,
    pub count: i64,
    /// Percent of the step before (None for the first, or when it was zero).
    pub of_previous: Option<f64>,
    pub of_first: Option<f64>,
}

pub fn funnel(steps: &[(&'static str, i64)]) -> Vec<Step> {
    let first = steps.first().map(|s| s.1).unwrap_or(0);
    let pct = |a: i64, b: i64| (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0);
    steps
        .iter()
        .enumerate()
        .map(|(i, &(code, count))| Step {
            code,
            count,
            of_previous: if i == 0 {
                None
            } else {
                pct(count, steps[i - 1].1)
            },
            of_first: if i == 0 { None } else { pct(count, first) },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_is_a_share_of_the_one_before() {
        let f = funnel(&[
            ("demand", 200),
            ("matched", 50),
            ("met", 20),
            ("pilot", 0),
            ("invested", 0),
        ]);
        assert_eq!(f[1].of_previous, Some(25.0));
        assert_eq!(f[2].of_previous, Some(40.0));
        assert_eq!(f[2].of_first, Some(10.0));
        assert_eq!(f[4].of_previous, None, "nothing before it");
        assert_eq!(f[0].of_previous, None);
    }
}
