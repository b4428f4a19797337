//! Store tests against a fresh SQLite file per test.

use duijie_domain::achievement::AchievementRaw;
use duijie_domain::challenge::{ApplicationStatus, ChallengeStatus};
use duijie_domain::gathering::{GatheringStatus, MeetingRequestStatus, Side};
use duijie_domain::organisation::OrgRaw;
use duijie_domain::pipeline::{
    DealStatus, FundKind, FundStage, PlatformKind, RequestStatus, ServiceKind,
};
use duijie_domain::scenario::ScenarioRaw;
use duijie_domain::{AchievementInput, OrgInput, ScenarioInput};

use crate::import::ImportRow;
use crate::listing::ListFilter;
use crate::{Audit, Page, Store, StoreError, Viewer};

/// A fresh, migrated database: SQLite in a temporary folder, or — when the test command has
/// started PostgreSQL and set `DUIJIE_TEST_PG_URL` — a new PostgreSQL database.
async fn store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = match std::env::var("DUIJIE_TEST_PG_URL") {
        Ok(admin) => Store::connect(&fresh_postgres(&admin).await)
            .await
            .expect("connect"),
        Err(_) => Store::open_sqlite(dir.path()).await.expect("open"),
    };
    s.migrate().await.expect("migrate");
    (s, dir)
}

/// Create an empty database next to the one `admin` points at and return its URL.
async fn fresh_postgres(admin: &str) -> String {
    use sqlx::Connection;
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "duijie_store_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    );
    let mut c = sqlx::PgConnection::connect(admin)
        .await
        .expect("admin connection");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut c)
        .await
        .expect("create database");
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b)
        .expect("URL with a database");
    format!("{base}/{name}")
}

