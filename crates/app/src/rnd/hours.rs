//! Time sheets and equipment logs: read with row-and-column errors within their limits, hours
//! checked against the 24-hours-a-day rule inside the import's transaction.

use super::*;

/// A problem in an imported file: where (row as a spreadsheet numbers it, column as headed)
/// and what.
#[derive(Debug, Clone, Serialize)]
pub struct ImportError {
    pub row: usize,
    pub column: String,
    pub en: String,
    pub zh: String,
}

impl ImportError {
    fn at(row: usize, column: &str, en: String, zh: String) -> ImportError {
        ImportError {
            row,
            column: column.to_string(),
            en,
            zh,
        }
    }

    pub fn message(&self, lang: &str) -> String {
        if lang == "en" {
            format!("row {}, column \"{}\": {}", self.row, self.column, self.en)
        } else {
            format!("第 {} 行，“{}”列：{}", self.row, self.column, self.zh)
        }
    }
}

/// How large a time sheet or equipment log may be: 200,000 rows (a year of daily rows for
/// 400 shared staff on two projects a day), 16 columns (four are read), 16 MB.
pub const HOURS_LIMITS: duijie_tabular::Limits = duijie_tabular::Limits {
    bytes: 16 << 20,
    rows: 200_000,
    columns: 16,
    cells: 200_000 * 8,
    unpacked: 256 << 20,
};

/// Column names accepted in time sheets and equipment logs (English or Chinese).
const HOURS_COLUMNS: &[(&str, &[&str])] = &[
    (
        "resource",
        &[
            "resource",
            "人员/设备",
            "人员或设备",
            "人员",
            "设备",
            "姓名",
        ],
    ),
    ("project", &["project", "项目", "项目编号"]),
    ("hours", &["hours", "工时", "小时", "工时（小时）"]),
    ("date", &["date", "日期"]),
];

/// Words in the project column that mean "not R&D".
const NOT_RND: &[&str] = &["", "-", "非研发", "生产", "non-rd", "none"];

/// Read a time sheet or equipment-use log: columns resource, project (blank or 非研发 for other
/// work), hours and optionally date. Every resource must be a registered shared staff member
/// or piece of equipment, every project a registered project of the year.
pub fn parse_hours(
    t: &Table,
    year: i64,
    resources: &[ResourceRow],
    projects: &[ProjectRow],
) -> Result<Vec<HoursRow>, Vec<ImportError>> {
    read_hours(t, year, resources, projects).map_err(|e| match e {
        Stop::Header(e) => vec![e],
        Stop::Rows(all) => all,
    })
}

/// Why a time sheet was not read: its header (nothing else can be checked), or its rows
/// (every bad row, so that one round of corrections fixes the file).
enum Stop {
    Header(ImportError),
    Rows(Vec<ImportError>),
}

impl From<ImportError> for Stop {
    fn from(e: ImportError) -> Self {
        Stop::Header(e)
    }
}

