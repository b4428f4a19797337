//! Reading and writing tables of records as CSV or Excel (.xlsx) files. A file becomes a
//! `Table` of text cells; a table becomes typed raw records with every problem reported as
//! "row N, column C: what is wrong" (row 1 is the header, as a spreadsheet numbers it).

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
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

/// Read a CSV (UTF-8, optional BOM) or the first sheet of an .xlsx file.
pub fn read(path: &Path) -> Result<Table, TabularError> {
    match Format::of(path)? {
        Format::Csv => {
            let bytes = std::fs::read(path).map_err(|e| file_err(path, e))?;
            read_csv(&bytes).map_err(|e| match e {
                TabularError::File { message, .. } => file_err(path, message),
                other => other,
            })
        }
        Format::Xlsx => read_xlsx(path),
    }
}

/// Parse CSV bytes.
pub fn read_csv(bytes: &[u8]) -> Result<Table, TabularError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let headers = r
        .headers()
        .map_err(|e| TabularError::File {
            path: "csv".into(),
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| TabularError::Cell {
            row: i + 2,
            column: String::new(),
            message: format!("not valid CSV: {e}"),
        })?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(Table { headers, rows })
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

fn read_xlsx(path: &Path) -> Result<Table, TabularError> {
    let wb = open_workbook_auto(path).map_err(|e| file_err(path, e))?;
    first_sheet(wb, path)
}

/// Read an uploaded file's bytes; `name` (the file's name) decides the format.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Table, TabularError> {
    let path = Path::new(name);
    match Format::of(path)? {
        Format::Csv => read_csv(bytes).map_err(|e| match e {
            TabularError::File { message, .. } => file_err(path, message),
            other => other,
        }),
        Format::Xlsx => {
            let wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| file_err(path, e))?;
            first_sheet(wb, path)
        }
    }
}

fn first_sheet<RS: std::io::Read + std::io::Seek>(
    mut wb: calamine::Sheets<RS>,
    path: &Path,
) -> Result<Table, TabularError> {
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| file_err(path, "the workbook has no sheet"))?
        .map_err(|e| file_err(path, e))?;
    let mut it = range.rows();
    let headers = it
        .next()
        .map(|r| r.iter().map(|c| cell_text(c).trim().to_string()).collect())
        .unwrap_or_default();
    let rows = it
        .map(|r| r.iter().map(cell_text).collect::<Vec<_>>())
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
pub fn write(path: &Path, t: &Table) -> Result<(), TabularError> {
    match Format::of(path)? {
        Format::Csv => {
            let mut buf = b"\xEF\xBB\xBF".to_vec();
            {
                let mut w = csv::Writer::from_writer(&mut buf);
                w.write_record(&t.headers).map_err(|e| file_err(path, e))?;
                for r in &t.rows {
                    w.write_record(r).map_err(|e| file_err(path, e))?;
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
            assert_eq!(read(&p).expect("read"), table(), "{name}");
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
        let err = read_csv("key,title_zh\ns1,巡检\ns2\n".as_bytes()).unwrap_err();
        assert!(matches!(err, TabularError::Cell { row: 3, .. }), "{err:?}");
    }

    #[test]
    fn other_file_types_are_refused() {
        assert!(matches!(
            Format::of(Path::new("x.pdf")),
            Err(TabularError::UnknownFormat { .. })
        ));
    }
}