/// The migration files of a folder, in the order they run.
fn migrations(folder: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// The tables a folder's migrations leave, in the order they were created, each with its
/// columns in order: CREATE TABLE, ALTER TABLE … ADD COLUMN / DROP COLUMN / RENAME TO and DROP
/// TABLE are followed (a table SQLite rebuilds ends where its new copy was created); the types
/// are not compared, as each dialect writes its own.
fn final_tables(folder: &str) -> Vec<(String, Vec<String>)> {
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for f in migrations(folder) {
        let sql = std::fs::read_to_string(&f).expect("read");
        let sql: String = sql
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n");
        for stmt in sql.split(';') {
            let w: Vec<&str> = stmt.split_whitespace().collect();
            match w[..] {
                ["CREATE", "TABLE", t, ..] => {
                    let body = stmt.split_once('(').map_or("", |(_, b)| b);
                    let names = body
                        .split(",\n")
                        .filter_map(|c| c.split_whitespace().next())
                        .filter(|c| !matches!(*c, "UNIQUE" | "PRIMARY" | "CHECK"))
                        .map(str::to_string)
                        .collect();
                    tables.push((t.to_string(), names));
                }
                ["DROP", "TABLE", t] => tables.retain(|(n, _)| n != t),
                ["ALTER", "TABLE", t, "RENAME", "TO", to] => {
                    if let Some((n, _)) = tables.iter_mut().find(|(n, _)| n == t) {
                        *n = to.to_string();
                    }
                }
                ["ALTER", "TABLE", t, "DROP", "COLUMN", c] => {
                    if let Some((_, names)) = tables.iter_mut().find(|(n, _)| n == t) {
                        names.retain(|n| n != c);
                    }
                }
                ["ALTER", "TABLE", t, "ADD", "COLUMN", c, ..] => {
                    if let Some((_, names)) = tables.iter_mut().find(|(n, _)| n == t) {
                        names.push(c.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    tables
}

#[test]
fn migration_folders_are_in_step() {
    // The same files, leaving the same tables with the same columns in the same order.
    let names = |folder| -> Vec<_> {
        migrations(folder)
            .iter()
            .map(|f| f.file_name().expect("name").to_owned())
            .collect()
    };
    assert_eq!(names("sqlite"), names("postgres"));
    let sorted = |folder| {
        let mut t = final_tables(folder);
        t.sort();
        t
    };
    assert_eq!(sorted("sqlite"), sorted("postgres"));
}

#[test]
fn the_copy_covers_every_column() {
    // In the order SQLite's migrations leave them, which keeps every reference after its target.
    let tables = final_tables("sqlite");
    let copy: Vec<(String, Vec<String>)> = crate::copy::TABLES
        .iter()
        .map(|(t, c)| {
            (
                t.to_string(),
                c.iter()
                    .map(|c| c.trim_start_matches('#').to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(copy, tables);
}

#[tokio::test]
async fn a_copy_holds_every_row_and_refuses_a_target_with_data() {
    let (from, _d1) = store().await;
    let a = Audit::system("test");
    let o = from
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    from.create_scenario(&a, o, &scenario("s1", "散货码头巡检", "published"))
        .await
        .expect("s1");
    let email = duijie_domain::Email::parse("email", "li@example.cn").expect("email");
    let uid = from
        .create_user(
            &a,
            &email,
            "hash",
            "李工",
            duijie_domain::Role::Member,
            Some(o),
        )
        .await
        .expect("user");
    let (token, _) = from.create_session(uid).await.expect("session");
    let dir = tempfile::tempdir().expect("tempdir");
    let to = Store::open_sqlite(dir.path()).await.expect("open");
    to.migrate().await.expect("migrate");
    let n = from.copy_into(&to, &|_, _| {}).await.expect("copy");
    assert!(n >= 6, "{n}");
    assert_eq!(
        to.scenarios(&ListFilter::new(Viewer::All), None)
            .await
            .expect("list")
            .0,
        from.scenarios(&ListFilter::new(Viewer::All), None)
            .await
            .expect("list")
            .0
    );
    assert_eq!(
        to.session_user(&token).await.expect("q").map(|u| u.0.id),
        Some(uid),
        "sessions survive a move"
    );
    // New rows continue after the copied ids.
    let o2 = to
        .create_organisation(&a, &org("o2", "河钢集团"))
        .await
        .expect("org");
    assert!(o2 > o);
    assert!(matches!(
        from.copy_into(&to, &|_, _| {}).await,
        Err(StoreError::NotEmpty { .. })
    ));
}

fn org(key: &str, name: &str) -> OrgInput {
    OrgInput::parse(&OrgRaw {
        key: Some(key.into()),
        name_zh: Some(name.into()),
        kind: Some("enterprise".into()),
        region: Some("hebei.tangshan".into()),
        ..Default::default()
    })
    .expect("valid org")
}

fn scenario(key: &str, title: &str, status: &str) -> ScenarioInput {
    ScenarioInput::parse(&ScenarioRaw {
        key: Some(key.into()),
        title_zh: Some(title.into()),
        chain: Some("robotics".into()),
        trl_required: Some("6".into()),
        region: Some("hebei.tangshan".into()),
        status: Some(status.into()),
        confidential: Some("联系人手机 13800000000".into()),
        ..Default::default()
    })
    .expect("valid scenario")
}

fn none(_: usize) {}

#[tokio::test]
async fn migrations_apply_twice_without_harm() {
    let (s, _d) = store().await;
    s.migrate().await.expect("second run is a no-op");
    let status = s.migration_status().await.expect("status");
    assert!(status.iter().all(|m| m.2), "{status:?}");
}

#[tokio::test]
async fn drafts_are_listed_only_for_their_owner_and_staff() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let o1 = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let o2 = s
        .create_organisation(&a, &org("o2", "河钢集团"))
        .await
        .expect("org");
    s.create_scenario(&a, o1, &scenario("s1", "散货码头巡检", "published"))
        .await
        .expect("s1");
    s.create_scenario(&a, o1, &scenario("s2", "草稿场景", "draft"))
        .await
        .expect("s2");
    let count = |v| {
        let s = s.clone();
        async move {
            s.scenarios(&ListFilter::new(v), Some(Page::new(None, None)))
                .await
                .expect("list")
                .1
        }
    };
    assert_eq!(count(Viewer::Public).await, 1);
    assert_eq!(count(Viewer::Org(o2)).await, 1);
    assert_eq!(count(Viewer::Org(o1)).await, 2);
    assert_eq!(count(Viewer::All).await, 2);
}

#[tokio::test]
async fn every_write_leaves_an_audit_entry_without_confidential_text() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let o = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let id = s
        .create_scenario(&a, o, &scenario("s1", "散货码头巡检", "draft"))
        .await
        .expect("create");
    s.update_scenario(&a, id, o, &scenario("s1", "散货码头皮带巡检", "published"))
        .await
        .expect("update");
    s.delete_scenario(&a, id).await.expect("delete");
    let (log, total) = s
        .audit_log(Some(("scenario", id)), Page::new(None, None))
        .await
        .expect("log");
    assert_eq!(total, 3);
    let actions: Vec<_> = log.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, ["delete", "update", "create"]);
    assert!(log[1].detail.contains("散货码头皮带巡检"));
    assert!(
        log.iter().all(|l| !l.detail.contains("13800000000")),
        "{log:?}"
    );
}

#[tokio::test]
async fn an_import_with_a_bad_row_changes_nothing_and_names_the_row() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    s.import_organisations(
        &a,
        &[ImportRow {
            row: 2,
            org_key: None,
            input: org("o1", "唐山港集团"),
        }],
        &none,
    )
    .await
    .expect("orgs");
    let rows = vec![
        ImportRow {
            row: 2,
            org_key: Some("o1".into()),
            input: scenario("s1", "散货码头巡检", "published"),
        },
        ImportRow {
            row: 3,
            org_key: Some("nope".into()),
            input: scenario("s2", "矿山巡检", "published"),
        },
    ];
    match s.import_scenarios(&a, &rows, &none).await {
        Err(StoreError::Import { row, column, .. }) => {
            assert_eq!((row, column.as_str()), (3, "org_key"))
        }
        other => panic!("expected an import error, got {other:?}"),
    }
    let (_, total) = s
        .scenarios(&ListFilter::new(Viewer::All), None)
        .await
        .expect("list");
    assert_eq!(total, 0, "the good first row was rolled back too");
}

#[tokio::test]
async fn importing_the_same_rows_again_updates_instead_of_duplicating() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    s.import_organisations(
        &a,
        &[ImportRow {
            row: 2,
            org_key: None,
            input: org("o1", "唐山港集团"),
        }],
        &none,
    )
    .await
    .expect("orgs");
    let ach = AchievementInput::parse(&AchievementRaw {
        key: Some("a1".into()),
        title_zh: Some("轨道巡检机器人".into()),
        chain: Some("robotics".into()),
        trl: Some("7".into()),
        ..Default::default()
    })
    .expect("valid");
    let rows = vec![ImportRow {
        row: 2,
        org_key: Some("o1".into()),
        input: ach.clone(),
    }];
    let first = s
        .import_achievements(&a, &rows, &none)
        .await
        .expect("first");
    let again = s
        .import_achievements(&a, &rows, &none)
        .await
        .expect("again");
    assert_eq!((first.inserted, again.inserted, again.unchanged), (1, 0, 1));
    let mut changed = ach;
    changed.trl = duijie_domain::Trl::new(8).expect("8");
    let third = s
        .import_achievements(
            &a,
            &[ImportRow {
                row: 2,
                org_key: Some("o1".into()),
                input: changed,
            }],
            &none,
        )
        .await
        .expect("third");
    assert_eq!(third.updated, 1);
    assert_eq!(
        s.achievements(&ListFilter::new(Viewer::All), None)
            .await
            .expect("list")
            .1,
        1
    );
}

#[tokio::test]
async fn duplicate_keys_in_one_file_are_rejected() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let rows = vec![
        ImportRow {
            row: 2,
            org_key: None,
            input: org("o1", "甲"),
        },
        ImportRow {
            row: 3,
            org_key: None,
            input: org("o1", "乙"),
        },
    ];
    match s.import_organisations(&a, &rows, &none).await {
        Err(StoreError::Import { row, column, .. }) => {
            assert_eq!((row, column.as_str()), (3, "key"))
        }
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[tokio::test]
async fn sessions_and_api_tokens_resolve_to_their_user_and_can_be_ended() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let email = duijie_domain::Email::parse("email", "li@example.cn").expect("email");
    let uid = s
        .create_user(
            &a,
            &email,
            "hash",
            "李工",
            duijie_domain::Role::Member,
            None,
        )
        .await
        .expect("user");
    assert!(matches!(
        s.create_user(
            &a,
            &email,
            "hash",
            "again",
            duijie_domain::Role::Member,
            None
        )
        .await,
        Err(StoreError::Conflict { field: "email" })
    ));
    let (token, csrf) = s.create_session(uid).await.expect("session");
    let (u, c) = s.session_user(&token).await.expect("query").expect("live");
    assert_eq!((u.id, c), (uid, csrf));
    s.delete_session(&token).await.expect("logout");
    assert!(s.session_user(&token).await.expect("query").is_none());
    use duijie_domain::TokenScope;
    let later = duijie_domain::user::token_expires(chrono::Utc::now(), 30);
    let api = s
        .create_api_token(&a, uid, "ci", TokenScope::Read, &later)
        .await
        .expect("token");
    let (u, used) = s
        .user_for_api_token(&api)
        .await
        .expect("q")
        .expect("a live token");
    assert_eq!((u.id, used.scope), (uid, TokenScope::Read));
    assert!(s
        .user_for_api_token("dj_forged")
        .await
        .expect("q")
        .is_none());
    // An expired token is no token.
    let past = duijie_domain::user::token_expires(chrono::Utc::now(), -1);
    let old = s
        .create_api_token(&a, uid, "old", TokenScope::Write, &past)
        .await
        .expect("token");
    assert!(s.user_for_api_token(&old).await.expect("q").is_none());
    // The list says scope, expiry and whose; a change made through a token names it.
    let mine = s.api_tokens(Some(uid)).await.expect("list");
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].scope, TokenScope::Read);
    assert_eq!(mine[0].expires_at.as_deref(), Some(later.as_str()));
    assert_eq!(mine[0].user_email, "li@example.cn");
    let by_token = Audit::user(uid, "li@example.cn").through_token(Some(used.id));
    s.revoke_api_token(&by_token, Some(uid), mine[1].id)
        .await
        .expect("revoke own");
    let (log, _) = s
        .audit_log(
            Some(("api_token", mine[1].id)),
            crate::Page::new(None, Some(10)),
        )
        .await
        .expect("log");
    assert_eq!(log[0].token_id, Some(used.id));
    // Revoking another user's token needs the admin's `None`.
    assert!(matches!(
        s.revoke_api_token(&a, Some(uid + 1), mine[0].id).await,
        Err(StoreError::NotFound)
    ));
    s.revoke_api_token(&a, None, mine[0].id)
        .await
        .expect("the admin revokes any");
    assert!(s.user_for_api_token(&api).await.expect("q").is_none());
    assert!(s.api_tokens(None).await.expect("all").is_empty());
}

#[tokio::test]
async fn a_new_schedule_keeps_locks_and_outcomes_of_meetings_that_stay() {
    use crate::gathering::{GatheringInput, ParticipantInput, ScheduleResult};
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let o1 = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let o2 = s
        .create_organisation(&a, &org("o2", "北航"))
        .await
        .expect("org");
    let g = s
        .create_gathering(
            &a,
            &GatheringInput {
                title_zh: "场景汇".into(),
                title_en: "Gathering".into(),
                venue: String::new(),
                rooms: String::new(),
                intro_zh: String::new(),
                intro_en: String::new(),
                registration_closes: "2026-12-01".into(),
                slots: vec![
                    ("2026-12-02T09:00:00+08:00".into(), 20, 2),
                    ("2026-12-02T09:20:00+08:00".into(), 20, 2),
                ],
                scenario_ids: Vec::new(),
            },
        )
        .await
        .expect("gathering");
    let slots: Vec<i64> = s
        .gathering_slots(g)
        .await
        .expect("slots")
        .iter()
        .map(|x| x.id)
        .collect();
    let person = |org, email: &str, side: &str| ParticipantInput {
        org_id: org,
        name: email.into(),
        title: String::new(),
        email: email.into(),
        side: Side::from_code(side).expect("side"),
    };
    let p1 = s
        .add_participant(&a, g, &person(o1, "a@x.cn", "demand"))
        .await
        .expect("p1");
    let p2 = s
        .add_participant(&a, g, &person(o2, "b@x.cn", "supply"))
        .await
        .expect("p2");
    let p3 = s
        .add_participant(&a, g, &person(o2, "c@x.cn", "supply"))
        .await
        .expect("p3");
    assert!(matches!(
        s.add_participant(&a, g, &person(o2, "c@x.cn", "supply"))
            .await,
        Err(StoreError::Conflict { field: "email" })
    ));
    let r1 = s.create_request(&a, g, p1, p2, 5, "").await.expect("r1");
    let r2 = s.create_request(&a, g, p1, p3, 3, "").await.expect("r2");
    // One request per pair, in either direction.
    assert!(matches!(
        s.create_request(&a, g, p2, p1, 1, "").await,
        Err(StoreError::Conflict { .. })
    ));
    for r in [r1, r2] {
        s.set_request_status(&a, r, MeetingRequestStatus::Accepted)
            .await
            .expect("accept");
    }
    let first = ScheduleResult {
        meetings: vec![(r1, slots[0], 1), (r2, slots[1], 1)],
        unscheduled: Vec::new(),
        report: "{}".into(),
    };
    s.save_schedule(&a, g, &first).await.expect("save");
    let m1 = s.meetings(g).await.expect("meetings")[0].id;
    s.set_meeting_locked(&a, m1, true).await.expect("lock");
    s.set_meeting_outcome(&a, m1, true, "nda")
        .await
        .expect("outcome");
    // r2 moves to table 2; r1 stays and keeps its lock and outcome.
    let second = ScheduleResult {
        meetings: vec![(r1, slots[0], 1), (r2, slots[1], 2)],
        unscheduled: Vec::new(),
        report: "{\"value\": 8}".into(),
    };
    s.save_schedule(&a, g, &second).await.expect("save again");
    let meetings = s.meetings(g).await.expect("meetings");
    assert_eq!(meetings.len(), 2);
    assert_eq!(
        (
            meetings[0].id,
            meetings[0].locked,
            meetings[0].outcome_from.as_deref()
        ),
        (m1, 1, Some("nda"))
    );
    assert_eq!(meetings[1].table_no, 2);
    // Cancelling a request removes its meeting; the next schedule lists it with a reason.
    s.set_request_status(&a, r2, MeetingRequestStatus::Cancelled)
        .await
        .expect("cancel");
    assert_eq!(s.meetings(g).await.expect("meetings").len(), 1);
    let third = ScheduleResult {
        meetings: vec![(r1, slots[0], 1)],
        unscheduled: vec![(r2, "cancelled".into())],
        report: "{}".into(),
    };
    s.save_schedule(&a, g, &third).await.expect("save");
    assert_eq!(
        s.request(r2).await.expect("r2").reason.as_deref(),
        Some("cancelled")
    );
    assert_eq!(
        s.gathering(g).await.expect("g").status,
        GatheringStatus::Scheduled
    );
    let (log, _) = s
        .audit_log(Some(("gathering", g)), Page::new(None, Some(100)))
        .await
        .expect("audit");
    assert_eq!(log.iter().filter(|e| e.action == "schedule").count(), 3);
}

/// Every statistic from known records: two published scenarios and a draft, an achievement
/// from Beijing and a draft, two accepted meeting requests and a pending one, a meeting held
/// and one to come, one application awarded and one rejected, a pilot service delivered (and a
/// second booking refused on a full day), a company rooted, a project with its investment, a
/// fund investment and a declined deal.
#[tokio::test]
async fn statistics_count_the_records_they_describe() {
    use crate::fund::{DealInput, FundFields, ProjectFields};
    use crate::gathering::{ParticipantInput, ScheduleResult};
    use crate::outcome::{Group, OutcomeInput};
    use crate::pilot::{PlatformFields, RequestInput, ServiceInput};
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let hebei = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let mut bj = org("o2", "北航");
    bj.region = duijie_domain::Region::parse("region", "beijing").expect("region");
    let beijing = s.create_organisation(&a, &bj).await.expect("org");
    for (k, st) in [("s1", "published"), ("s2", "published"), ("s3", "draft")] {
        s.create_scenario(&a, hebei, &scenario(k, "场景", st))
            .await
            .expect("scenario");
    }
    let achievement = |key: &str, status: &str| {
        AchievementInput::parse(&AchievementRaw {
            key: Some(key.into()),
            title_zh: Some("成果".into()),
            chain: Some("robotics".into()),
            trl: Some("6".into()),
            status: Some(status.into()),
            ..Default::default()
        })
        .expect("valid achievement")
    };
    let ach = s
        .create_achievement(&a, beijing, &achievement("a1", "published"))
        .await
        .expect("achievement");
    s.create_achievement(&a, beijing, &achievement("a2", "draft"))
        .await
        .expect("draft");

    // Meetings: one slot long past, one far ahead.
    let g = s
        .create_gathering(
            &a,
            &gathering_input(
                "2020-01-01",
                ["2020-01-02T09:00:00+08:00", "2099-01-02T09:00:00+08:00"],
            ),
        )
        .await
        .expect("gathering");
    let slots: Vec<i64> = s
        .gathering_slots(g)
        .await
        .expect("slots")
        .iter()
        .map(|x| x.id)
        .collect();
    let person = |org, email: &str| ParticipantInput {
        org_id: org,
        name: email.into(),
        title: String::new(),
        email: email.into(),
        side: Side::Demand,
    };
    let p1 = s
        .add_participant(&a, g, &person(hebei, "a@x.cn"))
        .await
        .expect("p");
    let p2 = s
        .add_participant(&a, g, &person(beijing, "b@x.cn"))
        .await
        .expect("p");
    let p3 = s
        .add_participant(&a, g, &person(beijing, "c@x.cn"))
        .await
        .expect("p");
    let r1 = s.create_request(&a, g, p1, p2, 5, "").await.expect("r");
    let r2 = s.create_request(&a, g, p1, p3, 5, "").await.expect("r");
    s.create_request(&a, g, p2, p3, 5, "")
        .await
        .expect("pending");
    for r in [r1, r2] {
        s.set_request_status(&a, r, MeetingRequestStatus::Accepted)
            .await
            .expect("accept");
    }
    let plan = ScheduleResult {
        meetings: vec![(r1, slots[0], 1), (r2, slots[1], 1)],
        unscheduled: Vec::new(),
        report: "{}".into(),
    };
    s.save_schedule(&a, g, &plan).await.expect("schedule");

    // A challenge: one application awarded, one rejected.
    let c = s
        .create_challenge(&a, hebei, &challenge_input(3))
        .await
        .expect("challenge");
    let app = application_input;
    let won = s.apply(&a, c, beijing, &app("甲")).await.expect("apply");
    let lost = s.apply(&a, c, hebei, &app("乙")).await.expect("apply");
    s.decide(
        &a,
        c,
        &[
            (won, ApplicationStatus::Awarded, String::new()),
            (lost, ApplicationStatus::Rejected, String::new()),
        ],
        ChallengeStatus::Draft,
        ChallengeStatus::Awarded,
    )
    .await
    .expect("decide");

    // A pilot platform with one unit a day: one service delivered; a second booking on the same
    // day is refused and changes nothing.
    let platform = s
        .create_platform(
            &a,
            hebei,
            &PlatformFields {
                kind: PlatformKind::Pilot,
                name_zh: "中试基地".into(),
                region: "hebei.tangshan".into(),
                chain: "robotics".into(),
                capacity: 1,
                ..Default::default()
            },
        )
        .await
        .expect("platform");
    let service = s
        .add_service(
            &a,
            platform,
            &ServiceInput {
                kind: ServiceKind::Inspection,
                name_zh: "防爆检测".into(),
                name_en: String::new(),
                price_min_fen: 0,
                price_max_fen: 0,
                lead_days: 5,
            },
        )
        .await
        .expect("service");
    let ask = RequestInput {
        service_id: service,
        achievement_id: Some(ach),
        days: 2,
        units: 1,
        wanted_from: "2026-03-01".into(),
        note: String::new(),
    };
    let first = s.request_service(&a, beijing, &ask).await.expect("request");
    let second = s.request_service(&a, beijing, &ask).await.expect("request");
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("day");
    s.schedule_request(&a, first, day("2026-03-01"))
        .await
        .expect("booked");
    match s.schedule_request(&a, second, day("2026-03-02")).await {
        Err(StoreError::Full { day, free, wanted }) => {
            assert_eq!((day.as_str(), free, wanted), ("2026-03-02", 0, 1))
        }
        other => panic!("expected a full day, got {other:?}"),
    }
    assert_eq!(
        s.service_request(second).await.expect("r").status,
        RequestStatus::Requested
    );
    s.schedule_request(&a, second, day("2026-03-03"))
        .await
        .expect("the next free day");
    s.close_request(
        &a,
        first,
        &[RequestStatus::Scheduled],
        RequestStatus::Done,
        "pass",
        "报告",
        "小批量",
        "",
    )
    .await
    .expect("done");

    // Outcomes and money.
    let outcome = |kind: &str, city: &str, amount: i64, on: &str| OutcomeInput {
        kind: duijie_domain::pipeline::OutcomeKind::from_code(kind).expect("kind"),
        title: "落地".into(),
        city: city.into(),
        chain: "robotics".into(),
        source_region: "beijing".into(),
        amount_fen: amount,
        occurred_on: on.into(),
        achievement_id: Some(ach),
        ..Default::default()
    };
    s.record_outcome(&a, &outcome("company", "hebei.tangshan", 0, "2026-05-01"))
        .await
        .expect("o");
    s.record_outcome(
        &a,
        &outcome("project", "hebei.cangzhou", 50_000_000, "2025-03-01"),
    )
    .await
    .expect("o");
    let fund = s
        .create_fund(
            &a,
            beijing,
            &FundFields {
                name_zh: "基金".into(),
                kind: FundKind::Venture,
                ..Default::default()
            },
        )
        .await
        .expect("fund");
    let project = |title: &str| ProjectFields {
        title: title.into(),
        chain: "robotics".into(),
        stage: FundStage::Early,
        region: "hebei.tangshan".into(),
        ..Default::default()
    };
    let p = s
        .create_finance_project(&a, hebei, &project("融资一"))
        .await
        .expect("p");
    let q = s
        .create_finance_project(&a, hebei, &project("融资二"))
        .await
        .expect("p");
    let deal = |status: &str, amount, on: &str, reason: &str| DealInput {
        status: DealStatus::from_code(status).expect("status"),
        amount_fen: amount,
        invested_on: on.into(),
        reason: reason.into(),
    };
    s.set_deal(&a, fund, p, &deal("invested", 30_000_000, "2026-02-01", ""))
        .await
        .expect("deal");
    s.set_deal(&a, fund, q, &deal("declined", 0, "", "阶段太早"))
        .await
        .expect("deal");

    let t = s.totals("").await.expect("totals");
    assert_eq!(
        (
            t.scenarios_released,
            t.achievements_published,
            t.matches,
            t.meetings_held
        ),
        (2, 1, 2, 1)
    );
    assert_eq!(
        (
            t.challenges_awarded,
            t.services_delivered,
            t.achievements_served
        ),
        (1, 1, 1)
    );
    assert_eq!(
        (
            t.companies_rooted,
            t.projects_catalysed,
            t.project_investment_fen
        ),
        (1, 1, 50_000_000)
    );
    assert_eq!((t.fund_investments, t.fund_invested_fen), (1, 30_000_000));
    assert_eq!(t.money_invested_fen(), 80_000_000);
    // A year counts only what happened in it.
    let y = s.totals("2025").await.expect("2025");
    assert_eq!(
        (y.projects_catalysed, y.companies_rooted, y.fund_investments),
        (1, 0, 0)
    );
    assert_eq!(y.meetings_held, 0);
    let y = s.totals("2020").await.expect("2020");
    assert_eq!(y.meetings_held, 1, "the meeting's slot was in 2020");

    let g = |key: &str, count, amount| Group {
        key: key.into(),
        count,
        amount,
    };
    assert_eq!(
        s.breakdown("companies", "city", "").await.expect("b"),
        vec![g("hebei.tangshan", 1, 0)]
    );
    assert_eq!(
        s.breakdown("projects", "year", "").await.expect("b"),
        vec![g("2025", 1, 50_000_000)]
    );
    assert_eq!(
        s.breakdown("achievements", "source", "").await.expect("b"),
        vec![g("beijing", 1, 0)]
    );
    assert_eq!(
        s.breakdown("scenarios", "chain", "").await.expect("b"),
        vec![g("robotics", 2, 0)]
    );
    assert_eq!(
        s.breakdown("investments", "chain", "").await.expect("b"),
        vec![g("robotics", 1, 30_000_000)]
    );
    // Every breakdown the statistics page shows, against the records above.
    let now = chrono::Utc::now().format("%Y").to_string();
    let expected: Vec<(&str, &str, Vec<Group>)> = vec![
        ("scenarios", "year", vec![g(&now, 2, 0)]),
        ("achievements", "year", vec![g(&now, 1, 0)]),
        ("companies", "year", vec![g("2026", 1, 0)]),
        ("projects", "year", vec![g("2025", 1, 50_000_000)]),
        ("investments", "year", vec![g("2026", 1, 30_000_000)]),
        ("scenarios", "chain", vec![g("robotics", 2, 0)]),
        ("achievements", "chain", vec![g("robotics", 1, 0)]),
        ("companies", "chain", vec![g("robotics", 1, 0)]),
        ("projects", "chain", vec![g("robotics", 1, 50_000_000)]),
        ("investments", "chain", vec![g("robotics", 1, 30_000_000)]),
        ("companies", "city", vec![g("hebei.tangshan", 1, 0)]),
        ("projects", "city", vec![g("hebei.cangzhou", 1, 50_000_000)]),
        (
            "investments",
            "city",
            vec![g("hebei.tangshan", 1, 30_000_000)],
        ),
        ("scenarios", "source", vec![g("hebei", 2, 0)]),
        ("achievements", "source", vec![g("beijing", 1, 0)]),
        ("companies", "source", vec![g("beijing", 1, 0)]),
        ("projects", "source", vec![g("beijing", 1, 50_000_000)]),
    ];
    for (metric, dim, want) in expected {
        assert_eq!(
            s.breakdown(metric, dim, "").await.expect("breakdown"),
            want,
            "{metric} by {dim}"
        );
    }
    // A year narrows every breakdown to what happened in it.
    assert_eq!(
        s.breakdown("projects", "city", "2026").await.expect("b"),
        vec![]
    );
    assert_eq!(
        s.breakdown("investments", "chain", "2025")
            .await
            .expect("b"),
        vec![]
    );
    assert_eq!(
        s.breakdown("companies", "city", "2026").await.expect("b"),
        vec![g("hebei.tangshan", 1, 0)]
    );
}

#[tokio::test]
async fn a_record_created_without_a_key_gets_a_free_one_even_if_its_default_is_taken() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let o = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let first = s
        .create_scenario(&a, o, &scenario("s1", "第一条", "published"))
        .await
        .expect("s1");
    // Someone gives a record the key that the record after it, created without one, gets.
    let taken = format!("scn-{}", first + 2);
    s.create_scenario(&a, o, &scenario(&taken, "占用默认编号", "published"))
        .await
        .expect("taken key");
    let mut keyless = scenario("x", "无编号的场景", "published");
    keyless.key = None;
    let id = s
        .create_scenario(&a, o, &keyless)
        .await
        .expect("created, not 409");
    assert_eq!(id, first + 2);
    let row = s.scenario(id).await.expect("row");
    assert_eq!(row.key, Some(format!("{taken}-2")));
}

/// Assigning reviewers is one user action: the reviews and the challenge's move to its next
/// status are one transaction. A challenge that has moved on meanwhile gets neither.
#[tokio::test]
async fn an_assignment_and_its_status_change_are_one_transaction() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let hebei = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let expert = s
        .create_user(
            &a,
            &duijie_domain::Email::parse("email", "e@x.cn").expect("email"),
            "x",
            "专家",
            duijie_domain::Role::Expert,
            None,
        )
        .await
        .expect("user");
    let c = s
        .create_challenge(&a, hebei, &challenge_input(1))
        .await
        .expect("challenge");
    let application = s
        .apply(&a, c, hebei, &application_input("方案"))
        .await
        .expect("apply");
    let pairs = [(application, expert, 500)];
    let status = s.challenge(c).await.expect("challenge").status;
    // Told it was "closed" while it is not: a conflict, and no review stored.
    assert!(matches!(
        s.save_assignment(
            &a,
            c,
            0,
            &pairs,
            (ChallengeStatus::Closed, ChallengeStatus::Reviewing),
            &[]
        )
        .await,
        Err(StoreError::Conflict { field: "status" })
    ));
    assert!(s.reviews(c).await.expect("reviews").is_empty());
    assert_eq!(s.challenge(c).await.expect("challenge").status, status);
    // From its real status: both.
    let told = crate::notice::NoticeInput {
        to: crate::notice::Recipient::User(expert),
        kind: duijie_domain::docking::NoticeKind::ReviewAssigned,
        subject: "challenge",
        subject_id: c,
        title: "评审".into(),
        title_en: String::new(),
        reason: String::new(),
        actor_id: None,
    };
    s.save_assignment(
        &a,
        c,
        0,
        &pairs,
        (status, ChallengeStatus::Reviewing),
        std::slice::from_ref(&told),
    )
    .await
    .expect("assign");
    assert_eq!(s.reviews(c).await.expect("reviews").len(), 1);
    // The expert is told in the assignment's own transaction.
    let inbox = s.notices(None, expert, 10).await.expect("notices");
    assert!(inbox.iter().any(
        |n| n.kind == duijie_domain::docking::NoticeKind::ReviewAssigned && n.subject_id == c
    ));
    assert_eq!(
        s.challenge(c).await.expect("challenge").status,
        ChallengeStatus::Reviewing
    );
}

/// Migration 0007 moves the comma-separated id lists of a database made before it into the join
/// tables: valid ids kept, an id naming nothing (or not a number) dropped, the old columns gone.
#[tokio::test]
async fn legacy_id_lists_move_into_join_tables() {
    let (s, _d) = store_before_migration(7).await;
    let a = Audit::system("test");
    let lead = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let partner = s
        .create_organisation(&a, &org("o2", "北航"))
        .await
        .expect("org");
    let c = s
        .create_challenge(&a, lead, &challenge_input(1))
        .await
        .expect("challenge");
    let g = s
        .create_gathering(
            &a,
            &gathering_input(
                "2099-01-01",
                ["2099-01-02T09:00:00+08:00", "2099-01-02T10:00:00+08:00"],
            ),
        )
        .await
        .expect("gathering");
    let slots: Vec<i64> = s
        .gathering_slots(g)
        .await
        .expect("slots")
        .iter()
        .map(|x| x.id)
        .collect();
    let t = "2026-01-01T00:00:00Z";
    sqlx::query(
        "INSERT INTO application (challenge_id, org_id, partners, title, plan, milestones, budget_fen, \
         members, status, reason, funded_fen, created_at, updated_at) \
         VALUES ($1, $2, $3, '方案', '', '', 0, '', 'submitted', '', 0, $4, $4)",
    )
    .bind(c)
    .bind(lead)
    .bind(format!(" {partner}, 99999,abc,{partner}"))
    .bind(t)
    .execute(&s.pool)
    .await
    .expect("legacy application");
    sqlx::query(
        "INSERT INTO participant (gathering_id, org_id, name, title, email, side, unavailable, created_at) \
         VALUES ($1, $2, '李工', '', 'li@x.cn', 'demand', $3, $4)",
    )
    .bind(g)
    .bind(lead)
    .bind(format!("{},77777,", slots[1]))
    .bind(t)
    .execute(&s.pool)
    .await
    .expect("legacy participant");

    s.migrate().await.expect("migration 0007");
    let apps = s.applications(c).await.expect("applications");
    assert_eq!(apps[0].partners, vec![partner]);
    let people = s.participants(g).await.expect("participants");
    assert_eq!(people[0].unavailable, vec![slots[1]]);
    for (table, column) in [("application", "partners"), ("participant", "unavailable")] {
        let gone = sqlx::query(&format!("SELECT {column} FROM {table}"))
            .fetch_all(&s.pool)
            .await;
        assert!(gone.is_err(), "{table}.{column} is dropped");
    }
}

/// A fresh database with the migrations before number `upto` applied (a database made by an
/// older release).
async fn store_before_migration(upto: i64) -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = match std::env::var("DUIJIE_TEST_PG_URL") {
        Ok(admin) => Store::connect(&fresh_postgres(&admin).await)
            .await
            .expect("connect"),
        Err(_) => Store::open_sqlite(dir.path()).await.expect("open"),
    };
    let all = s.backend.migrator();
    let older = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(
            all.migrations
                .iter()
                .filter(|m| m.version < upto)
                .cloned()
                .collect(),
        ),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    };
    older.run(&s.pool).await.expect("older migrations");
    (s, dir)
}

