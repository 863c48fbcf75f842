//! A chart's drawing for phone screens, drawn when the HTML first asks for
//! it: a PDF never does, so a PDF-only build does not draw it, and a build
//! of both draws it in the HTML's backend, beside typst's layout.

use std::sync::{Arc, OnceLock};

use super::draw;
use super::spec::{ChartSpec, Kind};
use super::svg::Drawing;
use super::table::Table;
use super::NARROW_WIDTH;

/// None for a chart phones show as it is drawn.
#[derive(Clone, Default)]
pub struct Narrow(Option<Arc<Slot>>);

struct Slot {
    spec: ChartSpec,
    table: Table,
    drawn: OnceLock<Option<Arc<Drawing>>>,
    /// Its SVG, made when first asked for (`--lineage` marks the drawing's
    /// labels instead, and asks for none).
    svg: OnceLock<String>,
}

impl Narrow {
    /// For a chart drawn `width` wide from `table`.
    pub(super) fn of(spec: &ChartSpec, table: Table, width: f64) -> Narrow {
        Narrow((width > NARROW_WIDTH * 1.2).then(|| Arc::new(Slot { spec: spec.clone(), table, drawn: OnceLock::new(), svg: OnceLock::new() })))
    }

    fn slot_drawn(&self) -> Option<(&Slot, &Arc<Drawing>)> {
        let slot = self.0.as_ref()?;
        let spec = &slot.spec;
        slot.drawn
            .get_or_init(|| {
                let height = spec.height.map(|h| (h * 0.85).max(260.0)).or(Some(300.0).filter(|_| spec.kind != Kind::Pie && spec.kind != Kind::Donut));
                // The wide drawing of this spec and table was drawn: where
                // the narrow one is not (an annotation off its shorter
                // axis), phones are given the wide one.
                draw::draw(spec, &slot.table, NARROW_WIDTH, height).ok().map(Arc::new)
            })
            .as_ref()
            .map(|d| (&**slot, d))
    }

    /// Whether the HTML has asked for it yet.
    #[cfg(test)]
    pub(super) fn is_drawn(&self) -> bool {
        self.0.as_ref().is_some_and(|slot| slot.drawn.get().is_some())
    }

    /// The narrow drawing as SVG.
    pub fn svg(&self) -> Option<&str> {
        self.slot_drawn().map(|(slot, d)| slot.svg.get_or_init(|| d.svg()).as_str())
    }

    /// The narrow drawing as data, for the HTML of `--lineage` (whose
    /// labels name their cells).
    pub fn drawing(&self) -> Option<&Arc<Drawing>> {
        self.slot_drawn().map(|(_, d)| d)
    }
}

impl std::fmt::Debug for Narrow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Narrow(drawn when asked)" } else { "Narrow(none)" })
    }
}
