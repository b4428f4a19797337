//! An industrial chain as a tree of links (upstream → midstream → downstream), with what the
//! platform knows placed on each: Hebei enterprises, Beijing and Tianjin achievements,
//! scenarios. A link is a gap when Hebei has fewer enterprises on it than the threshold; the
//! Beijing/Tianjin achievements on it are the candidates to fill it.

use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub id: i64,
    pub parent: Option<i64>,
    /// upstream, midstream or downstream.
    pub position: String,
    pub name_zh: String,
    pub name_en: String,
}

/// What is placed on a link.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub hebei_orgs: u32,
    pub other_orgs: u32,
    pub bjtj_achievements: u32,
    pub scenarios: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct LinkView {
    pub link: Link,
    pub depth: usize,
    /// Counts on the link and every link below it.
    pub counts: Counts,
    /// `strong` (≥ 2 × threshold Hebei enterprises), `present`, or `gap`.
    pub level: &'static str,
    /// Beijing/Tianjin achievements are there to fill the gap.
    pub fillable: bool,
}

/// The tree in display order (upstream, midstream, downstream; parents before children) with
/// each link's counts summed over its subtree and its level.
pub fn map(links: &[Link], own: &dyn Fn(i64) -> Counts, threshold: u32) -> Vec<LinkView> {
    let order = |p: &str| match p {
        "upstream" => 0,
        "midstream" => 1,
        _ => 2,
    };
    fn total(links: &[Link], id: i64, own: &dyn Fn(i64) -> Counts) -> Counts {
        let mut c = own(id);
        for child in links.iter().filter(|l| l.parent == Some(id)) {
            let s = total(links, child.id, own);
            c.hebei_orgs += s.hebei_orgs;
            c.other_orgs += s.other_orgs;
            c.bjtj_achievements += s.bjtj_achievements;
            c.scenarios += s.scenarios;
        }
        c
    }
    fn walk(
        links: &[Link],
        parent: Option<i64>,
        depth: usize,
        own: &dyn Fn(i64) -> Counts,
        threshold: u32,
        order: &dyn Fn(&str) -> i32,
        out: &mut Vec<LinkView>,
    ) {
        let mut kids: Vec<&Link> = links.iter().filter(|l| l.parent == parent).collect();
        kids.sort_by_key(|l| (order(&l.position), l.id));
        for l in kids {
            let counts = total(links, l.id, own);
            let level = if counts.hebei_orgs >= 2 * threshold {
                "strong"
            } else if counts.hebei_orgs >= threshold {
                "present"
            } else {
                "gap"
            };
            out.push(LinkView {
                link: l.clone(),
                depth,
                counts,
                level,
                fillable: level == "gap" && counts.bjtj_achievements > 0,
            });
            walk(links, Some(l.id), depth + 1, own, threshold, order, out);
        }
    }
    let mut out = Vec::with_capacity(links.len());
    walk(links, None, 0, own, threshold, &order, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: i64, parent: Option<i64>, position: &str) -> Link {
        Link {
            id,
            parent,
            position: position.into(),
            name_zh: format!("环节{id}"),
            name_en: format!("link {id}"),
        }
    }

    #[test]
    fn counts_roll_up_and_gaps_are_links_with_few_hebei_enterprises() {
        let links = [
            link(1, None, "downstream"),
            link(2, None, "upstream"),
            link(3, Some(2), "upstream"),
            link(4, Some(2), "upstream"),
        ];
        let own = |id| match id {
            3 => Counts {
                hebei_orgs: 2,
                ..Counts::default()
            },
            4 => Counts {
                bjtj_achievements: 3,
                ..Counts::default()
            },
            1 => Counts {
                hebei_orgs: 5,
                scenarios: 1,
                ..Counts::default()
            },
            _ => Counts::default(),
        };
        let m = map(&links, &own, 2);
        let ids: Vec<i64> = m.iter().map(|v| v.link.id).collect();
        assert_eq!(
            ids,
            vec![2, 3, 4, 1],
            "upstream first, parents before children"
        );
        assert_eq!(m[0].counts.hebei_orgs, 2, "the parent sums its children");
        assert_eq!(m[0].counts.bjtj_achievements, 3);
        assert_eq!(
            (m[0].level, m[1].level, m[2].level, m[3].level),
            ("present", "present", "gap", "strong")
        );
        assert!(m[2].fillable && !m[3].fillable);
        assert_eq!(m[1].depth, 1);
    }
}