/// A minimal "unveil the list" challenge needing `reviewers` reviewers per application.
fn challenge_input(reviewers: i64) -> crate::challenge::ChallengeInput {
    crate::challenge::ChallengeInput {
        title_zh: "榜单".into(),
        title_en: String::new(),
        problem: "问题".into(),
        targets: "指标".into(),
        deliverables: String::new(),
        chain: None,
        funding_fen: 0,
        deadline: "2026-01-01".into(),
        ip_terms: String::new(),
        confidential: String::new(),
        mode: duijie_domain::challenge::ChallengeMode::Unveil,
        criteria: String::new(),
        reviewers,
    }
}

/// A milestone round is one user action: every team's decision is stored, or none (here the
/// second names the first team again, a conflict on the round).
#[tokio::test]
async fn a_milestone_round_is_one_transaction() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let org = s
        .create_organisation(&a, &org("o1", "唐山港集团"))
        .await
        .expect("org");
    let c = s
        .create_challenge(&a, org, &challenge_input(1))
        .await
        .expect("challenge");
    let team = s
        .apply(&a, c, org, &application_input("方案"))
        .await
        .expect("apply");
    let twice = [
        (team, true, String::new(), 100),
        (team, false, "重复".to_string(), 0),
    ];
    assert!(s.milestone(&a, 1, &twice).await.is_err());
    assert!(s.milestones(c).await.expect("milestones").is_empty());
    let app = &s.applications(c).await.expect("applications")[0];
    assert_eq!(
        (app.funded_fen, app.status),
        (0, ApplicationStatus::Submitted)
    );
    s.milestone(&a, 1, &twice[..1]).await.expect("one decision");
    assert_eq!(s.milestones(c).await.expect("milestones").len(), 1);
}

