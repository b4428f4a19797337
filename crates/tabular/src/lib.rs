//! Reading and writing tables of records as CSV or Excel (.xlsx) files. A file becomes a
//! `Table` of text cells; a table becomes typed raw records with every problem reported as
//! "row N, column C: what is wrong" (row 1 is the header, as a spreadsheet numbers it).

use std::path::Path;

use std::io::Read;

use calamine::{Data, Reader};
use serde::de::DeserializeOwned;

/// What can go wrong reading or writing a file.
#[derive(Debug, thiserror::Error)]
pub enum TabularError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{path}: unsupported file type (use .csv or .xlsx)")]
    UnknownFormat { path: String },
    #[error("row {row}, column \"{column}\": {message}")]
    Cell {
        row: usize,
        column: String,
        message: String,
    },
    /// The file is larger than this kind of import reads; nothing of it was used.
    #[error("{path}: {}", .limit.message("en"))]
    TooLarge { path: String, limit: Exceeded },
}

impl TabularError {
    /// The error for people, in `lang` ("zh" or "en"), without the file's name.
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            // A file that cannot be read: say so in the reader's language, and what to do.
            // (The library's own words, in English, only in the English message, and never
            // the file's name a second time: the caller names the file.)
            TabularError::File { message, path } if en => format!(
                "the file cannot be read as an Excel workbook (.xlsx) or CSV: {}; save it from \
                 Excel as .xlsx or CSV (UTF-8) and try again",
                message
                    .strip_prefix(path.as_str())
                    .map_or(message.as_str(), |m| m.trim_start_matches([':', ' ']))
            ),
            TabularError::File { .. } => {
                "无法读取此文件：它不是有效的 Excel 工作簿（.xlsx）或 CSV 文件。请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后重新导入。".into()
            }
            TabularError::UnknownFormat { .. } if en => {
                "unsupported file type (use .csv or .xlsx)".into()
            }
            TabularError::UnknownFormat { .. } => "不支持的文件类型（请用 .csv 或 .xlsx）".into(),
            TabularError::Cell {
                row,
                column,
                message,
            } if en => format!("row {row}, column \"{column}\": {message}"),
            TabularError::Cell {
                row,
                column,
                message,
            } => format!("第 {row} 行，“{column}”列：{message}"),
            TabularError::TooLarge { limit, .. } => limit.message(lang),
        }
    }
}

/// How much one file may hold. A file beyond any limit is refused with the limit named,
/// before it costs more memory or time than the limits allow: an .xlsx file's declared
/// extent, its parts' unpacked sizes and each cell's position are checked while it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Size of the file itself.
    pub bytes: u64,
    /// Data rows (the header row not counted); for .xlsx also the highest row number used.
    pub rows: usize,
    /// Columns; for .xlsx also the highest column used.
    pub columns: usize,
    /// Cells of the table (rows × columns).
    pub cells: usize,
    /// An .xlsx file's parts unpacked, all together (a zip bomb is refused by this).
    pub unpacked: u64,
}

/// Which limit a file broke, and by how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exceeded {
    Bytes { limit: u64, found: u64 },
    Rows { limit: usize, found: usize },
    Columns { limit: usize, found: usize },
    Cells { limit: usize, found: usize },
    Unpacked { limit: u64 },
}

/// `n` with thousands separators: 200,000.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(b: u64) -> String {
    format!("{:.1} MB", b as f64 / 1_048_576.0)
}

