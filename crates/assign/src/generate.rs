//! Reproducible review-assignment instances for tests and benchmarks: every application has a
//! number of candidate experts with affinities (topic overlap plus noise) and a couple of
//! declared conflicts; experts have a maximum load that leaves some slack.

use crate::wire::{Application, Expert, Input};

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub applications: usize,
    pub experts: usize,
    pub reviewers: u32,
    pub candidates: usize,
    pub max_load: u32,
    pub seed: u64,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const TOPICS: usize = 12;

pub fn generate(spec: &Spec) -> Input {
    let mut rng = Rng(spec.seed.max(1));
    let topic = |rng: &mut Rng| -> Vec<f64> {
        let v: Vec<f64> = (0..TOPICS).map(|_| rng.unit().powi(3)).collect();
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-9);
        v.into_iter().map(|x| x / norm).collect()
    };
    let experts: Vec<Vec<f64>> = (0..spec.experts).map(|_| topic(&mut rng)).collect();
    let mut input = Input {
        applications: (0..spec.applications)
            .map(|i| Application {
                id: format!("a{}", i + 1),
                reviewers: spec.reviewers,
            })
            .collect(),
        experts: (0..spec.experts)
            .map(|i| Expert {
                id: format!("e{}", i + 1),
                max_load: spec.max_load,
                min_load: 0,
            })
            .collect(),
        ..Input::default()
    };
    let mut picked = vec![usize::MAX; spec.experts];
    for a in 0..spec.applications {
        let t = topic(&mut rng);
        let mut chosen = 0;
        let mut tries = 0;
        while chosen < spec.candidates.min(spec.experts) && tries < spec.candidates * 20 {
            tries += 1;
            let e = rng.below(spec.experts);
            if picked[e] == a {
                continue;
            }
            picked[e] = a;
            chosen += 1;
            let (ai, ei) = (format!("a{}", a + 1), format!("e{}", e + 1));
            if chosen <= 2 {
                // Colleagues and co-authors: declared conflicts.
                input.conflicts.push((ai, ei));
                continue;
            }
            let cosine: f64 = t.iter().zip(&experts[e]).map(|(x, y)| x * y).sum();
            let score = (0.8 * cosine + 0.2 * rng.unit()).clamp(0.0, 1.0);
            input.scores.push((ai, ei, (score * 1e4).round() / 1e4));
        }
    }
    input
}