/// An application with a title and nothing else.
fn application_input(title: &str) -> crate::challenge::ApplicationInput {
    crate::challenge::ApplicationInput {
        partners: Vec::new(),
        title: title.into(),
        plan: String::new(),
        milestones: String::new(),
        budget_fen: 0,
        members: String::new(),
    }
}

/// A gathering whose registration closes on `closes`, with two 20-minute slots of two tables.
fn gathering_input(closes: &str, slots: [&str; 2]) -> crate::gathering::GatheringInput {
    crate::gathering::GatheringInput {
        title_zh: "场景汇".into(),
        title_en: String::new(),
        venue: String::new(),
        rooms: String::new(),
        intro_zh: String::new(),
        intro_en: String::new(),
        registration_closes: closes.into(),
        slots: slots.iter().map(|t| (t.to_string(), 20, 2)).collect(),
        scenario_ids: Vec::new(),
    }
}

fn org_in(key: &str, name: &str, region: &str) -> OrgInput {
    OrgInput::parse(&OrgRaw {
        key: Some(key.into()),
        name_zh: Some(name.into()),
        kind: Some("enterprise".into()),
        region: Some(region.into()),
        ..Default::default()
    })
    .expect("valid org")
}

#[tokio::test]
async fn contract_statistics_count_registered_contracts_by_region_type_and_quarter() {
    use crate::contract::{ContractFilter, ContractGroup, ContractInput, FlowCell};
    use duijie_domain::contract::{ContractKind, ContractStatus};
    let yuan = |y: i64| y * 100;
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let bj = s
        .create_organisation(&a, &org_in("bj", "北京某研究院", "beijing"))
        .await
        .expect("bj");
    let tj = s
        .create_organisation(&a, &org_in("tj", "天津某大学", "tianjin"))
        .await
        .expect("tj");
    let ts = s
        .create_organisation(&a, &org_in("ts", "唐山港", "hebei.tangshan"))
        .await
        .expect("ts");
    let cz = s
        .create_organisation(&a, &org_in("cz", "沧州某厂", "hebei.cangzhou"))
        .await
        .expect("cz");
    let email = duijie_domain::Email::parse("email", "reg@example.cn").expect("email");
    let uid = s
        .create_user(
            &a,
            &email,
            "h",
            "登记员",
            duijie_domain::Role::Registrar,
            None,
        )
        .await
        .expect("user");
    let region = |o: i64| match o {
        x if x == bj => "beijing",
        x if x == tj => "tianjin",
        x if x == ts => "hebei.tangshan",
        _ => "hebei.cangzhou",
    };
    let c = |seller: i64, buyer: i64, kind: ContractKind, total: i64, tx: i64| ContractInput {
        title: "合同".into(),
        kind,
        seller_org_id: seller,
        buyer_org_id: buyer,
        seller_region: region(seller).into(),
        buyer_region: region(buyer).into(),
        total_fen: total,
        transaction_fen: tx,
        signed_on: "2025-01-05".into(),
        term_from: "2025-01-05".into(),
        term_to: "2026-01-05".into(),
        payments: Vec::new(),
        chain: Some("robotics".into()),
        docking_id: None,
        scenario_id: None,
        achievement_id: None,
        challenge_id: None,
        gathering_id: None,
        broker_user_id: None,
        note: String::new(),
    };
    use ContractKind::*;
    let ids = s
        .create_contracts(
            &a,
            uid,
            &[
                c(bj, ts, DevelopmentCooperative, yuan(100_000), yuan(80_000)),
                c(bj, ts, LicencePatent, yuan(50_000), yuan(50_000)),
                c(tj, cz, Service, yuan(30_000), yuan(10_000)),
                c(bj, tj, Consulting, yuan(20_000), yuan(20_000)),
                c(bj, cz, TransferPatent, yuan(7_000), yuan(7_000)),
                c(ts, bj, Service, yuan(1_000), yuan(1_000)),
            ],
            |_| Vec::new(),
        )
        .await
        .expect("contracts");
    let number = |p: &'static str| move |n: i64| format!("{p}{n:07}");
    // Registered: three in 2025 (Q1, Q1, Q4), two in 2026 (Q2); one refused; one pending.
    for (id, day) in [
        (ids[0], "2025-02-01"),
        (ids[1], "2025-03-31"),
        (ids[2], "2025-10-01"),
        (ids[3], "2026-04-01"),
        (ids[5], "2026-06-30"),
    ] {
        let prefix = if day.starts_with("2025") {
            "202511"
        } else {
            "202611"
        };
        s.register_contract(&a, uid, id, day, prefix, number(prefix), &[])
            .await
            .expect("register");
    }
    assert!(
        matches!(
            s.register_contract(
                &a,
                uid,
                ids[0],
                "2025-02-02",
                "202511",
                number("202511"),
                &[]
            )
            .await,
            Err(StoreError::Conflict { field: "status" })
        ),
        "a contract is registered once"
    );
    let refused = crate::notice::NoticeInput {
        to: crate::notice::Recipient::Org(bj),
        kind: duijie_domain::docking::NoticeKind::ContractRefused,
        subject: "contract",
        subject_id: ids[4],
        title: "合同 5".into(),
        title_en: "Contract 5".into(),
        reason: "非技术合同".into(),
        actor_id: Some(uid),
    };
    s.refuse_contract(
        &a,
        uid,
        ids[4],
        "非技术合同",
        std::slice::from_ref(&refused),
    )
    .await
    .expect("refuse");
    // The refusal's notice was written with it, for the seller's members; refusing again
    // changes nothing and tells nobody twice.
    assert!(s
        .refuse_contract(&a, uid, ids[4], "again", &[refused])
        .await
        .is_err());
    let told = s.notices(Some(bj), uid, 10).await.expect("notices");
    assert_eq!(told.len(), 1);
    assert_eq!(
        (told[0].subject_id, told[0].reason.as_str()),
        (ids[4], "非技术合同")
    );
    assert_eq!(s.unread_notices(Some(bj), uid).await.expect("unread"), 1);
    assert_eq!(
        s.unread_notices(Some(ts), uid + 1000).await.expect("none"),
        0
    );
    assert_eq!(s.mark_notices_read(Some(bj), uid).await.expect("read"), 1);
    assert_eq!(s.unread_notices(Some(bj), uid).await.expect("unread"), 0);
    let numbers: Vec<_> = s
        .contracts(&ContractFilter {
            status: Some(ContractStatus::Registered),
            ..Default::default()
        })
        .await
        .expect("list")
        .into_iter()
        .filter_map(|c| c.registration_no)
        .collect();
    assert_eq!(numbers.len(), 5);
    assert!(
        numbers.contains(&"2025110000003".to_string()),
        "{numbers:?}"
    );
    assert!(
        numbers.contains(&"2026110000002".to_string()),
        "{numbers:?}"
    );
    let cell = |s: &str, b: &str, count, total, tx| FlowCell {
        seller_region: s.into(),
        buyer_region: b.into(),
        count,
        total_fen: total,
        transaction_fen: tx,
    };
    assert_eq!(
        s.contract_flows("2025", 0).await.expect("flows"),
        vec![
            cell("beijing", "hebei.tangshan", 2, yuan(150_000), yuan(130_000)),
            cell("tianjin", "hebei.cangzhou", 1, yuan(30_000), yuan(10_000)),
        ]
    );
    assert_eq!(
        s.contract_flows("", 0).await.expect("all").len(),
        4,
        "the refused and the pending contract never count"
    );
    assert_eq!(
        s.contract_flows("2025", 1).await.expect("q1"),
        vec![cell(
            "beijing",
            "hebei.tangshan",
            2,
            yuan(150_000),
            yuan(130_000)
        )]
    );
    assert_eq!(
        s.contract_flows("2025", 4).await.expect("q4"),
        vec![cell(
            "tianjin",
            "hebei.cangzhou",
            1,
            yuan(30_000),
            yuan(10_000)
        )]
    );
    let group = |k: &str, count, total, tx| ContractGroup {
        key: k.into(),
        count,
        total_fen: total,
        transaction_fen: tx,
    };
    assert_eq!(
        s.contract_groups("kind", "2026", 0).await.expect("kind"),
        vec![
            group("consulting", 1, yuan(20_000), yuan(20_000)),
            group("service", 1, yuan(1_000), yuan(1_000))
        ]
    );
    assert_eq!(
        s.contract_groups("quarter", "", 0).await.expect("quarter"),
        vec![
            group("2025-Q1", 2, yuan(150_000), yuan(130_000)),
            group("2025-Q4", 1, yuan(30_000), yuan(10_000)),
            group("2026-Q2", 2, yuan(21_000), yuan(21_000)),
        ]
    );
    assert_eq!(
        s.contract_groups("chain", "", 0).await.expect("chain"),
        vec![group("robotics", 5, yuan(201_000), yuan(161_000))]
    );
    assert_eq!(
        s.docking_funnel("2025").await.expect("funnel"),
        (0, 0, 0, 0),
        "the funnel counts only contracts that came from a docking"
    );
    // The database itself refuses a transaction amount above the total.
    let mut bad = c(bj, ts, Service, 100, 101);
    bad.title = "坏".into();
    assert!(s
        .create_contract(&a, uid, &bad, |_| Vec::new())
        .await
        .is_err());
    assert_eq!(
        s.contracts(&ContractFilter::default())
            .await
            .expect("l")
            .len(),
        6
    );

    // The docking funnel: each step a subset of the one before, over the dockings requested.
    use crate::docking::DockingInput;
    use duijie_domain::docking::{DockingStage, DockingWant};
    let scn = |key: &'static str, org: i64| {
        let s = &s;
        let a = &a;
        async move {
            s.create_scenario(a, org, &scenario(key, "漏斗测试场景", "published"))
                .await
                .expect("scenario")
        }
    };
    let (s1, s2, s3) = (
        scn("f1", ts).await,
        scn("f2", bj).await,
        scn("f3", ts).await,
    );
    let dock = |from: i64, to: i64, about: i64| DockingInput {
        from_org_id: from,
        to_org_id: to,
        about_kind: "scenario",
        about_id: about,
        own: None,
        want: DockingWant::Licence,
        message: "漏斗".into(),
        broker_user_id: None,
    };
    let d1 = s
        .create_docking(&a, uid, &dock(bj, ts, s1), |_| Vec::new())
        .await
        .expect("d1");
    let _d2 = s
        .create_docking(&a, uid, &dock(ts, bj, s2), |_| Vec::new())
        .await
        .expect("d2");
    let d3 = s
        .create_docking(&a, uid, &dock(bj, ts, s3), |_| Vec::new())
        .await
        .expect("d3");
    use DockingStage::*;
    for (d, from, to) in [
        (d1, Requested, Negotiating),
        (d1, Negotiating, Signed),
        (d3, Requested, Negotiating),
        (d3, Negotiating, Terminated),
    ] {
        s.move_docking(&a, uid, d, from, to, "", &[])
            .await
            .expect("move");
    }
    let mut from_docking = c(bj, ts, DevelopmentCooperative, yuan(9_000), yuan(9_000));
    from_docking.docking_id = Some(d1);
    let cid = s
        .create_contract(&a, uid, &from_docking, |_| Vec::new())
        .await
        .expect("contract");
    assert_eq!(
        s.docking_funnel("").await.expect("funnel"),
        (3, 2, 1, 0),
        "requested 3; accepted 2 (one ended later); with a contract 1; registered none yet"
    );
    s.register_contract(&a, uid, cid, "2026-07-01", "202611", number("202611"), &[])
        .await
        .expect("register");
    assert_eq!(s.docking_funnel("").await.expect("funnel"), (3, 2, 1, 1));
}