impl Exceeded {
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            Exceeded::Bytes { limit, found } if en => format!(
                "the file is {}; this import reads files of at most {}",
                mib(*found),
                mib(*limit)
            ),
            Exceeded::Bytes { limit, found } => {
                format!("文件大小 {}，本导入最多接受 {}", mib(*found), mib(*limit))
            }
            Exceeded::Rows { limit, found } if en => {
                format!(
                    "the file has {} or more data rows; this import reads at most {}",
                    grouped(*found),
                    grouped(*limit)
                )
            }
            Exceeded::Rows { limit, found } => {
                format!(
                    "文件至少有 {} 个数据行，本导入最多读取 {} 行",
                    grouped(*found),
                    grouped(*limit)
                )
            }
            Exceeded::Columns { limit, found } if en => {
                format!("the file uses column {found}; this import reads at most {limit} columns")
            }
            Exceeded::Columns { limit, found } => {
                format!("文件用到第 {found} 列，本导入最多读取 {limit} 列")
            }
            Exceeded::Cells { limit, found } if en => format!(
                "the table spans {} cells (rows × columns); this import reads at most {}",
                grouped(*found),
                grouped(*limit)
            ),
            Exceeded::Cells { limit, found } => {
                format!(
                    "表格共 {} 个单元格（行 × 列），本导入最多读取 {} 个",
                    grouped(*found),
                    grouped(*limit)
                )
            }
            Exceeded::Unpacked { limit } if en => format!(
                "the workbook unpacks to more than {}; this import reads at most that",
                mib(*limit)
            ),
            Exceeded::Unpacked { limit } => {
                format!("工作簿解压后超过 {}，超出本导入的上限", mib(*limit))
            }
        }
    }
}

/// File formats, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn of(path: &Path) -> Result<Format, TabularError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            _ => Err(TabularError::UnknownFormat {
                path: path.display().to_string(),
            }),
        }
    }
}

/// A header row and data rows of text cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One typed record and where it came from.
#[derive(Debug, Clone)]
pub struct Record<R> {
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    /// The `org_key` cell, if the table has that column.
    pub org_key: Option<String>,
    pub raw: R,
}

fn file_err(path: &Path, e: impl std::fmt::Display) -> TabularError {
    TabularError::File {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// A file of `size` bytes within `limits`, or the error naming the limit.
fn within_bytes(path: &Path, size: u64, limits: &Limits) -> Result<(), TabularError> {
    if size > limits.bytes {
        return Err(too_large(
            path,
            Exceeded::Bytes {
                limit: limits.bytes,
                found: size,
            },
        ));
    }
    Ok(())
}

fn too_large(path: &Path, limit: Exceeded) -> TabularError {
    TabularError::TooLarge {
        path: path.display().to_string(),
        limit,
    }
}

/// Read a CSV (UTF-8, optional BOM) or the first sheet of an .xlsx file.
pub fn read(path: &Path, limits: &Limits) -> Result<Table, TabularError> {
    let format = Format::of(path)?;
    // Checked before the file is read into memory.
    let size = std::fs::metadata(path)
        .map_err(|e| file_err(path, e))?
        .len();
    within_bytes(path, size, limits)?;
    let bytes = std::fs::read(path).map_err(|e| file_err(path, e))?;
    read_format(path, format, &bytes, limits)
}

/// Read an uploaded file's bytes; `name` (the file's name) decides the format.
pub fn read_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Result<Table, TabularError> {
    let path = Path::new(name);
    let format = Format::of(path)?;
    within_bytes(path, bytes.len() as u64, limits)?;
    read_format(path, format, bytes, limits)
}

fn read_format(
    path: &Path,
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Table, TabularError> {
    match format {
        Format::Csv => read_csv(bytes, limits).map_err(|e| match e {
            TabularError::File { message, .. } => file_err(path, message),
            TabularError::TooLarge { limit, .. } => too_large(path, limit),
            other => other,
        }),
        Format::Xlsx => read_xlsx(path, bytes, limits),
    }
}

/// Parse CSV bytes. A cell that a spreadsheet would read as a formula was written with a
/// leading `'` by [`write`]; that quote is taken off again here.
pub fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Table, TabularError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    within_bytes(Path::new("csv"), bytes.len() as u64, limits)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(TabularError::File {
            path: "csv".into(),
            message: "the file is empty (no header row)".into(),
        });
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let row = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        return Err(TabularError::File {
            path: "csv".into(),
            message: format!(
                "row {row} is not UTF-8 text (perhaps GBK or Windows-1252): save the file as UTF-8 (in Excel: \"CSV UTF-8\") / 文件不是 UTF-8 编码，请另存为“CSV UTF-8”"
            ),
        });
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| TabularError::File {
            path: "csv".into(),
            message: e.to_string(),
        })?
        .iter()
        .map(|h| unquote_formula(h.trim()).to_string())
        .collect();
    let exceeded = |limit| TabularError::TooLarge {
        path: "csv".into(),
        limit,
    };
    if headers.len() > limits.columns {
        return Err(exceeded(Exceeded::Columns {
            limit: limits.columns,
            found: headers.len(),
        }));
    }
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        if i >= limits.rows {
            return Err(exceeded(Exceeded::Rows {
                limit: limits.rows,
                found: i + 1,
            }));
        }
        if (i + 1).saturating_mul(headers.len().max(1)) > limits.cells {
            return Err(exceeded(Exceeded::Cells {
                limit: limits.cells,
                found: (i + 1) * headers.len().max(1),
            }));
        }
        let rec = rec.map_err(|e| TabularError::Cell {
            row: i + 2,
            column: String::new(),
            message: format!("not valid CSV: {e}"),
        })?;
        rows.push(rec.iter().map(|c| unquote_formula(c).to_string()).collect());
    }
    Ok(Table { headers, rows })
}

