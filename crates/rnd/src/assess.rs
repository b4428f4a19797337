//! Pre-identification: does a project count as R&D? A guided check against the definition's
//! three tests, the activities that are not R&D, and the reasons appraisals commonly fail. The
//! verdict is `likely`, `doubtful` or `not`; every finding names the rule it comes from.

use serde::{Deserialize, Serialize};

/// 财税〔2015〕119号 第一条: R&D is a systematic activity with a clear goal, to obtain new scientific
/// and technical knowledge, apply it creatively, or substantially improve technology, products
/// (services) or processes.
const DEFINITION: &str =
    "财税〔2015〕119号 第一条（研发活动的定义：明确目标、系统性活动、获得新知识或实质性改进）";
/// 财税〔2015〕119号 第一条 lists seven activities that are not R&D.
const EXCLUDED: &str = "财税〔2015〕119号 第一条（不适用加计扣除的活动）";
const GUIDANCE: &str = "国家税务总局《研发费用加计扣除政策执行指引》（研发项目资料留存与常见问题）";

/// Activities that are not R&D, with their labels.
pub const EXCLUDED_ACTIVITIES: &[(&str, &str, &str)] = &[
    (
        "routine_upgrade",
        "企业产品（服务）的常规性升级",
        "routine upgrades of products or services",
    ),
    (
        "direct_application",
        "对某项科研成果的直接应用（如直接采用新工艺、材料、装置、产品、服务或知识）",
        "direct application of existing results",
    ),
    (
        "after_sales",
        "企业在商品化后为顾客提供的技术支持活动",
        "technical support after commercialisation",
    ),
    (
        "repeat_or_simple_change",
        "对现存产品、服务、技术、材料或工艺流程进行的重复或简单改变",
        "repeated or simple changes",
    ),
    (
        "market_or_management_study",
        "市场调查研究、效率调查或管理研究",
        "market, efficiency or management studies",
    ),
    (
        "routine_testing",
        "作为工业（服务）流程环节或常规的质量控制、测试分析、维修维护",
        "routine quality control, testing and maintenance",
    ),
    (
        "social_science_arts",
        "社会科学、艺术或人文学方面的研究",
        "social sciences, arts and humanities",
    ),
];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Project {
    pub name: String,
    /// What the project sets out to achieve.
    pub goal: String,
    /// Measurable targets, e.g. "positioning error ≤ 2 cm".
    pub quantified_targets: Vec<String>,
    /// What is new compared with the state of the art.
    pub innovation: String,
    /// What is technically uncertain.
    pub uncertainty: String,
    /// A formal approval (立项) exists, with its date.
    pub approved: bool,
    pub approval_date: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub team: Vec<String>,
    pub plan: bool,
    pub milestones: bool,
    pub test_records: bool,
    /// Evidence kept: design documents, test reports, patents, ….
    pub evidence: Vec<String>,
    /// Codes of `EXCLUDED_ACTIVITIES` that describe the work.
    pub activities: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// `ok`, `weak` (doubtful) or `fails` (not R&D).
    pub level: &'static str,
    pub zh: String,
    pub en: String,
    pub clause: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    /// `likely`, `doubtful` or `not`.
    pub verdict: &'static str,
    pub findings: Vec<Finding>,
}

fn finding(
    level: &'static str,
    zh: impl Into<String>,
    en: impl Into<String>,
    clause: &'static str,
) -> Finding {
    Finding {
        level,
        zh: zh.into(),
        en: en.into(),
        clause,
    }
}