/// Issue 24: an enterprise's profile and figures are kept as given (a fact not given stays
/// NULL), saving replaces the figures whole, the change is audited, and officers list the
/// enterprises of their region (a province holds its cities).
#[tokio::test]
async fn an_enterprise_profile_is_kept_whole_audited_and_listed_by_region() {
    use crate::policy::{FiguresRow, ProfileRow};
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let o = s
        .create_organisation(&a, &org("o1", "唐山机器人公司"))
        .await
        .expect("org");
    let mut beijing = org("o2", "北京某企业");
    beijing.region = duijie_domain::Region::parse("region", "beijing").expect("region");
    let b = s.create_organisation(&a, &beijing).await.expect("org");
    assert_eq!(s.enterprise_profile(o).await.expect("read"), (None, vec![]));
    let profile = ProfileRow {
        founded_on: Some("2019-04-01".into()),
        industry: Some("manufacturing".into()),
        hightech_field: Some(1),
        clean_record: None,
        ip_class1: Some(2),
        ip_class2: Some(0),
        ..ProfileRow::default()
    };
    let year = |y: i64, rnd: Option<i64>| FiguresRow {
        year: y,
        staff: Some(120),
        tech_staff: Some(30),
        revenue_fen: Some(80_000_000 * 100),
        rnd_fen: rnd,
        ..FiguresRow::default()
    };
    let years = vec![year(2024, Some(3_000_000 * 100)), year(2025, None)];
    s.save_enterprise_profile(&a, o, &profile, &years)
        .await
        .expect("save");
    assert_eq!(
        s.enterprise_profile(o).await.expect("read"),
        (Some(profile.clone()), years.clone())
    );
    // Saving again replaces the figures: a year left out is gone.
    s.save_enterprise_profile(&a, o, &profile, &years[1..])
        .await
        .expect("save again");
    assert_eq!(s.enterprise_profile(o).await.expect("read").1, years[1..]);
    let (log, total) = s
        .audit_log(Some(("enterprise_profile", o)), Page::new(None, None))
        .await
        .expect("log");
    assert_eq!(total, 2);
    assert!(log[0].detail.contains("manufacturing"), "{}", log[0].detail);
    // By region: Hebei holds the Tangshan firm, not the Beijing one.
    let hebei = s.enterprises(Some("hebei")).await.expect("list");
    assert_eq!(hebei.iter().map(|e| e.org_id).collect::<Vec<_>>(), [o]);
    assert_eq!(hebei[0].profile.as_ref(), Some(&profile));
    let all = s.enterprises(None).await.expect("list");
    assert_eq!(all.iter().map(|e| e.org_id).collect::<Vec<_>>(), [o, b]);
    assert!(all[1].profile.is_none() && all[1].years.is_empty());
}