/// Characters that make a spreadsheet read a cell as a formula (or, for tab and carriage
/// return, that some spreadsheets strip before reading it so).
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet could read `v` as a formula once a leading `'` is removed: `v` starts
/// with a formula character after any number of `'`.
fn formula_like(v: &str) -> bool {
    v.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A CSV cell that no spreadsheet runs: a value that starts like a formula gets a leading `'`
/// (Excel's own "text" marker), as does a value of quotes before such a start, so that
/// [`unquote_formula`] gives every value back exactly.
fn quote_formula(v: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(v) {
        format!("'{v}").into()
    } else {
        v.into()
    }
}

/// The inverse of [`quote_formula`].
fn unquote_formula(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => v,
    }
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
    }
}

/// Unpack every part of the workbook into nothing, counting: refuse it if it unpacks to more
/// than the limit, whatever sizes its directory declares (a zip bomb lies about them).
fn check_unpacked(path: &Path, bytes: &[u8], limit: u64) -> Result<(), TabularError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| file_err(path, e))?;
    let mut left = limit;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| file_err(path, e))?;
        let n = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| file_err(path, e))?;
        if n > left {
            return Err(too_large(path, Exceeded::Unpacked { limit }));
        }
        left -= n;
    }
    Ok(())
}

/// The first sheet of an .xlsx file, read cell by cell (never as calamine's dense range, which
/// a file with one cell at A1 and one at XFD1048576 would make 17 billion cells wide).
fn read_xlsx(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Table, TabularError> {
    check_unpacked(path, bytes, limits.unpacked)?;
    // calamine panics on some malformed references (a reversed `<dimension ref="B5:A3">`
    // overflows a subtraction in debug builds; found by tests/hostile.rs): a malformed file,
    // not a reason to take the server down.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        xlsx_cells(path, bytes, limits)
    }))
    .unwrap_or_else(|_| Err(file_err(path, "not a valid .xlsx workbook")))
}