pub fn assess(p: &Project) -> Result<Assessment, crate::RndError> {
    let mut f = Vec::new();
    for code in &p.activities {
        match EXCLUDED_ACTIVITIES.iter().find(|(c, _, _)| c == code) {
            Some((_, zh, en)) => f.push(finding(
                "fails",
                format!("属于不适用活动：{zh}"),
                format!("Not R&D: {en}"),
                EXCLUDED,
            )),
            None => {
                return Err(crate::RndError {
                    path: "activities".into(),
                    message: format!("\"{code}\" is not a listed activity"),
                })
            }
        }
    }
    let blank = |s: &str| s.trim().is_empty();
    // Test 1: a clear innovation goal.
    if blank(&p.goal) || blank(&p.innovation) {
        f.push(finding(
            "fails",
            "缺少明确的研发目标或创新点",
            "No clear goal or innovation stated",
            DEFINITION,
        ));
    } else if p.quantified_targets.iter().all(|t| blank(t)) {
        f.push(finding(
            "weak",
            "目标没有量化指标（鉴定常见不通过原因）",
            "The goal has no quantified targets (a common reason appraisals fail)",
            GUIDANCE,
        ));
    } else {
        f.push(finding(
            "ok",
            "目标明确且有量化指标",
            "Clear goal with quantified targets",
            DEFINITION,
        ));
    }
    // Test 2: systematic organisation and implementation.
    let organised = [p.approved, !p.team.is_empty(), p.plan, p.milestones];
    match organised.iter().filter(|&&x| x).count() {
        4 => f.push(finding(
            "ok",
            "已立项，有团队、计划和里程碑",
            "Approved, with a team, a plan and milestones",
            DEFINITION,
        )),
        0 | 1 => f.push(finding(
            "fails",
            "缺少系统性组织实施（立项、团队、计划、里程碑）",
            "Not organised systematically (approval, team, plan, milestones)",
            DEFINITION,
        )),
        _ => f.push(finding(
            "weak",
            "组织实施资料不完整（立项、团队、计划、里程碑缺项）",
            "Organisation incomplete (approval, team, plan or milestones missing)",
            GUIDANCE,
        )),
    }
    // Test 3: an uncertain outcome.
    if blank(&p.uncertainty) {
        f.push(finding(
            "weak",
            "未说明技术不确定性",
            "No technical uncertainty stated",
            DEFINITION,
        ));
    } else {
        f.push(finding(
            "ok",
            "说明了技术不确定性",
            "Technical uncertainty stated",
            DEFINITION,
        ));
    }
    // Common reasons appraisals fail.
    if !p.test_records {
        f.push(finding(
            "weak",
            "没有试验、测试记录",
            "No test records kept",
            GUIDANCE,
        ));
    }
    if p.evidence.is_empty() {
        f.push(finding(
            "weak",
            "没有留存设计、测试报告、专利等佐证资料",
            "No evidence kept (designs, test reports, patents)",
            GUIDANCE,
        ));
    }
    let date = |s: &Option<String>, field: &str| -> Result<Option<String>, crate::RndError> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            // A real calendar day (2024-02-30 is not one), written as 2024-01-31.
            Some(d)
                if d.len() == 10 && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() =>
            {
                Ok(Some(d.to_string()))
            }
            Some(d) => Err(crate::RndError {
                path: field.into(),
                message: format!("\"{d}\" is not a date like 2024-01-31"),
            }),
        }
    };
    let approval = date(&p.approval_date, "approval_date")?;
    let end = date(&p.end_date, "end_date")?;
    let start = date(&p.start_date, "start_date")?;
    if let (Some(a), Some(e)) = (&approval, &end) {
        if a > e {
            f.push(finding(
                "fails",
                format!("立项日期 {a} 晚于结题日期 {e}（事后补立项）"),
                format!("Approved on {a}, after completion on {e}"),
                GUIDANCE,
            ));
        }
    }
    if let (Some(s), Some(e)) = (&start, &end) {
        if s > e {
            return Err(crate::RndError {
                path: "end_date".into(),
                message: format!("{e} is before the start {s}"),
            });
        }
    }
    let fails = f.iter().filter(|x| x.level == "fails").count();
    let weak = f.iter().filter(|x| x.level == "weak").count();
    let verdict = if fails > 0 {
        "not"
    } else if weak > 0 {
        "doubtful"
    } else {
        "likely"
    };
    Ok(Assessment {
        verdict,
        findings: f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Project {
        Project {
            name: "托辊声纹诊断".into(),
            goal: "识别皮带机托辊早期故障".into(),
            quantified_targets: vec!["识别准确率 ≥ 95%".into()],
            innovation: "声纹与视觉融合的故障特征".into(),
            uncertainty: "粉尘与噪声环境下特征是否稳定未知".into(),
            approved: true,
            approval_date: Some("2024-01-10".into()),
            start_date: Some("2024-01-15".into()),
            end_date: Some("2024-12-20".into()),
            team: vec!["张工".into()],
            plan: true,
            milestones: true,
            test_records: true,
            evidence: vec!["test_report".into()],
            activities: Vec::new(),
        }
    }

    #[test]
    fn a_documented_project_is_likely_rnd() {
        let a = assess(&good()).expect("valid");
        assert_eq!(a.verdict, "likely");
        assert!(a.findings.iter().all(|f| f.level == "ok"));
    }

    #[test]
    fn missing_targets_or_records_make_it_doubtful_and_excluded_work_is_not_rnd() {
        let mut p = good();
        p.quantified_targets.clear();
        p.test_records = false;
        let a = assess(&p).expect("valid");
        assert_eq!(a.verdict, "doubtful");
        assert_eq!(a.findings.iter().filter(|f| f.level == "weak").count(), 2);
        let mut p = good();
        p.activities = vec!["routine_upgrade".into()];
        let a = assess(&p).expect("valid");
        assert_eq!(a.verdict, "not");
        assert!(a.findings[0].clause.contains("财税〔2015〕119号"));
        let mut p = good();
        p.approval_date = Some("2025-02-01".into());
        assert_eq!(
            assess(&p).expect("valid").verdict,
            "not",
            "approved after completion"
        );
    }

    #[test]
    fn bad_input_names_the_field() {
        let mut p = good();
        p.activities = vec!["sales".into()];
        assert_eq!(
            assess(&p).unwrap_err().to_string(),
            "activities: \"sales\" is not a listed activity"
        );
        let mut p = good();
        p.end_date = Some("20/12/2024".into());
        assert!(assess(&p).unwrap_err().to_string().starts_with("end_date:"));
    }
}
