//! Templates (minijinja, embedded in the binary, HTML auto-escaped) and the helpers they call:
//! `tr(zh, en)` picks the text for the page's language.

use axum::response::Html;
use minijinja::{context, Environment, State, Value};

use crate::ctx::Ctx;
use crate::error::{AppError, PageError};
use crate::views;
use crate::AppState;

macro_rules! embed {
    ($env:ident, $($name:literal),* $(,)?) => {
        $( $env.add_template($name, include_str!(concat!("../templates/", $name))).expect(concat!("template ", $name, " parses")); )*
    };
}

/// The template environment with every page loaded.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    embed!(
        env,
        "base.html",
        "macros.html",
        "home.html",
        "scenario_list.html",
        "scenario_detail.html",
        "scenario_form.html",
        "achievement_list.html",
        "achievement_detail.html",
        "achievement_form.html",
        "org_list.html",
        "org_detail.html",
        "org_form.html",
        "search.html",
        "login.html",
        "register.html",
        "account.html",
        "audit.html",
        "users.html",
        "match.html",
        "match_section.html",
        "reference.html",
        "inbox.html",
        "workbench.html",
        "error.html",
        "challenge_list.html",
        "challenge_status.html",
        "challenge_form.html",
        "challenge_detail.html",
        "experts.html",
        "gathering_list.html",
        "gathering_status.html",
        "gathering_form.html",
        "gathering_detail.html",
        "gathering_grid.html",
        "gathering_agenda.html",
        "rnd_home.html",
        "rnd_policies.html",
        "rnd_reviews.html",
        "rnd_year.html",
        "rnd_project_form.html",
        "rnd_project.html",
        "rnd_ledger.html",
        "platform_list.html",
        "platform_form.html",
        "platform_detail.html",
        "case_list.html",
        "case_detail.html",
        "fund_list.html",
        "policy_profile.html",
        "policy_gap.html",
        "voucher_list.html",
        "voucher_detail.html",
        "fund_detail.html",
        "finance_project.html",
        "chain_list.html",
        "chain_detail.html",
        "outcomes.html",
        "docking_list.html",
        "docking_detail.html",
        "docking_introduce.html",
        "broker_list.html",
        "broker_detail.html",
        "contract_list.html",
        "contract_form.html",
        "contract_detail.html",
    );
    env.add_function("tr", |state: &State, zh: String, en: String| -> String {
        if state
            .lookup("lang")
            .is_some_and(|l| l.as_str() == Some("en"))
        {
            en
        } else {
            zh
        }
    });
    // Whether a comma-separated list of codes (a multi-valued form field) contains `code`.
    env.add_function("has_code", |list: Option<String>, code: String| -> bool {
        list.unwrap_or_default()
            .split(',')
            .any(|c| c.trim() == code)
    });
    // Labels of coded values in the page's language; comma-separated lists are labelled item
    // by item; unknown codes are shown as they are.
    fn lang_of(state: &State) -> &'static str {
        if state
            .lookup("lang")
            .is_some_and(|l| l.as_str() == Some("en"))
        {
            "en"
        } else {
            "zh"
        }
    }
    env.add_filter("region_label", |state: &State, code: String| -> String {
        let sep = if lang_of(state) == "en" { ", " } else { "、" };
        code.split(',')
            .filter(|c| !c.trim().is_empty())
            .map(|c| match (c.trim(), lang_of(state)) {
                // A province as a whole, as funds and outcomes name it.
                ("hebei", "en") => "Hebei".to_string(),
                ("hebei", _) => "河北".to_string(),
                (c, lang) => views::region_label(lang, c),
            })
            .collect::<Vec<_>>()
            .join(sep)
    });
    env.add_filter("chain_label", |state: &State, code: String| -> String {
        let sep = if lang_of(state) == "en" { ", " } else { "、" };
        code.split(',')
            .filter(|c| !c.trim().is_empty())
            .map(|c| views::chain_label(lang_of(state), c.trim()))
            .collect::<Vec<_>>()
            .join(sep)
    });
    env.add_filter("stage_label", |state: &State, code: String| -> String {
        let lang = lang_of(state);
        code.split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                duijie_domain::pipeline::FundStage::from_code(c)
                    .map_or_else(|| c.to_string(), |s| s.label().get(lang).to_string())
            })
            .collect::<Vec<_>>()
            .join(if lang == "en" { ", " } else { "、" })
    });
    // Fen as 万元 (10,000 yuan) text: 1 500 000 fen → "1.5".
    env.add_filter("wan", |fen: i64| -> String {
        duijie_domain::Money::from_fen(fen).wan_text()
    });
    // Fen as an amount in the reader's language: "1,500 万元" in Chinese, "CNY 15 million" in
    // English (the unit 万 has no English word).
    env.add_filter("money", |state: &minijinja::State, fen: i64| -> String {
        let en = state
            .lookup("lang")
            .is_some_and(|l| l.as_str() == Some("en"));
        money_in(fen, en)
    });
    // Fen as yuan with thousands separators and two decimals: "1,200,000.50".
    env.add_filter("yuan", |fen: i64| -> String {
        duijie_domain::Money::from_fen(fen).yuan_text()
    });
    // Fen as 万元 with thousands separators, at most two decimals: "7,487,000.5".
    env.add_filter("wan_sep", |fen: i64| -> String {
        duijie_domain::Money::from_fen(fen).wan_grouped()
    });
    // A decimal amount as text ("3225214.29") with thousands separators: "3,225,214.29".
    // Anything that is not a plain decimal is shown as it is.
    env.add_filter("amount", |v: minijinja::Value| -> String {
        group_decimal(&v.to_string())
    });
    // A rate as a decimal ("0.75", "1.00") shown as a percentage: "75%", "100%".
    env.add_filter("percent", |v: minijinja::Value| -> String {
        let text = v.to_string();
        match text.parse::<rust_decimal::Decimal>() {
            Ok(d) => format!("{}%", (d * rust_decimal::Decimal::ONE_HUNDRED).normalize()),
            Err(_) => text,
        }
    });
    // A stored UTC instant in Beijing time, to the minute.
    env.add_filter("beijing", |at: Option<String>| -> String {
        at.map(|a| duijie_domain::clock::beijing_minutes(&a))
            .unwrap_or_default()
    });
    // Text with `code spans` (the API document's summaries): escaped, the spans as <code>.
    env.add_filter("ticks", |text: String| -> Value {
        let escaped = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        let pairs = escaped.matches('`').count() / 2;
        let mut out = String::with_capacity(escaped.len() + 16);
        for (i, part) in escaped.split('`').enumerate() {
            if i % 2 == 1 && i.div_ceil(2) <= pairs {
                // Inside a pair of backticks.
                out.push_str("<code>");
                out.push_str(part);
                out.push_str("</code>");
            } else {
                // Text; after an unpaired backtick, the backtick too.
                if i > 0 && i % 2 == 1 {
                    out.push('`');
                }
                out.push_str(part);
            }
        }
        Value::from_safe_string(out)
    });
    env.add_global("vocab", Value::from_serialize(views::vocabulary()));
    env
}

