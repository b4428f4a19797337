//! `duijie serve`: the start-up order (database writable, data folder writable, demo data in an
//! empty database, the search index opened and caught up or rebuilt, embeddings synced in the
//! background, the follower started, stop signals armed) and the clean stop.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use duijie_search::{Opened, SearchIndex};
use duijie_store::Store;
use duijie_web::AppState;

/// What `serve` was asked for besides its address.
pub struct Options {
    pub no_demo: bool,
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    pub index_poll_ms: u64,
    pub model_dir: PathBuf,
    pub data_dir: PathBuf,
    /// Where notices are mailed, if anywhere.
    pub mailer: Option<duijie_app::mail::Mailer>,
}

/// Serve on `listener` (already bound: a wrong address is found before any data is touched)
/// until SIGINT or SIGTERM.
pub async fn run(store: &Store, listener: tokio::net::TcpListener, o: &Options) -> Result<()> {
    // A read-only database or data folder is found now, not at the first sign-in.
    store
        .check_writable()
        .await
        .context("the database does not take writes")?;
    check_folder_writable(&o.data_dir)?;
    if !o.no_demo
        && store
            .organisations(&Default::default(), duijie_store::Page::new(None, Some(1)))
            .await?
            .1
            == 0
    {
        crate::demo::load(store)
            .await
            .context("loading the demo data")?;
    }
    let index_dir = o.data_dir.join("index");
    let mut own_folder = true;
    let (index, opened) = match SearchIndex::open(&index_dir) {
        Ok(found) => found,
        Err(e) => {
            // Another server on this machine holds the folder (several app servers
            // on one data folder): this one keeps its index in memory.
            tracing::warn!(error = %e, "search index folder busy; indexing in memory");
            own_folder = false;
            (SearchIndex::in_memory()?, Opened::Created)
        }
    };
    let index = Arc::new(index);
    let semantic = load_semantic(&o.model_dir, own_folder.then_some(index_dir.as_path()));
    let caught = match opened {
        Opened::Existing => duijie_app::catch_up_index(store, &index)
            .await
            .map_err(anyhow::Error::msg)
            .context("bringing the search index up to date")?,
        Opened::Created => None,
    };
    match caught {
        Some(n) => {
            tracing::info!(refreshed = n, records = index.len(), "search index opened")
        }
        None => {
            let n = duijie_app::rebuild_index(store, &index)
                .await
                .map_err(anyhow::Error::msg)
                .context("building the search index")?;
            tracing::info!(records = n, "search index built");
        }
    }
    if let Some(s) = &semantic {
        // Embed what is new or changed in the background; matching uses the vectors
        // as they arrive.
        let (store, s) = (store.clone(), s.clone());
        tokio::spawn(async move {
            match duijie_app::indexer_docs(&store).await {
                Ok(docs) => {
                    let total = docs.len();
                    tracing::info!(
                        records = total,
                        "embedding new and changed records in the background"
                    );
                    let done = tokio::task::spawn_blocking(move || {
                        let mut said = 0;
                        s.sync(&docs, |n| {
                            if n >= said + 50 {
                                said = n;
                                tracing::info!(done = n, of = total, "embedding");
                            }
                        })
                    })
                    .await;
                    match done {
                        Ok(Ok(n)) => tracing::info!(embedded = n, "vectors up to date"),
                        Ok(Err(e)) => tracing::warn!(error = %e, "embedding failed"),
                        Err(e) => tracing::warn!(error = %e, "embedding task failed"),
                    }
                }
                Err(e) => tracing::warn!(error = %e, "reading records to embed failed"),
            }
        });
    }
    let mark = match index.mark() {
        Some(m) => m,
        None => store.last_audit_id().await?,
    };
    let every = std::time::Duration::from_millis(o.index_poll_ms.max(50));
    tokio::spawn(duijie_app::follow_index(
        store.clone(),
        index.clone(),
        semantic.clone(),
        mark,
        every,
    ));
    let addr = listener.local_addr()?;
    let stop = duijie_web::StopSignals::listen().context("listening for signals")?;
    // Tests and scripts read this line to find the port when binding to port 0.
    println!("duijie listening on http://{addr}");
    let state = AppState::new(store.clone(), index, o.secure_cookies)
        .with_semantic(semantic)
        .with_forwarded_for(o.trust_forwarded_for)
        .with_mailer(o.mailer.clone());
    duijie_web::serve(listener, state, Some(stop)).await?;
    println!("duijie stopped: every request in flight finished");
    Ok(())
}

/// The data folder (which holds the search index) takes new files: one is written and removed.
pub fn check_folder_writable(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .and_then(|()| {
            let probe = dir.join(".duijie-write-check");
            std::fs::write(&probe, b"")?;
            std::fs::remove_file(&probe)
        })
        .with_context(|| format!("the data folder {} is not writable", dir.display()))
}

/// The embedding model with its stored vectors, if the model is installed.
pub fn load_semantic(
    model_dir: &std::path::Path,
    index_dir: Option<&std::path::Path>,
) -> Option<Arc<duijie_app::Semantic>> {
    match duijie_embed::Embedder::load(model_dir) {
        Ok(m) => {
            tracing::info!(model = m.name(), "semantic matching on");
            Some(Arc::new(duijie_app::Semantic::new(
                m,
                index_dir.map(|d| d.join("vectors.bin")),
            )))
        }
        Err(e) => {
            tracing::info!(reason = %e, "semantic matching off (lexical and structured only)");
            None
        }
    }
}