fn xlsx_cells(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Table, TabularError> {
    let mut wb: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| file_err(path, e))?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| file_err(path, "the workbook has no sheet"))?;
    let mut cells = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| file_err(path, e))?;
    // Rows and columns are 0-based here; a table may use rows 0..=limits.rows (header and
    // data) and columns 0..limits.columns.
    let beyond = |(row, col): (u32, u32)| -> Option<Exceeded> {
        if row as usize > limits.rows {
            Some(Exceeded::Rows {
                limit: limits.rows,
                found: row as usize,
            })
        } else if col as usize >= limits.columns {
            Some(Exceeded::Columns {
                limit: limits.columns,
                found: col as usize + 1,
            })
        } else {
            None
        }
    };
    let declared = cells.dimensions();
    if let Some(e) = beyond(declared.end) {
        return Err(too_large(path, e));
    }
    let mut by_row: std::collections::BTreeMap<u32, Vec<(u32, String)>> = Default::default();
    let (mut first_col, mut last_col) = (u32::MAX, 0u32);
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| file_err(path, e))? {
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        let pos = cell.get_position();
        if let Some(e) = beyond(pos) {
            return Err(too_large(path, e));
        }
        count += 1;
        if count > limits.cells {
            return Err(too_large(
                path,
                Exceeded::Cells {
                    limit: limits.cells,
                    found: count,
                },
            ));
        }
        first_col = first_col.min(pos.1);
        last_col = last_col.max(pos.1);
        by_row
            .entry(pos.0)
            .or_default()
            .push((pos.1, cell_text(&value)));
    }
    let width = if by_row.is_empty() {
        0
    } else {
        (last_col - first_col + 1) as usize
    };
    let dense = by_row.len().saturating_mul(width);
    if dense > limits.cells {
        return Err(too_large(
            path,
            Exceeded::Cells {
                limit: limits.cells,
                found: dense,
            },
        ));
    }
    let mut rows = by_row.into_values().map(|cells| {
        let mut row = vec![String::new(); width];
        for (c, v) in cells {
            row[(c - first_col) as usize] = v;
        }
        row
    });
    let headers = rows
        .next()
        .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    let rows = rows
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(Table { headers, rows })
}

/// Turn a table into raw records of type `R`. Every header must be one of `columns`.
pub fn records<R: DeserializeOwned>(
    t: &Table,
    columns: &[&str],
) -> Result<Vec<Record<R>>, TabularError> {
    for h in &t.headers {
        if !columns.contains(&h.as_str()) {
            return Err(TabularError::Cell {
                row: 1,
                column: h.clone(),
                message: format!("unknown column (expected some of: {})", columns.join(", ")),
            });
        }
    }
    let mut out = Vec::with_capacity(t.rows.len());
    for (i, cells) in t.rows.iter().enumerate() {
        let row = i + 2;
        let mut obj = serde_json::Map::new();
        let mut org_key = None;
        for (h, c) in t.headers.iter().zip(cells) {
            if h == "org_key" {
                org_key = Some(c.trim().to_string()).filter(|s| !s.is_empty());
            }
            obj.insert(h.clone(), serde_json::Value::String(c.clone()));
        }
        let raw = serde_json::from_value(serde_json::Value::Object(obj)).map_err(|e| {
            TabularError::Cell {
                row,
                column: String::new(),
                message: e.to_string(),
            }
        })?;
        out.push(Record { row, org_key, raw });
    }
    Ok(out)
}

/// Write a table as CSV (UTF-8 with a BOM so that Excel opens Chinese text correctly) or .xlsx.
/// In CSV a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
/// leading `'`; [`read_csv`] takes it off again. An .xlsx cell is always written as text.
pub fn write(path: &Path, t: &Table) -> Result<(), TabularError> {
    match Format::of(path)? {
        Format::Csv => {
            let mut buf = b"\xEF\xBB\xBF".to_vec();
            {
                let mut w = csv::Writer::from_writer(&mut buf);
                for r in std::iter::once(&t.headers).chain(&t.rows) {
                    w.write_record(r.iter().map(|c| quote_formula(c).into_owned()))
                        .map_err(|e| file_err(path, e))?;
                }
                w.flush().map_err(|e| file_err(path, e))?;
            }
            std::fs::write(path, buf).map_err(|e| file_err(path, e))
        }
        Format::Xlsx => {
            let bytes = xlsx_bytes(&[("Sheet1", t)]).map_err(|e| file_err(path, e))?;
            std::fs::write(path, bytes).map_err(|e| file_err(path, e))
        }
    }
}