fn read_hours(
    t: &Table,
    year: i64,
    resources: &[ResourceRow],
    projects: &[ProjectRow],
) -> Result<Vec<HoursRow>, Stop> {
    let mut at: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in t.headers.iter().enumerate() {
        let h = h.trim();
        match canonical_column(h) {
            Some(canon) => {
                at.insert(canon, i);
            }
            None => {
                return Err(ImportError::at(
                    1,
                    h,
                    "unknown column (expected resource, project, hours, date)".into(),
                    "未知的列（应为 人员/设备、项目、工时、日期）".into(),
                )
                .into())
            }
        }
    }
    for need in ["resource", "hours"] {
        if !at.contains_key(need) {
            return Err(ImportError::at(
                1,
                need,
                "this column is missing".into(),
                "缺少此列".into(),
            )
            .into());
        }
    }
    if t.rows.is_empty() {
        return Err(ImportError::at(
            2,
            "",
            "the file has no rows".into(),
            "文件没有数据行".into(),
        )
        .into());
    }
    let names: HashSet<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    let codes: HashSet<&str> = projects.iter().map(|p| p.fields.code.as_str()).collect();
    let mut out = Vec::with_capacity(t.rows.len());
    let mut problems = Vec::new();
    let read_row = |i: usize, cells: &Vec<String>| -> Result<HoursRow, ImportError> {
        let row = i + 2;
        let cell = |name: &str| {
            at.get(name)
                .and_then(|&c| cells.get(c))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let col = |name: &str| t.headers[at[name]].clone();
        let resource = cell("resource");
        if !names.contains(resource.as_str()) {
            return Err(ImportError::at(
                row,
                &col("resource"),
                format!("\"{resource}\" is not a registered shared staff member or piece of equipment of {year}; add it first"),
                format!("“{resource}”不是 {year} 年登记的共用人员或设备，请先登记"),
            ));
        }
        let project = cell("project");
        let project = if NOT_RND.iter().any(|w| w.eq_ignore_ascii_case(&project)) {
            String::new()
        } else if codes.contains(project.as_str()) {
            project
        } else {
            return Err(ImportError::at(
                row,
                &col("project"),
                format!("\"{project}\" is not a project code of {year} (leave blank or write 非研发 for other work)"),
                format!("“{project}”不是 {year} 年的项目编号（非研发工作请留空或填“非研发”）"),
            ));
        };
        let raw = cell("hours");
        let hours: Decimal = raw.parse().map_err(|_| {
            ImportError::at(
                row,
                &col("hours"),
                format!("\"{raw}\" is not a number of hours"),
                format!("“{raw}”不是工时数"),
            )
        })?;
        let date = if at.contains_key("date") {
            cell("date")
        } else {
            String::new()
        };
        let limit = if date.is_empty() {
            Decimal::from(8784)
        } else {
            Decimal::from(24)
        };
        if hours <= Decimal::ZERO || hours > limit {
            return Err(ImportError::at(
                row,
                &col("hours"),
                format!("{hours} is outside 0–{limit} hours"),
                format!("{hours} 不在 0–{limit} 小时之间"),
            ));
        }
        if !date.is_empty() {
            let ok = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .is_ok_and(|d| i64::from(chrono::Datelike::year(&d)) == year);
            if !ok {
                return Err(ImportError::at(
                    row,
                    &col("date"),
                    format!("\"{date}\" is not a date in {year} like {year}-03-31"),
                    format!("“{date}”不是 {year} 年内形如 {year}-03-31 的日期"),
                ));
            }
        }
        Ok(HoursRow {
            row_no: row as i64,
            resource,
            project_code: project,
            work_date: date,
            hours: hours.normalize().to_string(),
        })
    };
    for (i, cells) in t.rows.iter().enumerate() {
        match read_row(i, cells) {
            Ok(r) => out.push(r),
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Stop::Rows(problems))
    }
}

/// Every problem of a refused file, for people: the file, how many problems, and each with
/// its row and column (the first [`SHOWN`], then how many more).
pub fn problems_message(name: &str, problems: &[ImportError], lang: &str) -> String {
    const SHOWN: usize = 20;
    let en = lang == "en";
    let mut lines: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(|e| e.message(lang))
        .collect();
    if problems.len() > SHOWN {
        let more = problems.len() - SHOWN;
        lines.push(if en {
            format!("and {more} more")
        } else {
            format!("另有 {more} 处")
        });
    }
    match (problems.len(), en) {
        (1, _) => format!("{name}: {}", lines.join("")),
        (n, true) => format!(
            "{name}: {n} problems, nothing was imported: {}",
            lines.join("; ")
        ),
        (n, false) => format!(
            "{name}：共 {n} 处问题，未导入任何数据：{}",
            lines.join("；")
        ),
    }
}

/// What a time sheet's header means ("工时" → "hours"), if anything.
fn canonical_column(header: &str) -> Option<&'static str> {
    let h = header.trim();
    HOURS_COLUMNS
        .iter()
        .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(h)))
        .map(|(canon, _)| *canon)
}

