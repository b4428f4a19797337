use rust_decimal::{Decimal, RoundingStrategy};

use crate::rules::{self, Kind};
use crate::wire::{Input, Line, Output, PoolResult, Project, ProjectResult};
use crate::RndError;

fn err(path: impl Into<String>, message: impl Into<String>) -> RndError {
    RndError {
        path: path.into(),
        message: message.into(),
    }
}

/// Rounded half away from zero to the fen, always written with two decimals.
fn fen(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

struct Trace(Vec<Line>);

impl Trace {
    /// A line whose formula is figures only (the same in both languages).
    fn line(&mut self, zh: &str, en: &str, formula: String, amount: Decimal, clause: &str) {
        self.line_in(zh, en, (formula.clone(), formula), amount, clause);
    }

    /// A line whose formula has words: `(Chinese, English)`.
    fn line_in(
        &mut self,
        zh: &str,
        en: &str,
        (formula, formula_en): (String, String),
        amount: Decimal,
        clause: &str,
    ) {
        self.0.push(Line {
            label_zh: zh.into(),
            label_en: en.into(),
            formula,
            formula_en,
            amount: fen(amount),
            clause: clause.into(),
        });
    }
}

/// A project's figures before the cross-project caps.
struct Costs {
    personnel: Decimal,
    direct: Decimal,
    depreciation: Decimal,
    intangible: Decimal,
    design: Decimal,
    other: Decimal,
}

impl Costs {
    fn five(&self) -> Decimal {
        self.personnel + self.direct + self.depreciation + self.intangible + self.design
    }

    /// Where a shared cost of `category` goes.
    fn slot(&mut self, category: &str, path: &str) -> Result<&mut Decimal, RndError> {
        Ok(match category {
            "personnel" => &mut self.personnel,
            "direct_inputs" => &mut self.direct,
            "depreciation" => &mut self.depreciation,
            "intangible_amortization" => &mut self.intangible,
            "design" => &mut self.design,
            "other" => &mut self.other,
            other => {
                return Err(err(
                    format!("{path}.category"),
                    format!("\"{other}\" is not a cost category"),
                ))
            }
        })
    }
}

fn check_amounts(path: &str, p: &Project) -> Result<(), RndError> {
    let fields = [
        ("personnel", p.personnel),
        ("direct_inputs", p.direct_inputs),
        ("depreciation", p.depreciation),
        ("intangible_amortization", p.intangible_amortization),
        ("design", p.design),
        ("other", p.other),
        ("sold_output_material", p.sold_output_material),
        ("non_taxable_subsidy", p.non_taxable_subsidy),
        ("special_income", p.special_income),
        ("commissioned_domestic", p.commissioned_domestic),
        ("commissioned_overseas", p.commissioned_overseas),
    ];
    for (name, v) in fields {
        if v.is_sign_negative() && !v.is_zero() {
            return Err(err(format!("{path}.{name}"), format!("{v} is negative")));
        }
    }
    Ok(())
}

pub fn compute(input: &Input) -> Result<Output, RndError> {
    let mut t = Trace(Vec::new());
    if !(2008..=2100).contains(&input.year) {
        return Err(err(
            "year",
            format!("{} is not a tax year this engine knows", input.year),
        ));
    }
    let e = &input.enterprise;
    let kind = Kind::parse(&e.kind).ok_or_else(|| {
        err("enterprise.kind", format!("\"{}\" is not general, manufacturing, sci_tech_sme, integrated_circuit or mother_machine", e.kind))
    })?;
    for (name, v) in [
        ("total_income", e.total_income),
        ("negative_list_income", e.negative_list_income),
        ("non_taxable_income", e.non_taxable_income),
        ("investment_income", e.investment_income),
    ] {
        if v < Decimal::ZERO {
            return Err(err(
                format!("enterprise.{name}"),
                format!("{v} is negative"),
            ));
        }
    }
    if e.negative_list_income > e.total_income {
        return Err(err(
            "enterprise.negative_list_income",
            format!(
                "{} is more than the total income {}",
                e.negative_list_income, e.total_income
            ),
        ));
    }
    // Eligibility: the negative list.
    let base_income = e.total_income - e.non_taxable_income - e.investment_income;
    let ratio = if base_income > Decimal::ZERO {
        e.negative_list_income / base_income
    } else if e.negative_list_income > Decimal::ZERO {
        Decimal::ONE
    } else {
        Decimal::ZERO
    };
    let eligible = ratio <= Decimal::new(5, 1);
    t.line(
        "负面清单行业收入占比",
        "Share of negative-list income",
        format!(
            "{} ÷ ({} − {} − {}) = {}",
            e.negative_list_income,
            e.total_income,
            e.non_taxable_income,
            e.investment_income,
            ratio.round_dp(4)
        ),
        ratio,
        rules::NEGATIVE_LIST,
    );
    let (rate, rate_clause) = rules::rate(input.year, kind);
    let (kind_zh, kind_en) = kind.label();
    t.line_in(
        "加计扣除比例",
        "Additional-deduction rate",
        (
            format!("{} 年度 · {kind_zh}", input.year),
            format!("{} · {kind_en}", input.year),
        ),
        rate,
        rate_clause,
    );

    // Per project: allocate shared costs, adjust direct inputs.
    let mut unallocated = Decimal::ZERO;
    let mut costs = Vec::with_capacity(input.projects.len());
    let mut seen = std::collections::HashSet::new();
    for (i, p) in input.projects.iter().enumerate() {
        let path = format!("projects[{i}] ({})", p.id);
        if p.id.trim().is_empty() {
            return Err(err(format!("projects[{i}].id"), "the id is empty"));
        }
        if !seen.insert(p.id.as_str()) {
            return Err(err(path, "this project id appears twice"));
        }
        check_amounts(&path, p)?;
        let mut c = Costs {
            personnel: p.personnel,
            direct: p.direct_inputs,
            depreciation: p.depreciation,
            intangible: p.intangible_amortization,
            design: p.design,
            other: p.other,
        };
        for (k, s) in p.shared.iter().enumerate() {
            let sp = format!("{path}.shared[{k}]");
            if s.amount < Decimal::ZERO {
                return Err(err(
                    format!("{sp}.amount"),
                    format!("{} is negative", s.amount),
                ));
            }
            if s.total_hours <= Decimal::ZERO {
                return Err(err(format!("{sp}.total_hours"), "must be more than zero"));
            }
            if s.rd_hours < Decimal::ZERO || s.rd_hours > s.total_hours {
                return Err(err(
                    format!("{sp}.rd_hours"),
                    format!(
                        "{} is outside 0–{} (the total hours)",
                        s.rd_hours, s.total_hours
                    ),
                ));
            }
            let share = s.amount * s.rd_hours / s.total_hours;
            *c.slot(&s.category, &sp)? += share;
            unallocated += s.amount - share;
            t.line(
                "共用费用按工时分配",
                "Shared cost allocated by hours",
                format!(
                    "{} {}: {} × {} ÷ {}",
                    p.id, s.category, s.amount, s.rd_hours, s.total_hours
                ),
                share,
                rules::SHARED,
            );
        }
        if let Some(a) = &p.amortization {
            if !p.capitalised {
                return Err(err(
                    format!("{path}.amortization"),
                    "only capitalised projects are amortised",
                ));
            }
            if a.years == 0 || a.months_this_year > 12 {
                return Err(err(
                    format!("{path}.amortization"),
                    "years must be at least 1 and months_this_year at most 12",
                ));
            }
        }
        costs.push(c);
    }

    // Shared staff and equipment, split by the hours recorded on each project.
    let mut pools = Vec::with_capacity(input.pools.len());
    let mut resources = std::collections::HashSet::new();
    for (k, pool) in input.pools.iter().enumerate() {
        let pp = format!("pools[{k}] ({})", pool.resource);
        if !resources.insert(pool.resource.as_str()) {
            return Err(err(pp, "this resource appears twice"));
        }
        if pool.amount < Decimal::ZERO {
            return Err(err(
                format!("{pp}.amount"),
                format!("{} is negative", pool.amount),
            ));
        }
        if !crate::wire::CATEGORIES.contains(&pool.category.as_str()) {
            return Err(err(
                format!("{pp}.category"),
                format!("\"{}\" is not a cost category", pool.category),
            ));
        }
        if pool.total_hours < Decimal::ZERO {
            return Err(err(format!("{pp}.total_hours"), "is negative"));
        }
        let mut rd_hours = Decimal::ZERO;
        let mut allocated = Decimal::ZERO;
        for (j, h) in pool.hours.iter().enumerate() {
            let hp = format!("{pp}.hours[{j}]");
            let Some(at) = input.projects.iter().position(|p| p.id == h.project) else {
                return Err(err(
                    format!("{hp}.project"),
                    format!("no project has the id \"{}\"", h.project),
                ));
            };
            if h.hours < Decimal::ZERO {
                return Err(err(
                    format!("{hp}.hours"),
                    format!("{} is negative", h.hours),
                ));
            }
            rd_hours += h.hours;
            if rd_hours > pool.total_hours {
                return Err(err(
                    format!("{hp}.hours"),
                    format!(
                        "R&D hours add up to {rd_hours}, more than the {} hours recorded in all",
                        pool.total_hours
                    ),
                ));
            }
            if h.hours.is_zero() {
                continue;
            }
            let share = pool.amount * h.hours / pool.total_hours;
            *costs[at].slot(&pool.category, &pp)? += share;
            allocated += share;
            let (cat_zh, cat_en) = rules::category_label(&pool.category);
            t.line_in(
                "共用费用按工时分配",
                "Shared cost allocated by hours",
                (
                    format!(
                        "{} → {}（{cat_zh}）：{} × {} ÷ {}",
                        pool.resource, h.project, pool.amount, h.hours, pool.total_hours
                    ),
                    format!(
                        "{} → {} ({cat_en}): {} × {} ÷ {}",
                        pool.resource, h.project, pool.amount, h.hours, pool.total_hours
                    ),
                ),
                share,
                rules::SHARED,
            );
        }
        let rest = pool.amount - allocated;
        if rest > Decimal::ZERO {
            let formula = if pool.total_hours.is_zero() {
                (
                    format!("{}：无工时记录", pool.resource),
                    format!("{}: no hours recorded", pool.resource),
                )
            } else {
                let f = format!(
                    "{} × ({} − {}) ÷ {}",
                    pool.amount, pool.total_hours, rd_hours, pool.total_hours
                );
                (
                    format!("{}：{f}", pool.resource),
                    format!("{}: {f}", pool.resource),
                )
            };
            t.line_in(
                "未分配至研发（不得加计扣除）",
                "Not allocated to R&D (not deductible)",
                formula,
                rest,
                rules::SHARED,
            );
        }
        unallocated += rest;
        pools.push(PoolResult {
            resource: pool.resource.clone(),
            category: pool.category.clone(),
            amount: fen(pool.amount),
            total_hours: pool.total_hours,
            rd_hours,
            allocated: fen(allocated),
            unallocated: fen(rest),
        });
    }

    if unallocated > Decimal::ZERO {
        t.line(
            "未能分配至研发的共用费用（不得加计扣除）",
            "Shared costs not allocated to R&D (not deductible)",
            String::new(),
            unallocated,
            rules::SHARED,
        );
    }

    // Materials of sold R&D output come off the project's direct inputs before the first five
    // categories are summed for the cap (the provinces' worked examples; 2017年第40号), so the
    // cap, the ledger's direct inputs and line 7 of A107012 are all net of them.
    let mut sold = Vec::with_capacity(costs.len());
    for (p, c) in input.projects.iter().zip(costs.iter_mut()) {
        let s = p.sold_output_material.min(c.direct);
        if p.sold_output_material > Decimal::ZERO {
            t.line(
                "直接投入费用减对外销售研发成果对应材料费用",
                "Materials of sold R&D output taken off the direct inputs",
                format!(
                    "{}: {} − min({}, {})",
                    p.id,
                    fen(c.direct),
                    p.sold_output_material,
                    fen(c.direct)
                ),
                c.direct - s,
                rules::SOLD_MATERIAL,
            );
        }
        c.direct -= s;
        sold.push(s);
    }

    // The cap on other related expenses, across all projects.
    let five_total: Decimal = costs.iter().map(Costs::five).sum();
    let other_total: Decimal = costs.iter().map(|c| c.other).sum();
    let other_cap = five_total * Decimal::new(1, 1) / Decimal::new(9, 1);
    let other_allowed = other_total.min(other_cap);
    t.line_in(
        "前五类费用合计",
        "Total of the first five categories",
        (
            format!("{} 个项目", costs.len()),
            format!("{} project(s)", costs.len()),
        ),
        five_total,
        rules::OTHER_CAP,
    );
    t.line(
        "其他相关费用限额",
        "Cap on other related expenses",
        format!("{} × 10% ÷ (1 − 10%)", fen(five_total)),
        other_cap,
        rules::OTHER_CAP,
    );
    t.line(
        "允许扣除的其他相关费用",
        "Other related expenses allowed",
        format!("min({}, {})", fen(other_total), fen(other_cap)),
        other_allowed,
        rules::OTHER_CAP,
    );

    // Per project: other share, commissioned, deductions.
    let eighty = Decimal::new(8, 1);
    let mut domestic_allowed = Decimal::ZERO;
    let mut project_cost = Vec::with_capacity(costs.len());
    let mut results = Vec::with_capacity(costs.len());
    for ((p, c), &sold) in input.projects.iter().zip(&costs).zip(&sold) {
        let other_share = if other_total > Decimal::ZERO {
            other_allowed * c.other / other_total
        } else {
            Decimal::ZERO
        };
        let domestic = p.commissioned_domestic * eighty;
        domestic_allowed += domestic;
        if domestic > Decimal::ZERO {
            t.line(
                "委托境内研发",
                "Domestic commissioned R&D",
                format!("{}: {} × 80%", p.id, p.commissioned_domestic),
                domestic,
                rules::DOMESTIC,
            );
        }
        let gross = c.five() + other_share + domestic;
        let mut net = gross - p.special_income - p.non_taxable_subsidy;
        if p.special_income > Decimal::ZERO {
            t.line(
                "特殊收入冲减",
                "Special income deducted",
                format!("{}: −{}", p.id, p.special_income),
                -p.special_income,
                rules::SPECIAL_INCOME,
            );
        }
        if p.non_taxable_subsidy > Decimal::ZERO {
            t.line(
                "不征税财政资金",
                "Non-taxable subsidy excluded",
                format!("{}: −{}", p.id, p.non_taxable_subsidy),
                -p.non_taxable_subsidy,
                rules::SUBSIDY,
            );
        }
        if net < Decimal::ZERO {
            net = Decimal::ZERO;
        }
        t.line(
            "项目可加计扣除研发费用（境内）",
            "Project's eligible domestic R&D cost",
            format!(
                "{}: {} + {} + {} − {} − {}",
                p.id,
                fen(c.five()),
                fen(other_share),
                fen(domestic),
                p.special_income,
                p.non_taxable_subsidy
            ),
            net,
            rules::OTHER_CAP,
        );
        project_cost.push(net);
        results.push(ProjectResult {
            id: p.id.clone(),
            capitalised: p.capitalised,
            personnel: fen(c.personnel),
            direct_inputs: fen(c.direct),
            depreciation: fen(c.depreciation),
            intangible_amortization: fen(c.intangible),
            design: fen(c.design),
            five: fen(c.five()),
            other: fen(c.other),
            other_allowed: fen(other_share),
            domestic_commissioned: fen(domestic),
            overseas_allowed: Decimal::ZERO,
            special_income: fen(p.special_income),
            non_taxable_subsidy: fen(p.non_taxable_subsidy),
            sold_output_material: fen(sold),
            base: net,
        });
    }

    // Overseas commissioned R&D: 80%, capped at two-thirds of the domestic eligible costs.
    let domestic_eligible: Decimal = project_cost.iter().sum();
    let overseas_paid: Decimal = input
        .projects
        .iter()
        .map(|p| p.commissioned_overseas * eighty)
        .sum();
    let overseas_cap = domestic_eligible * Decimal::from(2) / Decimal::from(3);
    let overseas_allowed = overseas_paid.min(overseas_cap);
    if overseas_paid > Decimal::ZERO {
        t.line(
            "委托境外研发（80%）",
            "Overseas commissioned R&D at 80%",
            String::new(),
            overseas_paid,
            rules::OVERSEAS,
        );
        t.line(
            "境外委托研发限额",
            "Cap on overseas commissioned R&D",
            format!("{} × 2/3", fen(domestic_eligible)),
            overseas_cap,
            rules::OVERSEAS,
        );
        t.line(
            "允许计入的境外委托研发",
            "Overseas commissioned R&D allowed",
            format!("min({}, {})", fen(overseas_paid), fen(overseas_cap)),
            overseas_allowed,
            rules::OVERSEAS,
        );
    }
    let mut expensed = Decimal::ZERO;
    let mut capitalised = Decimal::ZERO;
    let mut amortized = Decimal::ZERO;
    let mut capital_deduction = Decimal::ZERO;
    for ((p, cost), r) in input
        .projects
        .iter()
        .zip(&project_cost)
        .zip(results.iter_mut())
    {
        let overseas = if overseas_paid > Decimal::ZERO {
            overseas_allowed * p.commissioned_overseas * eighty / overseas_paid
        } else {
            Decimal::ZERO
        };
        let base = *cost + overseas;
        r.base = fen(base);
        r.overseas_allowed = fen(overseas);
        if p.capitalised {
            capitalised += base;
            if let Some(a) = &p.amortization {
                let share = Decimal::from(a.months_this_year) / Decimal::from(a.years * 12);
                amortized += base * (Decimal::ONE + rate) * share;
                capital_deduction += base * rate * share;
                t.line(
                    "无形资产本年摊销（含加计）",
                    "This year's amortisation, additional part included",
                    format!(
                        "{}: {} × (1 + {}) × {} ÷ ({} × 12)",
                        p.id,
                        fen(base),
                        rate,
                        a.months_this_year,
                        a.years
                    ),
                    base * (Decimal::ONE + rate) * share,
                    rules::AMORTIZATION,
                );
            }
        } else {
            expensed += base;
        }
    }
    // 2022's fourth quarter: enterprises at 75% deduct that quarter's costs at 100%, measured
    // as incurred or, by default, as a quarter of the year's.
    let q4 = match e.q4_2022 {
        Some(_) if input.year != 2022 => {
            return Err(err("enterprise.q4_2022", "applies to 2022 only"));
        }
        Some(q) if q < Decimal::ZERO => {
            return Err(err("enterprise.q4_2022", format!("{q} is negative")));
        }
        Some(q) if q > expensed => {
            return Err(err(
                "enterprise.q4_2022",
                format!(
                    "{q} is more than the year's expensed R&D cost {}",
                    fen(expensed)
                ),
            ));
        }
        _ if input.year == 2022 && rate == Decimal::new(75, 2) => {
            let (q, how) = match e.q4_2022 {
                Some(q) => (q, ("实际发生额".to_string(), "as incurred".to_string())),
                None => {
                    let f = format!("{} × 3 ÷ 12", fen(expensed));
                    (
                        expensed * Decimal::from(3) / Decimal::from(12),
                        (format!("{f}（按月份比例）"), format!("{f} (by months)")),
                    )
                }
            };
            t.line_in(
                "2022 年第四季度研发费用（按 100% 加计）",
                "R&D cost of 2022's fourth quarter (at 100%)",
                how,
                q,
                rules::Q4_2022,
            );
            Some(q)
        }
        _ => None,
    };
    let hundred = Decimal::ONE;
    let deduction = match (eligible, q4) {
        (false, _) => Decimal::ZERO,
        (true, Some(q)) => (expensed - q) * rate + q * hundred + capital_deduction,
        (true, None) => expensed * rate + capital_deduction,
    };
    t.line(
        "费用化研发费用",
        "Expensed R&D cost",
        String::new(),
        expensed,
        rate_clause,
    );
    t.line(
        "资本化研发费用（形成无形资产成本）",
        "Capitalised R&D cost",
        String::new(),
        capitalised,
        rules::AMORTIZATION,
    );
    let figures = |f: String| (f.clone(), f);
    t.line_in(
        "本年加计扣除额",
        "Additional deduction this year",
        match (eligible, q4) {
            (false, _) => ("不符合条件".to_string(), "not eligible".to_string()),
            (true, Some(q)) => figures(format!(
                "({} − {}) × {} + {} × 1.00 + {}",
                fen(expensed),
                fen(q),
                rate,
                fen(q),
                fen(capital_deduction)
            )),
            (true, None) => figures(format!(
                "{} × {} + {}",
                fen(expensed),
                rate,
                fen(capital_deduction)
            )),
        },
        deduction,
        match (eligible, q4) {
            (false, _) => rules::NEGATIVE_LIST,
            (true, Some(_)) => rules::Q4_2022,
            (true, None) => rate_clause,
        },
    );
    Ok(Output {
        eligible,
        negative_list_ratio: ratio.round_dp(4),
        rate,
        five_total: fen(five_total),
        other_total: fen(other_total),
        other_cap: fen(other_cap),
        other_allowed: fen(other_allowed),
        domestic_commissioned_allowed: fen(domestic_allowed),
        overseas_allowed: fen(overseas_allowed),
        expensed_base: fen(expensed),
        capitalised_base: fen(capitalised),
        amortization_this_year: fen(amortized),
        deduction: fen(deduction),
        q4_2022_base: q4.map(fen),
        unallocated: fen(unallocated),
        projects: results,
        pools,
        trace: t.0,
    })
}
