//! Hostile files: a bounded fuzz run of the CSV and .xlsx readers under a memory limit.
//!
//! Every input is generated from a seed (reproducible: the failing seed is printed), by
//! mutating valid files the way an attacker or a careless user would: cell references far out
//! (XFD1048576), lying `<dimension>`s, rows out of order, huge or unterminated strings,
//! shared-string indices out of range, zip bombs whose directory lies about sizes, byte flips,
//! truncation, and for CSV random bytes, quotes, invalid UTF-8 and ragged rows. The process
//! runs with its address space capped (`RLIMIT_AS`), so an allocation the limits should have
//! prevented aborts the test. Each read must answer `Ok` or `Err` within the limits, never
//! panic. `DUIJIE_FUZZ_INPUTS` sets the count (default 3000); the run prints the peak memory.

use std::io::{Cursor, Read, Write};

use duijie_tabular::{read_bytes, Limits};

const LIMITS: Limits = Limits {
    bytes: 4 << 20,
    rows: 20_000,
    columns: 32,
    cells: 200_000,
    unpacked: 32 << 20,
};

/// The address space this process may use: far below what any of the reported files made the
/// reader ask for (512 GB for A1 + XFD1048576, ~600 MB for A1:AD1048576).
const ADDRESS_SPACE: u64 = 1536 << 20;

/// The parts of a valid workbook written by rust_xlsxwriter: (name, bytes).
fn seed_parts() -> Vec<(String, Vec<u8>)> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["日期", "人员/设备", "项目", "工时"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for r in 1..40u32 {
        ws.write_string(r, 0, format!("2025-03-{:02}", r % 28 + 1))
            .expect("date");
        ws.write_string(r, 1, "张工").expect("name");
        ws.write_string(r, 2, "RD-2025-01").expect("code");
        ws.write_number(r, 3, f64::from(r % 9)).expect("hours");
    }
    let bytes = wb.save_to_buffer().expect("xlsx");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let name = f.name().expect("name").to_string();
            let mut b = Vec::new();
            f.read_to_end(&mut b).expect("read");
            (name, b)
        })
        .collect()
}