/// The header of the file's column read as `canon` ("hours", …), or `canon` itself.
pub fn column_header(t: &Table, canon: &str) -> String {
    t.headers
        .iter()
        .find(|h| canonical_column(h) == Some(canon))
        .cloned()
        .unwrap_or_else(|| canon.to_string())
}

/// Nobody works more than 24 hours a day: the dated hours of each person (or piece of
/// equipment) on each day, over every stored import of the year and the new file together.
/// The error names the new file's row that passes 24 hours and what was already stored.
pub fn check_daily_hours(
    stored: &[HoursRow],
    new: &[HoursRow],
    column: &str,
) -> Result<(), ImportError> {
    let day_limit = Decimal::from(24);
    let mut before: HashMap<(&str, &str), Decimal> = HashMap::new();
    for h in stored.iter().filter(|h| !h.work_date.is_empty()) {
        *before
            .entry((h.resource.as_str(), h.work_date.as_str()))
            .or_default() += h.hours.parse::<Decimal>().unwrap_or_default();
    }
    let mut total = before.clone();
    for h in new.iter().filter(|h| !h.work_date.is_empty()) {
        let key = (h.resource.as_str(), h.work_date.as_str());
        let sum = total.entry(key).or_default();
        *sum += h.hours.parse::<Decimal>().unwrap_or_default();
        if *sum > day_limit {
            let already = before.get(&key).copied().unwrap_or_default();
            let (en_before, zh_before) = if already > Decimal::ZERO {
                (
                    format!(" ({already} h of them already imported)"),
                    format!("（其中 {already} 小时已在此前导入）"),
                )
            } else {
                (String::new(), String::new())
            };
            return Err(ImportError::at(
                h.row_no as usize,
                column,
                format!(
                    "{} would work {} h on {}{en_before}: at most 24 hours a day",
                    h.resource,
                    sum.normalize(),
                    h.work_date
                ),
                format!(
                    "{} 在 {} 的工时将达 {} 小时{zh_before}，每天最多 24 小时",
                    h.resource,
                    h.work_date,
                    sum.normalize()
                ),
            ));
        }
    }
    Ok(())
}

/// Why an import's transaction stored nothing.
enum Refused {
    Rule(ImportError),
    Store(duijie_store::StoreError),
}

impl From<duijie_store::StoreError> for Refused {
    fn from(e: duijie_store::StoreError) -> Self {
        Refused::Store(e)
    }
}

/// Import a time sheet or equipment-use log (.csv or .xlsx) for `org`'s `year`: every row is
/// checked first, then the 24-hours-a-day rule against what is stored, inside the import's own
/// transaction; nothing is stored unless all is good. `Ok(None)`: stored; `Ok(Some(why))`: the
/// file was refused, `why` in the caller's language naming file, row and column.
pub async fn import_hours(
    st: &App,
    ctx: &Caller,
    org: i64,
    year: i64,
    file: Option<(String, Vec<u8>)>,
) -> Result<Option<String>, AppError> {
    manage(ctx, org)?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(Some(no_file(ctx.lang)));
    };
    let table = match duijie_tabular::read_bytes(&name, &bytes, &HOURS_LIMITS) {
        Ok(t) => t,
        Err(e) => return Ok(Some(format!("{name}: {}", e.message(ctx.lang)))),
    };
    let resources = st.store.rnd_resources(org, year).await?;
    let projects = st.store.rnd_projects(org, year).await?;
    let rows = match parse_hours(&table, year, &resources, &projects) {
        Ok(r) => r,
        Err(all) => return Ok(Some(problems_message(&name, &all, ctx.lang))),
    };
    let column = column_header(&table, "hours");
    let stored = st
        .store
        .import_rnd_hours(&ctx.audit()?, org, year, &name, &rows, |stored| {
            check_daily_hours(stored, &rows, &column).map_err(Refused::Rule)
        })
        .await;
    match stored {
        Ok(_) => Ok(None),
        Err(Refused::Rule(e)) => Ok(Some(format!("{name}: {}", e.message(ctx.lang)))),
        Err(Refused::Store(e)) => Err(e.into()),
    }
}
