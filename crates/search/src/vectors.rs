//! Dense text vectors (sentence embeddings) of the indexed records, searched exactly by cosine
//! similarity. Like the inverted index they are derived data: each vector remembers a hash of
//! the text it was computed from, so after a restart only changed records are embedded again.
//!
//! Exact search is a scan: at the platform's scale (thousands to tens of thousands of records,
//! 384 dimensions) one query costs well under a millisecond per ten thousand records.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use crate::{DocKind, Hit};

/// What went wrong reading or writing the vector file.
#[derive(Debug, thiserror::Error)]
pub enum VectorsError {
    #[error("vector file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("vector file {path} is damaged or of another layout")]
    Layout { path: String },
}

const MAGIC: &[u8; 8] = b"DJVEC001";

struct Entry {
    text_hash: u64,
    vector: Vec<f32>,
}

/// Unit-length vectors by record, all of one dimension.
#[derive(Default)]
pub struct VectorSet {
    dim: usize,
    entries: HashMap<(DocKind, i64), Entry>,
}

impl VectorSet {
    pub fn new(dim: usize) -> VectorSet {
        VectorSet {
            dim,
            entries: HashMap::new(),
        }
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the stored vector of a record was computed from text with this hash.
    pub fn is_current(&self, kind: DocKind, id: i64, text_hash: u64) -> bool {
        self.entries
            .get(&(kind, id))
            .is_some_and(|e| e.text_hash == text_hash)
    }

    /// Store a vector (normalised to unit length here; a zero vector is not stored).
    pub fn insert(&mut self, kind: DocKind, id: i64, text_hash: u64, mut vector: Vec<f32>) {
        if vector.len() != self.dim {
            return;
        }
        let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm == 0.0 || !norm.is_finite() {
            self.entries.remove(&(kind, id));
            return;
        }
        for x in &mut vector {
            *x /= norm;
        }
        self.entries.insert((kind, id), Entry { text_hash, vector });
    }

    pub fn remove(&mut self, kind: DocKind, id: i64) {
        self.entries.remove(&(kind, id));
    }

    /// Keep only the records `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(DocKind, i64) -> bool) {
        self.entries.retain(|&(k, id), _| keep(k, id));
    }

    pub fn get(&self, kind: DocKind, id: i64) -> Option<&[f32]> {
        self.entries.get(&(kind, id)).map(|e| e.vector.as_slice())
    }

    /// Number of records of one kind.
    pub fn count(&self, kind: DocKind) -> usize {
        self.entries.keys().filter(|(k, _)| *k == kind).count()
    }

    /// Cosines of every pair between (at most `each`) records of kind `a` and of kind `b`,
    /// the records taken in id order at an even stride: a sample of what a typical pair of
    /// the two kinds looks like. A pair of one record with itself is left out.
    pub fn pair_sample(&self, a: DocKind, b: DocKind, each: usize) -> Vec<f32> {
        let pick = |kind: DocKind| -> Vec<(i64, &[f32])> {
            let mut v: Vec<(i64, &[f32])> = self
                .entries
                .iter()
                .filter(|((k, _), _)| *k == kind)
                .map(|(&(_, id), e)| (id, e.vector.as_slice()))
                .collect();
            v.sort_by_key(|(id, _)| *id);
            let stride = v.len().div_ceil(each.max(1)).max(1);
            v.into_iter().step_by(stride).collect()
        };
        let (xs, ys) = (pick(a), pick(b));
        let mut out = Vec::with_capacity(xs.len() * ys.len());
        for (i, x) in &xs {
            for (j, y) in &ys {
                if a == b && i == j {
                    continue;
                }
                out.push(dot(x, y));
            }
        }
        out
    }

    /// Cosine similarity of `query` with a stored record.
    pub fn similarity(&self, query: &[f32], kind: DocKind, id: i64) -> Option<f32> {
        self.get(kind, id).map(|v| dot(query, v) / norm(query))
    }

    /// The `limit` records of `kind` (or any) most similar to `query`, best first.
    pub fn nearest(&self, query: &[f32], kind: Option<DocKind>, limit: usize) -> Vec<Hit> {
        if query.len() != self.dim || limit == 0 {
            return Vec::new();
        }
        let qn = norm(query);
        if qn == 0.0 {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .filter(|((k, _), _)| kind.is_none_or(|want| *k == want))
            .map(|(&(kind, id), e)| Hit {
                kind,
                id,
                score: dot(query, &e.vector) / qn,
            })
            .collect();
        let by_score = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id));
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, by_score);
            hits.truncate(limit);
        }
        hits.sort_by(by_score);
        hits
    }

    /// Write all vectors to `path` (through a temporary file, so a crash leaves the old one).
    pub fn save(&self, path: &Path) -> Result<(), VectorsError> {
        let io = |source| VectorsError::Io {
            path: path.display().to_string(),
            source,
        };
        let tmp = path.with_extension("tmp");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
        out.write_all(MAGIC).map_err(io)?;
        out.write_all(&(self.dim as u32).to_le_bytes())
            .map_err(io)?;
        out.write_all(&(self.entries.len() as u64).to_le_bytes())
            .map_err(io)?;
        for (&(kind, id), e) in &self.entries {
            out.write_all(&[kind as u8]).map_err(io)?;
            out.write_all(&id.to_le_bytes()).map_err(io)?;
            out.write_all(&e.text_hash.to_le_bytes()).map_err(io)?;
            for x in &e.vector {
                out.write_all(&x.to_le_bytes()).map_err(io)?;
            }
        }
        out.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Read vectors written by `save`. A missing file is an empty set; a file of another
    /// dimension is an error (the caller discards it and embeds again).
    pub fn load(path: &Path, dim: usize) -> Result<VectorSet, VectorsError> {
        let layout = || VectorsError::Layout {
            path: path.display().to_string(),
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(VectorSet::new(dim)),
            Err(source) => {
                return Err(VectorsError::Io {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        let mut r = bytes.as_slice();
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic).map_err(|_| layout())?;
        if &magic != MAGIC || read_u32(&mut r).ok_or_else(layout)? as usize != dim {
            return Err(layout());
        }
        let n = read_u64(&mut r).ok_or_else(layout)?;
        let mut set = VectorSet::new(dim);
        for _ in 0..n {
            let mut k = [0u8; 1];
            r.read_exact(&mut k).map_err(|_| layout())?;
            let kind = match k[0] {
                0 => DocKind::Scenario,
                1 => DocKind::Achievement,
                _ => return Err(layout()),
            };
            let id = read_u64(&mut r).ok_or_else(layout)? as i64;
            let text_hash = read_u64(&mut r).ok_or_else(layout)?;
            let mut vector = Vec::with_capacity(dim);
            for _ in 0..dim {
                vector.push(f32::from_bits(read_u32(&mut r).ok_or_else(layout)?));
            }
            set.entries.insert((kind, id), Entry { text_hash, vector });
        }
        if !r.is_empty() {
            return Err(layout());
        }
        Ok(set)
    }
}

fn read_u32(r: &mut &[u8]) -> Option<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b).ok()?;
    Some(u32::from_le_bytes(b))
}

fn read_u64(r: &mut &[u8]) -> Option<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).ok()?;
    Some(u64::from_le_bytes(b))
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f32]) -> f32 {
    dot(a, a).sqrt()
}

/// A stable 64-bit hash of a text (FNV-1a), to tell whether a stored vector is still current.
pub fn text_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