/// Issue 24, innovation vouchers: approvals never go beyond the scheme's budget and uses never
/// beyond a voucher's balance, however many run at once; a service is paid by a voucher at most
/// once; a use goes claimed → redeemed → reconciled and no other way; the statistics count by
/// the enterprise's and the provider's province.
#[tokio::test]
async fn vouchers_keep_to_the_budget_and_the_balance_under_concurrent_writes() {
    use crate::pilot::{PlatformFields, RequestInput, ServiceInput};
    use crate::voucher::SchemeInput;
    use duijie_domain::voucher::{VoucherStatus, VoucherUseStatus};
    let (s, _d) = store().await;
    let a = Audit::system("test");
    let office = s
        .create_organisation(&a, &org("office", "河北省科技厅"))
        .await
        .expect("org");
    let scheme = s
        .create_scheme(
            &a,
            office,
            &SchemeInput {
                name_zh: "河北创新券".into(),
                name_en: "Hebei vouchers".into(),
                source: "测试通知".into(),
                budget_fen: 250_000 * 100,
                per_enterprise_fen: 100_000 * 100,
                share_pct: 50,
                service_kinds: "inspection".into(),
                provider_regions: "beijing,tianjin,hebei".into(),
                enterprise_regions: "hebei".into(),
                valid_from: "2026-01-01".into(),
                valid_until: "2026-12-31".into(),
            },
        )
        .await
        .expect("scheme");
    // Four enterprises apply; approving 100,000 yuan each at once: the 250,000 budget holds two.
    let mut vouchers = Vec::new();
    for i in 0..4 {
        let o = s
            .create_organisation(&a, &org(&format!("e{i}"), &format!("企业{i}")))
            .await
            .expect("org");
        vouchers.push((o, s.apply_voucher(&a, scheme, o).await.expect("apply")));
    }
    assert!(matches!(
        s.apply_voucher(&a, scheme, vouchers[0].0).await,
        Err(StoreError::Conflict { field: "org_id" })
    ));
    let approvals = vouchers.iter().map(|(_, v)| {
        let (s, a, v) = (s.clone(), a.clone(), *v);
        tokio::spawn(async move { s.decide_voucher(&a, v, Some(100_000 * 100), "").await })
    });
    let mut approved = Vec::new();
    for (t, (org, v)) in approvals.collect::<Vec<_>>().into_iter().zip(&vouchers) {
        match t.await.expect("task") {
            Ok(()) => approved.push((*org, *v)),
            Err(StoreError::Conflict { field: "budget" }) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(approved.len(), 2);
    assert_eq!(
        s.scheme(scheme).await.expect("scheme").committed_fen,
        200_000 * 100
    );
    let refused = vouchers
        .iter()
        .find(|(_, v)| !approved.iter().any(|(_, a)| a == v))
        .expect("one left")
        .1;
    assert_eq!(
        s.voucher(refused).await.expect("v").status,
        VoucherStatus::Applied,
        "an approval beyond the budget changes nothing"
    );
    // A provider's platform with a service, and eight requests of the first voucher's holder.
    let provider = s
        .create_organisation(&a, &org("provider", "检测中心"))
        .await
        .expect("org");
    let platform = s
        .create_platform(
            &a,
            provider,
            &PlatformFields {
                kind: duijie_domain::pipeline::PlatformKind::Pilot,
                name_zh: "检测平台".into(),
                region: "beijing".into(),
                chain: "robotics".into(),
                capacity: 10,
                ..Default::default()
            },
        )
        .await
        .expect("platform");
    let service = s
        .add_service(
            &a,
            platform,
            &ServiceInput {
                kind: duijie_domain::pipeline::ServiceKind::Inspection,
                name_zh: "检测".into(),
                name_en: String::new(),
                price_min_fen: 0,
                price_max_fen: 0,
                lead_days: 1,
            },
        )
        .await
        .expect("service");
    let (holder, voucher) = approved[0];
    let mut requests = Vec::new();
    for _ in 0..8 {
        let ask = RequestInput {
            service_id: service,
            achievement_id: None,
            days: 1,
            units: 1,
            wanted_from: "2026-03-01".into(),
            note: String::new(),
        };
        requests.push(s.request_service(&a, holder, &ask).await.expect("request"));
    }
    // Eight uses of 30,000 yuan at once on a balance of 100,000: three pass.
    let uses = requests.iter().map(|r| {
        let (s, a, r) = (s.clone(), a.clone(), *r);
        tokio::spawn(async move {
            s.use_voucher(&a, voucher, r, provider, 60_000 * 100, 30_000 * 100)
                .await
        })
    });
    let mut done = Vec::new();
    for t in uses.collect::<Vec<_>>() {
        match t.await.expect("task") {
            Ok(id) => done.push(id),
            Err(StoreError::Conflict { field: "balance" }) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(done.len(), 3);
    assert_eq!(
        s.voucher(voucher).await.expect("v").balance_fen,
        10_000 * 100
    );
    // What a voucher may still pay: the holder's requests no voucher (of any scheme) paid.
    let unpaid = s.requests_without_voucher(holder).await.expect("unpaid");
    assert_eq!(unpaid.len(), 5);
    for u in &done {
        let paid = s.voucher_use(*u).await.expect("use").service_request_id;
        assert!(unpaid.iter().all(|r| r.id != paid));
    }
    // The same service twice: refused, and the balance is as it was.
    let paid = s
        .voucher_use(done[0])
        .await
        .expect("use")
        .service_request_id;
    assert!(matches!(
        s.use_voucher(&a, voucher, paid, provider, 10_000 * 100, 5_000 * 100)
            .await,
        Err(StoreError::Conflict {
            field: "service_request_id"
        })
    ));
    assert_eq!(
        s.voucher(voucher).await.expect("v").balance_fen,
        10_000 * 100
    );
    // claimed → redeemed → reconciled, never backwards or skipping.
    let (c, r) = (VoucherUseStatus::Claimed, VoucherUseStatus::Redeemed);
    assert!(s
        .move_voucher_use(&a, done[0], r, VoucherUseStatus::Reconciled)
        .await
        .is_err());
    s.move_voucher_use(&a, done[0], c, r).await.expect("redeem");
    s.move_voucher_use(&a, done[0], r, VoucherUseStatus::Reconciled)
        .await
        .expect("reconcile");
    assert!(s.move_voucher_use(&a, done[0], c, r).await.is_err());
    s.move_voucher_use(&a, done[1], c, r).await.expect("redeem");
    let stats = s.voucher_stats(scheme).await.expect("stats");
    assert_eq!(
        stats,
        vec![crate::voucher::VoucherStat {
            enterprise_region: "hebei".into(),
            provider_region: "hebei".into(),
            uses: 3,
            used_fen: 90_000 * 100,
            redeemed_fen: 60_000 * 100,
            reconciled_fen: 30_000 * 100,
        }]
    );
}

/// A challenge for an organisation that does not exist is refused naming `org_id`, not a
/// database error (found by the API fuzz: an officer may name any organisation).
#[tokio::test]
async fn a_challenge_for_no_such_organisation_names_the_field() {
    let (s, _d) = store().await;
    let a = Audit::system("test");
    assert!(matches!(
        s.create_challenge(&a, -41, &challenge_input(1)).await,
        Err(StoreError::Unknown { field: "org_id" })
    ));
}