fn zip_parts(parts: &[(String, Vec<u8>)], deflate: bool) -> Vec<u8> {
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, b) in parts {
        w.start_file(name.as_str(), opts).expect("start");
        w.write_all(b).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

fn column_name(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// A cell reference, usually within the sheet, sometimes at the far edges.
fn cell_ref(rng: &mut fastrand::Rng) -> String {
    let row = match rng.u8(0..10) {
        0 => 1_048_576,
        1 => rng.u32(1..=1_048_576),
        2 => u32::MAX,
        _ => rng.u32(1..60),
    };
    let col = match rng.u8(0..10) {
        0 => 16_383,
        1 => rng.u32(0..16_384),
        _ => rng.u32(0..6),
    };
    format!("{}{row}", column_name(col))
}

fn sheet_xml(rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    );
    if rng.bool() {
        x += &format!("<dimension ref=\"{}:{}\"/>", cell_ref(rng), cell_ref(rng));
    }
    x += "<sheetData>";
    for _ in 0..rng.usize(0..200) {
        let r = rng.u32(1..80);
        x += &format!("<row r=\"{r}\">");
        for _ in 0..rng.usize(0..8) {
            let reference = if rng.u8(0..8) == 0 {
                String::new()
            } else {
                format!(" r=\"{}\"", cell_ref(rng))
            };
            match rng.u8(0..7) {
                0 => x += &format!("<c{reference} t=\"s\"><v>{}</v></c>", rng.u32(0..100)),
                1 => x += &format!("<c{reference}><v>{}</v></c>", rng.f64() * 1e9),
                2 => {
                    x += &format!(
                        "<c{reference} t=\"inlineStr\"><is><t>{}</t></is></c>",
                        "巡检".repeat(rng.usize(0..2000))
                    )
                }
                3 => x += &format!("<c{reference} t=\"b\"><v>{}</v></c>", rng.u8(0..3)),
                4 => x += &format!("<c{reference} t=\"e\"><v>#REF!</v></c>"),
                5 => x += &format!("<c{reference} t=\"str\"><f>SUM(A1:A9)</f><v>=1+1</v></c>"),
                _ => x += &format!("<c{reference}/>"),
            }
        }
        x += "</row>";
    }
    if rng.u8(0..10) > 0 {
        x += "</sheetData></worksheet>";
    }
    x.into_bytes()
}

fn mutate_bytes(rng: &mut fastrand::Rng, b: &mut Vec<u8>) {
    for _ in 0..rng.usize(1..6) {
        if b.is_empty() {
            break;
        }
        match rng.u8(0..4) {
            0 => {
                let i = rng.usize(0..b.len());
                b[i] ^= 1 << rng.u8(0..8);
            }
            1 => b.truncate(rng.usize(0..b.len())),
            2 => {
                let i = rng.usize(0..=b.len());
                let junk: Vec<u8> = (0..rng.usize(1..64)).map(|_| rng.u8(..)).collect();
                b.splice(i..i, junk);
            }
            _ => {
                let i = rng.usize(0..b.len());
                let j = rng.usize(i..b.len().min(i + 256) + 1).min(b.len());
                let copy = b[i..j].to_vec();
                b.splice(i..i, copy);
            }
        }
    }
}

/// A deflated part of `n` bytes of one repeated text: kilobytes on disk, `n` unpacked.
fn bomb(n: usize) -> Vec<u8> {
    let mut s = b"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>"
        .to_vec();
    s.resize(n, b'A');
    s.extend_from_slice(b"</t></si></sst>");
    s
}

fn xlsx_input(rng: &mut fastrand::Rng, seed: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut parts = seed.to_vec();
    match rng.u8(0..6) {
        0..=2 => {
            if let Some(p) = parts.iter_mut().find(|(n, _)| n.ends_with("sheet1.xml")) {
                p.1 = sheet_xml(rng);
            }
        }
        3 => {
            if let Some(p) = parts
                .iter_mut()
                .find(|(n, _)| n.ends_with("sharedStrings.xml"))
            {
                p.1 = bomb(rng.usize(1..96) << 20);
            } else {
                parts.push(("xl/sharedStrings.xml".into(), bomb(64 << 20)));
            }
        }
        4 => {
            let i = rng.usize(0..parts.len());
            mutate_bytes(rng, &mut parts[i].1);
        }
        _ => {}
    }
    let mut bytes = zip_parts(&parts, rng.u8(0..4) > 0);
    if rng.u8(0..5) == 0 {
        mutate_bytes(rng, &mut bytes);
    }
    bytes
}

fn csv_input(rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut b = Vec::new();
    if rng.bool() {
        b.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let cols = match rng.u8(0..10) {
        0 => rng.usize(30..100),
        _ => rng.usize(1..6),
    };
    let rows = match rng.u8(0..10) {
        0 => rng.usize(19_000..22_000),
        _ => rng.usize(0..50),
    };
    let pieces: [&[u8]; 10] = [
        b"\"",
        b",",
        b"\n",
        b"\r\n",
        "巡检".as_bytes(),
        b"=1+1",
        b"\xff\xfe",
        b"'",
        b"2025-03-01",
        b"8",
    ];
    for r in 0..=rows {
        let width = if rng.u8(0..20) == 0 {
            rng.usize(0..cols + 3)
        } else {
            cols
        };
        for c in 0..width {
            if c > 0 {
                b.push(b',');
            }
            if r == 0 {
                b.extend_from_slice(format!("h{c}").as_bytes());
            } else {
                for _ in 0..rng.usize(0..3) {
                    b.extend_from_slice(pieces[rng.usize(0..pieces.len())]);
                }
            }
        }
        b.push(b'\n');
    }
    if rng.u8(0..8) == 0 {
        mutate_bytes(rng, &mut b);
    }
    b
}

/// Peak resident memory of this process so far, in bytes (Linux `VmHWM`).
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn hostile_files_never_crash_the_readers_or_outgrow_the_limits() {
    rlimit::setrlimit(rlimit::Resource::AS, ADDRESS_SPACE, ADDRESS_SPACE)
        .expect("cap the address space");
    let inputs: u64 = std::env::var("DUIJIE_FUZZ_INPUTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let seed_parts = seed_parts();
    // The readers' own panics are caught (and counted below); keep the log readable.
    std::panic::set_hook(Box::new(|_| {}));
    let started = std::time::Instant::now();
    let (mut ok, mut refused, mut too_large) = (0u64, 0u64, 0u64);
    for seed in 0..inputs {
        let mut rng = fastrand::Rng::with_seed(seed);
        let (name, bytes) = if rng.u8(0..3) == 0 {
            ("t.csv", csv_input(&mut rng))
        } else {
            ("t.xlsx", xlsx_input(&mut rng, &seed_parts))
        };
        let result = std::panic::catch_unwind(|| read_bytes(name, &bytes, &LIMITS));
        match result {
            Ok(Ok(t)) => {
                ok += 1;
                assert!(t.rows.len() <= LIMITS.rows, "seed {seed}: too many rows");
                assert!(t.headers.len() <= LIMITS.columns, "seed {seed}: too wide");
            }
            Ok(Err(duijie_tabular::TabularError::TooLarge { .. })) => too_large += 1,
            Ok(Err(_)) => refused += 1,
            Err(_) => panic!(
                "seed {seed} ({name}, {} bytes) panicked the reader",
                bytes.len()
            ),
        }
    }
    eprintln!(
        "{inputs} hostile inputs in {:.1} s: {ok} read, {too_large} refused as too large, \
         {refused} refused as malformed; peak memory {:.0} MB (address space capped at {} MB)",
        started.elapsed().as_secs_f64(),
        peak_rss() as f64 / 1_048_576.0,
        ADDRESS_SPACE >> 20
    );
    assert!(
        ok > 0 && too_large > 0 && refused > 0,
        "the corpus covers all three outcomes"
    );
}

#[test]
fn a_zip_bomb_is_refused_by_its_unpacked_size_whatever_its_directory_says() {
    let mut parts = seed_parts();
    let strings = parts
        .iter_mut()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .expect("the seed has shared strings");
    strings.1 = bomb(200 << 20);
    let bytes = zip_parts(&parts, true);
    assert!(bytes.len() < 1 << 20, "the bomb is small on disk");
    match read_bytes("bomb.xlsx", &bytes, &LIMITS) {
        Err(duijie_tabular::TabularError::TooLarge {
            limit: duijie_tabular::Exceeded::Unpacked { .. },
            ..
        }) => {}
        other => panic!("expected the unpacked limit, got {other:?}"),
    }
}

#[test]
fn a_lying_dimension_does_not_let_a_far_cell_through() {
    let mut parts = seed_parts();
    let sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
        <dimension ref=\"A1:B2\"/><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>日期</t></is></c></row>\
        <row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>";
    for p in parts.iter_mut().filter(|(n, _)| n.ends_with("sheet1.xml")) {
        p.1 = sheet.as_bytes().to_vec();
    }
    match read_bytes("lie.xlsx", &zip_parts(&parts, true), &LIMITS) {
        Err(duijie_tabular::TabularError::TooLarge { .. }) => {}
        other => panic!("expected a limit, got {other:?}"),
    }
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused_in_the_readers_language_naming_it_once() {
    let e = read_bytes("junk.xlsx", b"this is not a workbook", &LIMITS).expect_err("junk");
    let zh = e.message("zh");
    assert!(zh.starts_with("无法读取此文件"), "{zh}");
    // No file name (the caller gives it), and none of the library's English.
    assert!(
        !zh.contains("junk.xlsx") && !zh.to_lowercase().contains("format"),
        "{zh}"
    );
    let en = e.message("en");
    assert!(
        en.starts_with("the file cannot be read") && !en.contains("junk.xlsx"),
        "{en}"
    );
}
