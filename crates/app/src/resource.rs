//! Scenarios and achievements behave alike on the web and in the API: listed, searched, read
//! (drafts and confidential fields only by those entitled), created, edited, deleted and shared.
//! `Resource` names what differs so that one set of handlers serves both.

use std::future::Future;

use duijie_domain::achievement::AchievementRaw;
use duijie_domain::scenario::ScenarioRaw;
use duijie_domain::{AchievementInput, Invalid, ScenarioInput, Status};
use duijie_search::DocKind;
use duijie_store::achievement::AchievementRow;
use duijie_store::listing::ListFilter;
use duijie_store::scenario::ScenarioRow;
use duijie_store::{Audit, Page, Store, StoreError};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::matching::Source;
use crate::views;

type Fut<'a, T> = std::pin::Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

pub trait Resource: Send + Sync + 'static {
    type Row: Send + Sync + 'static;
    type Raw: DeserializeOwned + Send + Sync;
    type Input: Send + Sync;

    /// Entity name in the audit log and access grants.
    const ENTITY: &'static str;
    /// URL path segment (`scenarios`) and template prefix (`scenario`).
    const PATH: &'static str;
    const TEMPLATE: &'static str;
    const DOC_KIND: DocKind;
    /// The kind of record this one is matched with.
    const MATCH_KIND: DocKind;

    fn parse(raw: &Self::Raw) -> Result<Self::Input, Invalid>;
    /// The status an input asks for.
    fn input_status(i: &Self::Input) -> Status;
    /// The deadline an input gives and the one a stored row has (`YYYY-MM-DD`), for records
    /// that have one.
    fn input_deadline(_: &Self::Input) -> Option<&str> {
        None
    }
    fn deadline(_: &Self::Row) -> Option<&str> {
        None
    }
    fn id(row: &Self::Row) -> i64;
    fn org_id(row: &Self::Row) -> i64;
    fn status(row: &Self::Row) -> duijie_domain::Status;
    fn view(lang: &str, row: &Self::Row, confidential: bool, can_edit: bool) -> Value;
    fn api(row: &Self::Row, confidential: bool) -> Value;
    fn source(row: &Self::Row) -> Source<'_>;

    fn get(s: &Store, id: i64) -> Fut<'_, Self::Row>;
    fn list<'a>(s: &'a Store, f: &'a ListFilter, p: Option<Page>)
        -> Fut<'a, (Vec<Self::Row>, i64)>;
    fn create<'a>(s: &'a Store, a: &'a Audit, org: i64, i: &'a Self::Input) -> Fut<'a, i64>;
    fn update<'a>(s: &'a Store, a: &'a Audit, id: i64, org: i64, i: &'a Self::Input)
        -> Fut<'a, ()>;
    fn delete<'a>(s: &'a Store, a: &'a Audit, id: i64) -> Fut<'a, ()>;
}

pub struct Scenarios;
pub struct Achievements;

impl Resource for Scenarios {
    type Row = ScenarioRow;
    type Raw = ScenarioRaw;
    type Input = ScenarioInput;
    const ENTITY: &'static str = "scenario";
    const PATH: &'static str = "scenarios";
    const TEMPLATE: &'static str = "scenario";
    const DOC_KIND: DocKind = DocKind::Scenario;
    const MATCH_KIND: DocKind = DocKind::Achievement;

    fn parse(raw: &ScenarioRaw) -> Result<ScenarioInput, Invalid> {
        ScenarioInput::parse(raw)
    }
    fn input_status(i: &ScenarioInput) -> Status {
        i.status
    }
    fn input_deadline(i: &ScenarioInput) -> Option<&str> {
        i.deadline.as_deref()
    }
    fn deadline(r: &ScenarioRow) -> Option<&str> {
        r.deadline.as_deref()
    }
    fn id(r: &ScenarioRow) -> i64 {
        r.id
    }
    fn org_id(r: &ScenarioRow) -> i64 {
        r.org_id
    }
    fn status(r: &ScenarioRow) -> duijie_domain::Status {
        r.status
    }
    fn view(lang: &str, r: &ScenarioRow, c: bool, e: bool) -> Value {
        views::scenario(lang, r, c, e)
    }
    fn api(r: &ScenarioRow, c: bool) -> Value {
        views::scenario_api(r, c)
    }
    fn source(r: &ScenarioRow) -> Source<'_> {
        Source::Scenario(r)
    }
    fn get(s: &Store, id: i64) -> Fut<'_, ScenarioRow> {
        Box::pin(s.scenario(id))
    }
    fn list<'a>(
        s: &'a Store,
        f: &'a ListFilter,
        p: Option<Page>,
    ) -> Fut<'a, (Vec<ScenarioRow>, i64)> {
        Box::pin(s.scenarios(f, p))
    }
    fn create<'a>(s: &'a Store, a: &'a Audit, org: i64, i: &'a ScenarioInput) -> Fut<'a, i64> {
        Box::pin(s.create_scenario(a, org, i))
    }
    fn update<'a>(
        s: &'a Store,
        a: &'a Audit,
        id: i64,
        org: i64,
        i: &'a ScenarioInput,
    ) -> Fut<'a, ()> {
        Box::pin(s.update_scenario(a, id, org, i))
    }
    fn delete<'a>(s: &'a Store, a: &'a Audit, id: i64) -> Fut<'a, ()> {
        Box::pin(s.delete_scenario(a, id))
    }
}

impl Resource for Achievements {
    type Row = AchievementRow;
    type Raw = AchievementRaw;
    type Input = AchievementInput;
    const ENTITY: &'static str = "achievement";
    const PATH: &'static str = "achievements";
    const TEMPLATE: &'static str = "achievement";
    const DOC_KIND: DocKind = DocKind::Achievement;
    const MATCH_KIND: DocKind = DocKind::Scenario;

    fn parse(raw: &AchievementRaw) -> Result<AchievementInput, Invalid> {
        AchievementInput::parse(raw)
    }
    fn input_status(i: &AchievementInput) -> Status {
        i.status
    }
    fn id(r: &AchievementRow) -> i64 {
        r.id
    }
    fn org_id(r: &AchievementRow) -> i64 {
        r.org_id
    }
    fn status(r: &AchievementRow) -> duijie_domain::Status {
        r.status
    }
    fn view(lang: &str, r: &AchievementRow, c: bool, e: bool) -> Value {
        views::achievement(lang, r, c, e)
    }
    fn api(r: &AchievementRow, c: bool) -> Value {
        views::achievement_api(r, c)
    }
    fn source(r: &AchievementRow) -> Source<'_> {
        Source::Achievement(r)
    }
    fn get(s: &Store, id: i64) -> Fut<'_, AchievementRow> {
        Box::pin(s.achievement(id))
    }
    fn list<'a>(
        s: &'a Store,
        f: &'a ListFilter,
        p: Option<Page>,
    ) -> Fut<'a, (Vec<AchievementRow>, i64)> {
        Box::pin(s.achievements(f, p))
    }
    fn create<'a>(s: &'a Store, a: &'a Audit, org: i64, i: &'a AchievementInput) -> Fut<'a, i64> {
        Box::pin(s.create_achievement(a, org, i))
    }
    fn update<'a>(
        s: &'a Store,
        a: &'a Audit,
        id: i64,
        org: i64,
        i: &'a AchievementInput,
    ) -> Fut<'a, ()> {
        Box::pin(s.update_achievement(a, id, org, i))
    }
    fn delete<'a>(s: &'a Store, a: &'a Audit, id: i64) -> Fut<'a, ()> {
        Box::pin(s.delete_achievement(a, id))
    }
}
