//! The engine's input built from an enterprise's records, the figures and the Excel workbook.

use super::*;

/// What the engine computed for a year, with the form lines, ledger rows and what the records
/// could not use.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub out: Output,
    pub form: Vec<FormLine>,
    pub ledger: Vec<Vec<String>>,
    /// Projects left out because pre-identification says they are not R&D: (code, name).
    pub excluded: Vec<(String, String)>,
    /// Hours on projects left out or on codes not registered, counted as other work.
    pub stray: Vec<Stray>,
}

/// Hours that name a project the computation does not include.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stray {
    pub resource: String,
    pub project: String,
    pub hours: Decimal,
    /// `not_rnd` (left out by pre-identification) or `unknown` (no such code this year).
    pub why: &'static str,
}

/// The engine's input from the stored records: the year's figures, the projects included, and
/// one pool per shared resource whose hours are summed exactly from the imported rows. Hours on
/// a project in `left_out` or on an unknown code count as other work and are reported.
pub fn input(
    year: i64,
    y: &YearRow,
    projects: &[ProjectRow],
    left_out: &[&str],
    resources: &[ResourceRow],
    hours: &[HoursRow],
) -> (Input, Vec<Stray>) {
    let codes: HashSet<&str> = projects.iter().map(|p| p.fields.code.as_str()).collect();
    let mut stray: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    let pools = resources
        .iter()
        .map(|r| {
            let mut total = Decimal::ZERO;
            let mut by: BTreeMap<&str, Decimal> = BTreeMap::new();
            for h in hours.iter().filter(|h| h.resource == r.name) {
                let n: Decimal = h.hours.parse().unwrap_or_default();
                total += n;
                if codes.contains(h.project_code.as_str()) {
                    *by.entry(h.project_code.as_str()).or_default() += n;
                } else if !h.project_code.is_empty() {
                    *stray
                        .entry((r.name.clone(), h.project_code.clone()))
                        .or_insert(Decimal::ZERO) += n;
                }
            }
            Pool {
                resource: r.name.clone(),
                category: r.category.code().to_string(),
                amount: dec(r.amount_fen),
                total_hours: total,
                hours: by
                    .into_iter()
                    .map(|(p, h)| PoolHours {
                        project: p.to_string(),
                        hours: h,
                    })
                    .collect(),
            }
        })
        .collect();
    let projects = projects
        .iter()
        .map(|p| {
            let f = &p.fields;
            Project {
                id: f.code.clone(),
                capitalised: f.capitalised == 1,
                personnel: dec(f.personnel_fen),
                direct_inputs: dec(f.direct_inputs_fen),
                depreciation: dec(f.depreciation_fen),
                intangible_amortization: dec(f.intangible_fen),
                design: dec(f.design_fen),
                other: dec(f.other_fen),
                shared: Vec::new(),
                sold_output_material: dec(f.sold_material_fen),
                non_taxable_subsidy: dec(f.subsidy_fen),
                special_income: dec(f.special_income_fen),
                commissioned_domestic: dec(f.domestic_fen),
                commissioned_overseas: dec(f.overseas_fen),
                amortization: (f.capitalised == 1 && f.amort_years > 0).then_some(Amortization {
                    years: f.amort_years as u32,
                    months_this_year: f.amort_months as u32,
                }),
            }
        })
        .collect();
    let input = Input {
        year: year as i32,
        enterprise: Enterprise {
            kind: y.kind.code().to_string(),
            total_income: dec(y.total_income_fen),
            negative_list_income: dec(y.negative_list_income_fen),
            non_taxable_income: dec(y.non_taxable_income_fen),
            investment_income: dec(y.investment_income_fen),
            q4_2022: y.q4_2022_fen.filter(|_| year == 2022).map(dec),
        },
        projects,
        pools,
    };
    let stray = stray
        .into_iter()
        .map(|((resource, project), hours)| Stray {
            why: if left_out.contains(&project.as_str()) {
                "not_rnd"
            } else {
                "unknown"
            },
            resource,
            project,
            hours,
        })
        .collect();
    (input, stray)
}

pub fn report(
    year: i64,
    y: &YearRow,
    projects: &[ProjectRow],
    resources: &[ResourceRow],
    hours: &[HoursRow],
) -> Result<Report, AppError> {
    // A project pre-identification finds is not R&D is left out (its facts can be corrected).
    let (kept, out): (Vec<ProjectRow>, Vec<ProjectRow>) = projects
        .iter()
        .cloned()
        .partition(|p| assessment(&p.fields).map_or(true, |a| a.verdict != "not"));
    let left_out: Vec<&str> = out.iter().map(|p| p.fields.code.as_str()).collect();
    let (input, stray) = input(year, y, &kept, &left_out, resources, hours);
    let computed = duijie_rnd::compute(&input).map_err(|e| AppError::BadRequest(e.to_string()))?;
    Ok(Report {
        form: rform::a107012(&input, &computed),
        ledger: rform::ledger_rows(&computed),
        excluded: out
            .iter()
            .map(|p| (p.fields.code.clone(), p.fields.name.clone()))
            .collect(),
        out: computed,
        stray,
    })
}

/// The Excel workbook: ledger summary, A107012 lines, allocation of shared costs, the trace.
pub fn workbook(r: &Report) -> Result<Vec<u8>, AppError> {
    let money = |d: &Decimal| format!("{d:.2}");
    let ledger = Table {
        headers: rform::LEDGER_COLUMNS
            .iter()
            .map(|c| c.0.to_string())
            .collect(),
        rows: r.ledger.clone(),
    };
    let form = Table {
        headers: vec!["行次".into(), "项目".into(), "金额".into()],
        rows: r
            .form
            .iter()
            .map(|l| {
                let amount = if l.line == "1" {
                    l.amount.to_string()
                } else {
                    money(&l.amount)
                };
                vec![l.line.to_string(), l.zh.to_string(), amount]
            })
            .collect(),
    };
    let pools = Table {
        headers: [
            "人员/设备",
            "费用类别",
            "金额",
            "总工时",
            "研发工时",
            "计入研发",
            "未分配（不得加计扣除）",
        ]
        .map(String::from)
        .to_vec(),
        rows: r
            .out
            .pools
            .iter()
            .map(|p| {
                vec![
                    p.resource.clone(),
                    duijie_rnd::rules::category_label(&p.category).0.to_string(),
                    money(&p.amount),
                    p.total_hours.to_string(),
                    p.rd_hours.to_string(),
                    money(&p.allocated),
                    money(&p.unallocated),
                ]
            })
            .collect(),
    };
    let trace = Table {
        headers: ["步骤", "Step", "计算", "Formula", "金额", "依据"]
            .map(String::from)
            .to_vec(),
        rows: r
            .out
            .trace
            .iter()
            .map(|l| {
                vec![
                    l.label_zh.clone(),
                    l.label_en.clone(),
                    l.formula.clone(),
                    l.formula_en.clone(),
                    money(&l.amount),
                    l.clause.clone(),
                ]
            })
            .collect(),
    };
    duijie_tabular::xlsx_bytes(&[
        ("研发支出辅助账汇总表", &ledger),
        ("A107012", &form),
        ("共用费用分配", &pools),
        ("计算过程", &trace),
    ])
    .map_err(|e| AppError::Internal(e.to_string()))
}