/// An .xlsx workbook in memory with one sheet per named table (bold headers, frozen header
/// row, columns wide enough for Chinese text).
pub fn xlsx_bytes(sheets: &[(&str, &Table)]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (name, t) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name)?;
        for (c, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
            let widest = t
                .rows
                .iter()
                .filter_map(|r| r.get(c))
                .chain(std::iter::once(h))
                .map(|v| {
                    v.chars()
                        .map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 })
                        .sum::<f64>()
                })
                .fold(8.0, f64::max);
            ws.set_column_width(c as u16, widest.min(60.0) + 1.0)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in t.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Raw {
        key: String,
        title_zh: String,
    }

    const LIMITS: Limits = Limits {
        bytes: 1 << 20,
        rows: 1000,
        columns: 20,
        cells: 10_000,
        unpacked: 8 << 20,
    };

    fn table() -> Table {
        Table {
            headers: vec!["key".into(), "org_key".into(), "title_zh".into()],
            rows: vec![vec![
                "s1".into(),
                "o1".into(),
                "港口巡检机器人, \"轨道式\"".into(),
            ]],
        }
    }

    #[test]
    fn csv_and_xlsx_round_trip_chinese_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["t.csv", "t.xlsx"] {
            let p = dir.path().join(name);
            write(&p, &table()).expect("write");
            assert_eq!(read(&p, &LIMITS).expect("read"), table(), "{name}");
        }
    }

    #[test]
    fn records_carry_their_row_and_org_key() {
        let recs: Vec<Record<Raw>> =
            records(&table(), &["key", "org_key", "title_zh"]).expect("records");
        assert_eq!(recs[0].row, 2);
        assert_eq!(recs[0].org_key.as_deref(), Some("o1"));
        assert_eq!(recs[0].raw.key, "s1");
        assert!(recs[0].raw.title_zh.contains("轨道式"));
    }

    #[test]
    fn an_unknown_column_is_named() {
        let mut t = table();
        t.headers[2] = "titel".into();
        match records::<Raw>(&t, &["key", "org_key", "title_zh"]) {
            Err(TabularError::Cell { row: 1, column, .. }) => assert_eq!(column, "titel"),
            other => panic!("expected a header error, got {other:?}"),
        }
    }

    #[test]
    fn a_ragged_csv_row_is_reported_with_its_row_number() {
        let err = read_csv("key,title_zh\ns1,巡检\ns2\n".as_bytes(), &LIMITS).unwrap_err();
        assert!(matches!(err, TabularError::Cell { row: 3, .. }), "{err:?}");
    }

    #[test]
    fn an_empty_or_non_utf8_csv_is_refused_saying_why() {
        let e = read_bytes("e.csv", b"", &LIMITS).unwrap_err().to_string();
        assert!(e.starts_with("e.csv: the file is empty"), "{e}");
        // 巡检 in GBK.
        let gbk = b"key,title_zh\ns1,\xd1\xb2\xbc\xec\n";
        let e = read_bytes("gbk.csv", gbk, &LIMITS).unwrap_err().to_string();
        assert!(
            e.starts_with("gbk.csv: row 2 is not UTF-8") && e.contains("CSV UTF-8"),
            "{e}"
        );
    }

    #[test]
    fn other_file_types_are_refused() {
        assert!(matches!(
            Format::of(Path::new("x.pdf")),
            Err(TabularError::UnknownFormat { .. })
        ));
    }

    fn xlsx_with(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, c, v) in cells {
            ws.write_string(*r, *c, *v).expect("cell");
        }
        wb.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn a_sheet_with_cells_at_a1_and_xfd1048576_is_refused_by_its_extent() {
        // 1.6 KB that calamine's dense range would make 2^34 cells.
        let bytes = xlsx_with(&[(0, 0, "日期"), (1_048_575, 16_383, "x")]);
        let err = read_bytes("hours.xlsx", &bytes, &LIMITS).unwrap_err();
        match &err {
            TabularError::TooLarge {
                limit: Exceeded::Rows { limit: 1000, .. },
                ..
            } => {}
            other => panic!("expected the row limit, got {other:?}"),
        }
        assert!(
            err.message("zh").contains("最多读取 1,000 行"),
            "{}",
            err.message("zh")
        );
        assert!(
            err.message("en").contains("at most 1,000"),
            "{}",
            err.message("en")
        );
        assert!(err.to_string().contains("at most 1,000"), "{err}");
    }

    #[test]
    fn a_sheet_too_wide_or_with_too_many_cells_is_refused() {
        let wide = xlsx_with(&[(0, 0, "a"), (0, 30, "b")]);
        assert!(matches!(
            read_bytes("w.xlsx", &wide, &LIMITS),
            Err(TabularError::TooLarge {
                limit: Exceeded::Columns {
                    limit: 20,
                    found: 31
                },
                ..
            })
        ));
        // 999 rows × 19 columns of sparse cells: each within the extent, the table not.
        let cells: Vec<(u32, u16, &str)> = (0..999)
            .map(|r| (r, if r % 2 == 0 { 0 } else { 19 }, "x"))
            .collect();
        assert!(matches!(
            read_bytes("c.xlsx", &xlsx_with(&cells), &LIMITS),
            Err(TabularError::TooLarge {
                limit: Exceeded::Cells { .. },
                ..
            })
        ));
    }

    #[test]
    fn a_csv_beyond_its_limits_is_refused() {
        let rows = "k,v\n".to_string() + &"a,b\n".repeat(1001);
        assert!(matches!(
            read_csv(rows.as_bytes(), &LIMITS),
            Err(TabularError::TooLarge {
                limit: Exceeded::Rows {
                    limit: 1000,
                    found: 1001
                },
                ..
            })
        ));
        let big = vec![b'a'; (1 << 20) + 1];
        assert!(matches!(
            read_bytes("x.csv", &big, &LIMITS),
            Err(TabularError::TooLarge {
                limit: Exceeded::Bytes { .. },
                ..
            })
        ));
        let wide = (0..21)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(matches!(
            read_csv(wide.as_bytes(), &LIMITS),
            Err(TabularError::TooLarge {
                limit: Exceeded::Columns { .. },
                ..
            })
        ));
    }

    #[test]
    fn a_sheet_starting_below_and_right_reads_as_before() {
        let bytes = xlsx_with(&[
            (3, 2, "key"),
            (3, 3, "title_zh"),
            (5, 2, "s1"),
            (5, 3, "巡检"),
        ]);
        let t = read_bytes("t.xlsx", &bytes, &LIMITS).expect("read");
        assert_eq!(t.headers, vec!["key", "title_zh"]);
        assert_eq!(t.rows, vec![vec!["s1".to_string(), "巡检".to_string()]]);
    }

    #[test]
    fn csv_cells_that_start_like_formulas_are_written_inert_and_read_back_exactly() {
        let values = [
            "=cmd|' /C calc'!A0",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=already quoted",
            "''+two quotes",
            "'plain quote",
            "巡检机器人",
            "",
        ];
        let t = Table {
            headers: vec!["key".into(), "title_zh".into()],
            rows: values
                .iter()
                .map(|v| vec!["k".to_string(), v.to_string()])
                .collect(),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("t.csv");
        write(&p, &t).expect("write");
        let text = std::fs::read_to_string(&p).expect("read");
        for line in text.lines().skip(1) {
            let cell = line.split_once(',').map(|(_, c)| c.trim_start_matches('"'));
            assert!(
                !cell.is_some_and(|c| c.starts_with(FORMULA_START)),
                "a live formula in {line:?}"
            );
        }
        assert!(text.contains("'=cmd|"), "{text}");
        assert_eq!(read(&p, &LIMITS).expect("read"), t);
    }
}