/// Render `name` with the request's common context (language, user, CSRF token, path) and `extra`.
/// "-1234567.8" → "-1,234,567.8"; text that is not a plain decimal comes back unchanged.
fn group_decimal(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let plain = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
    if !plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

pub fn render(
    st: &AppState,
    ctx: &Ctx,
    path: &str,
    name: &str,
    extra: Value,
) -> Result<Html<String>, PageError> {
    let tmpl = st
        .templates
        .get_template(name)
        .map_err(|e| page_err(ctx, e))?;
    let role = ctx.role().map(|r| r.code());
    let base = context! {
        lang => ctx.lang,
        user => ctx.user,
        role => role,
        is_staff => ctx.is_staff(),
        is_admin => role == Some("admin"),
        csrf => ctx.csrf,
        path => path,
        unread => ctx.unread,
        dockings => ctx.dockings,
        flash => ctx.flash,
    };
    tmpl.render(context! { ..base, ..extra })
        .map(Html)
        .map_err(|e| page_err(ctx, e))
}

/// A record's match list as HTML (`match_section.html`), rendered once per change and kept in
/// `fragments`; the page pastes it in as it is.
pub fn match_section(
    st: &AppState,
    ctx: &Ctx,
    target: &'static str,
    id: i64,
    broker: bool,
    matches: &std::sync::Arc<Vec<duijie_app::matching::Match>>,
    verified: &std::sync::Arc<Vec<i64>>,
) -> Result<Value, PageError> {
    let key = crate::fragments::Key {
        target,
        id,
        lang: ctx.lang,
        broker,
    };
    let semantic = st.semantic.is_some();
    if let Some(html) = st.fragments.get(&key, matches, verified, semantic) {
        return Ok(Value::from_safe_string(html.to_string()));
    }
    let html: std::sync::Arc<str> = st
        .templates
        .get_template("match_section.html")
        .and_then(|t| {
            t.render(context! {
                lang => ctx.lang,
                matches => matches.as_ref(),
                target => target,
                semantic => semantic,
                broker_from => broker.then_some(id),
                verified_orgs => verified.as_ref(),
            })
        })
        .map_err(|e| page_err(ctx, e))?
        .into();
    st.fragments.put(
        key,
        matches.clone(),
        verified.clone(),
        semantic,
        html.clone(),
    );
    Ok(Value::from_safe_string(html.to_string()))
}

/// An amount of `fen` as people write it: 万元 with separators in Chinese; in English yuan, in
/// millions from a million on.
pub fn money_in(fen: i64, en: bool) -> String {
    let m = duijie_domain::Money::from_fen(fen);
    if en {
        m.english_text()
    } else {
        format!("{} 万元", m.wan_grouped())
    }
}

fn page_err(ctx: &Ctx, e: minijinja::Error) -> PageError {
    PageError {
        err: AppError::Internal(format!("template: {e:#}")),
        lang: ctx.lang,
    }
}

#[cfg(test)]
mod format_tests {
    #[test]
    fn decimals_are_grouped_by_thousands() {
        use super::group_decimal as g;
        assert_eq!(g("3225214.29"), "3,225,214.29");
        assert_eq!(g("-1000"), "-1,000");
        assert_eq!(g("999.5"), "999.5");
        assert_eq!(g("0.00"), "0.00");
        assert_eq!(g("abc"), "abc");
        assert_eq!(g("12a4"), "12a4");
    }
}

#[cfg(test)]
mod ticks_tests {
    #[test]
    fn code_spans_become_code_and_the_rest_is_escaped() {
        let env = super::environment();
        let out = env
            .render_str(
                "{{ t|ticks }}",
                minijinja::context! { t => "a `b<c>` & `d" },
            )
            .expect("render");
        assert_eq!(out, "a <code>b&lt;c&gt;</code> &amp; `d");
    }
}

#[cfg(test)]
mod money_tests {
    #[test]
    fn amounts_read_in_each_language() {
        assert_eq!(super::money_in(15_000_000_000, false), "15,000 万元");
        assert_eq!(super::money_in(15_000_000_000, true), "CNY 150 million");
        assert_eq!(super::money_in(250_000_000, true), "CNY 2.5 million");
        assert_eq!(super::money_in(50_000_000, true), "CNY 500,000");
    }
}
