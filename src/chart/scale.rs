//! Axis scales with "nice" ticks.

/// A linear or log scale from data space to pixels.
#[derive(Debug, Clone)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
    pub log: bool,
    pub ticks: Vec<f64>,
}

fn nice_step(raw: f64) -> f64 {
    let exp = raw.abs().log10().floor();
    let base = 10f64.powf(exp);
    let f = raw / base;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * base
}

/// Ordered bounds; a single value widens to a range around it.
fn widen(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if (hi - lo).abs() >= f64::EPSILON {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        (lo - lo.abs() * 0.5, hi + hi.abs() * 0.5)
    }
}

impl Scale {
    /// Nice linear ticks covering [lo, hi], about `target` of them.
    pub fn linear(lo: f64, hi: f64, target: usize) -> Scale {
        let (lo, hi) = widen(lo, hi);
        let step = nice_step((hi - lo) / target.max(2) as f64);
        let start = (lo / step).floor() * step;
        let end = (hi / step).ceil() * step;
        let n = ((end - start) / step).round() as usize;
        let ticks = (0..=n).map(|i| clean(start + i as f64 * step, step)).collect();
        Scale { min: start, max: end, log: false, ticks }
    }

    /// Nice ticks covering [lo, hi] in exactly `intervals` steps, so that a
    /// second axis's gridlines fall on the first's.
    pub fn fit(lo: f64, hi: f64, intervals: usize) -> Scale {
        let intervals = intervals.max(1);
        let (lo, hi) = widen(lo, hi);
        let mut step = nice_step((hi - lo) / intervals as f64);
        let mut start = (lo / step).floor() * step;
        // A step covers when the ticks from the first one at or below `lo` reach `hi`.
        for _ in 0..64 {
            if start + step * intervals as f64 >= hi - step * 1e-9 {
                break;
            }
            step = nice_step(step * 1.0001);
            start = (lo / step).floor() * step;
        }
        let ticks: Vec<f64> = (0..=intervals).map(|i| clean(start + i as f64 * step, step)).collect();
        Scale { min: ticks[0], max: ticks[intervals], log: false, ticks }
    }

    /// Decades covering [lo, hi] (both must be positive), starting below
    /// `lo`: a bar of the smallest value keeps a length.
    pub fn log(lo: f64, hi: f64) -> Scale {
        let a = lo.max(f64::MIN_POSITIVE).log10().ceil() as i32 - 1;
        let b = (hi.max(lo).log10().ceil() as i32).max(a + 1);
        let ticks = (a..=b).map(|e| 10f64.powi(e)).collect();
        Scale { min: 10f64.powi(a), max: 10f64.powi(b), log: true, ticks }
    }

    /// Position in [0, 1].
    pub fn frac(&self, v: f64) -> f64 {
        if self.log {
            let v = v.max(self.min);
            (v.log10() - self.min.log10()) / (self.max.log10() - self.min.log10())
        } else {
            (v - self.min) / (self.max - self.min)
        }
    }
}

/// Remove float noise such as 0.30000000000000004, relative to the step
/// (a tick of 1.2e-15 is not 0).
fn clean(v: f64, step: f64) -> f64 {
    let decimals = (3.0 - step.abs().log10().floor()).clamp(0.0, 300.0) as i32;
    let p = 10f64.powi(decimals);
    if p.is_finite() && (v * p).is_finite() { (v * p).round() / p } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks() {
        assert_eq!(Scale::linear(-14.0, 86.0, 5).ticks, vec![-20.0, 0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(Scale::linear(0.0, 540.0, 5).ticks, vec![0.0, 200.0, 400.0, 600.0]);
        assert_eq!(Scale::linear(0.0, 1.0, 4).ticks, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(Scale::log(0.33, 540.0).ticks, vec![0.1, 1.0, 10.0, 100.0, 1000.0]);
        // A smallest value on a decade: the axis starts a decade below.
        assert_eq!(Scale::log(1.0, 540.0).ticks, vec![0.1, 1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(Scale::linear(0.0, 12.0, 5).ticks, vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5]);
        // A right axis in as many steps as the left one.
        assert_eq!(Scale::fit(-0.05, 0.32, 3).ticks, vec![-0.2, 0.0, 0.2, 0.4]);
        assert_eq!(Scale::fit(0.0, 540.0, 4).ticks, vec![0.0, 200.0, 400.0, 600.0, 800.0]);
        assert_eq!(Scale::fit(3.0, 4.0, 5).ticks, vec![3.0, 3.2, 3.4, 3.6, 3.8, 4.0]);
    }
}
