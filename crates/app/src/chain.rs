//! Industrial chains: the links of a chain (upstream to downstream) and what is placed on them.

use duijie_domain::ChainPosition;
use duijie_store::chain::LinkInput;

use crate::service::field_err;
use crate::{App, AppError, Caller, FormData};

fn staff(ctx: &Caller) -> Result<(), AppError> {
    ctx.require_user()?;
    if ctx.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A link added to chain `code` (staff only).
pub async fn add_link(st: &App, ctx: &Caller, code: &str, form: &FormData) -> Result<(), AppError> {
    staff(ctx)?;
    duijie_domain::Chain::from_code(code).ok_or(AppError::NotFound)?;
    let l = LinkInput {
        chain: code.to_string(),
        parent_id: form.get("parent_id").and_then(|s| s.parse().ok()),
        position: form.one_of::<ChainPosition>("position")?,
        name_zh: form.text("name_zh", 100, true)?,
        name_en: form.text("name_en", 100, false)?,
        keywords: form.text("keywords", 500, false)?,
    };
    st.store.add_chain_link(&ctx.audit()?, &l).await?;
    Ok(())
}

/// An organisation, scenario or achievement placed on a link of chain `code` (staff only);
/// returns the link.
pub async fn place(st: &App, ctx: &Caller, code: &str, form: &FormData) -> Result<i64, AppError> {
    staff(ctx)?;
    let link: i64 = form
        .get("link_id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let l = st.store.chain_link(link).await?;
    if l.chain != code {
        return Err(AppError::NotFound);
    }
    let entity = form.get("entity").unwrap_or("");
    if !matches!(entity, "organisation" | "scenario" | "achievement") {
        return Err(field_err(
            "entity",
            "is not organisation, scenario or achievement",
            "须为机构、场景或成果",
        ));
    }
    let id: i64 = form
        .get("entity_id")
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| field_err("entity_id", "give the record's number", "请填写记录编号"))?;
    st.store.place(&ctx.audit()?, link, entity, id).await?;
    Ok(link)
}
