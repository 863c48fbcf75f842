//! Time spent per stage of a build, for `--timings` and the benchmark.

/// Time spent per stage, summed over reports.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

impl Timings {
    pub fn add(&mut self, stage: &'static str, d: std::time::Duration) {
        match self.stages.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, t)) => *t += d,
            None => self.stages.push((stage, d)),
        }
    }

    /// Run `f` and book its time under `stage`.
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        self.add(stage, start.elapsed());
        out
    }

    pub fn get(&self, stage: &str) -> std::time::Duration {
        self.stages.iter().find(|(s, _)| *s == stage).map_or(Default::default(), |(_, d)| *d)
    }
}

