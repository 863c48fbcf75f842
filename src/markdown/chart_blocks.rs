//! A ```chart or ```charts block read into chart specs, as the Markdown
//! walk reads it and as the charts drawn ahead of it read it: the two must
//! give the same specs, for the walk to find the drawings ahead in the cache.

use comrak::nodes::{AstNode, NodeValue};

use std::collections::HashMap;
use std::sync::Mutex;

use crate::chart::{Chart, ChartSpec, DrawnCache};
use crate::core::diag::Diagnostic;
use crate::doc::Lang;
use crate::input::data::DataSet;

/// Why a block is refused before its YAML is read (the caller says where).
pub(super) fn over_bounds(literal: &str, data: &DataSet) -> Option<Diagnostic> {
    if crate::input::data::nesting_depth(literal) > crate::input::data::MAX_SPEC_DEPTH {
        return Some(Diagnostic::error(format!("chart spec nests more than {} deep", crate::input::data::MAX_SPEC_DEPTH)).hint("keep the data in content/data/ and name it with `data:`"));
    }
    // Counted before the YAML is parsed: a million inline points would
    // take seconds and a gigabyte only to be refused afterwards.
    let points = data.limits().chart_points;
    if crate::input::data::value_count(literal) > points.saturating_mul(2).saturating_add(1000) {
        return Some(
            Diagnostic::error(format!("chart spec holds far more values than a chart draws ({points} points at most)"))
                .hint("keep long series in content/data/, or raise the limit in folio.toml: [limits] chart_points = …"),
        );
    }
    None
}

/// The block's specs (a `charts` block holds a list), or YAML's message and
/// the byte offset it points at.
pub(super) fn specs(literal: &str, many: bool) -> Result<Vec<ChartSpec>, (String, Option<usize>)> {
    if many {
        crate::input::yaml::from_str(literal).map_err(|e| (e.message, e.offset))
    } else {
        crate::input::yaml::from_str(literal).map(|s| vec![s]).map_err(|e| (e.message, e.offset))
    }
}

/// A spec as the report draws it: in its language and, side by side with
/// others, for half a column (scaled to half of A4's 482 pt less the
/// gutter, 10 px text prints at 7.8 pt, never under 7).
pub(super) fn sized(spec: &mut ChartSpec, lang: Lang, side_by_side: bool) {
    spec.lang.get_or_insert(lang);
    if side_by_side {
        spec.width.get_or_insert(300.0);
        spec.height.get_or_insert(250.0);
    }
}

/// The chart blocks under `root`: each one's text (value marks stripped)
/// and whether it is a `charts` block.
pub(super) fn blocks<'a>(root: &'a AstNode<'a>) -> Vec<(String, bool)> {
    root.descendants()
        .filter_map(|node| match &node.data().value {
            NodeValue::CodeBlock(cb) if matches!(cb.info.trim(), "chart" | "charts") => Some((super::strip_marks(&cb.literal), cb.info.trim() == "charts")),
            _ => None,
        })
        .collect()
}

/// The blocks drawn ahead, by their text and kind: each one's specs as the
/// walk would read them, with their drawings. A block whose every chart
/// drew is handed to the walk whole, which then reads and draws nothing
/// of it again; one that went wrong anywhere is left for the walk to say.
#[derive(Default)]
pub(super) struct DrawnAhead(Mutex<HashMap<(String, bool), Vec<(ChartSpec, Chart)>>>);

impl DrawnAhead {
    /// The specs and drawings of a block drawn ahead (once: a block written
    /// twice is read again by the walk, the cache giving its drawings).
    pub(super) fn take(&self, literal: &str, many: bool) -> Option<Vec<(ChartSpec, Chart)>> {
        self.0.lock().expect("charts drawn ahead lock").remove(&(literal.to_string(), many))
    }
}

/// Draws the charts of `blocks` into `cache` and `ahead`, the last first,
/// while the walk, on this report's own core, meets them from the first:
/// it then finds most of them drawn. Whatever goes wrong is left for the
/// walk to say.
pub(super) fn draw_ahead(blocks: &[(String, bool)], data: &DataSet, params: &serde_json::Map<String, serde_json::Value>, lang: Lang, cache: &DrawnCache, ahead: &DrawnAhead) {
    for (literal, many) in blocks.iter().rev() {
        if over_bounds(literal, data).is_some() {
            continue;
        }
        let Ok(specs) = specs(literal, *many) else { continue };
        let (count, side_by_side) = (specs.len(), specs.len() > 1);
        let mut drawn = Vec::new();
        for mut spec in specs {
            sized(&mut spec, lang, side_by_side);
            if let Ok(chart) = crate::chart::rows_for_report(&spec, data, params).and_then(|rows| crate::chart::render_cached(&spec, &rows, cache)) {
                drawn.push((spec, chart));
            }
        }
        if drawn.len() == count {
            ahead.0.lock().expect("charts drawn ahead lock").insert((literal.clone(), *many), drawn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_charts_drawn_ahead_are_those_the_walk_asks_the_cache_for() {
        let markdown = "```chart\nkind: bar\nx: k\ny: v\ncaption: One\nrows: [{k: A, v: 1}, {k: B, v: 3}]\n```\n\n\
            ```charts\n- kind: line\n  x: k\n  y: v\n  caption: Two\n  rows: [{k: A, v: 2}, {k: B, v: 1}]\n\
            - kind: pie\n  x: k\n  y: v\n  caption: Three\n  rows: [{k: A, v: 5}, {k: B, v: 4}]\n```\n\n\
            ```chart\nkind: bar\nx: nothing\ncaption: Refused\nrows: [{k: A, v: 1}]\n```\n";
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, markdown, &super::super::options());
        let blocks = blocks(root);
        assert_eq!(blocks.iter().map(|(_, many)| *many).collect::<Vec<_>>(), [false, true, false]);
        let (data, cache, ahead) = (DataSet::default(), DrawnCache::default(), DrawnAhead::default());
        draw_ahead(&blocks, &data, &serde_json::Map::new(), Lang::En, &cache, &ahead);
        // Three drawn; the chart that does not draw is left for the walk to say.
        assert_eq!(cache.len(), 3);
        // The blocks that drew whole are handed to the walk, each once.
        let handed: Vec<Option<Vec<String>>> = blocks.iter().map(|(l, many)| ahead.take(l, *many).map(|d| d.into_iter().map(|(spec, _)| spec.caption).collect())).collect();
        assert_eq!(handed, [Some(vec!["One".to_string()]), Some(vec!["Two".to_string(), "Three".to_string()]), None]);
        assert!(ahead.take(&blocks[0].0, false).is_none());
        // The walk reads each spec as the drawing ahead did: each is found drawn.
        for (literal, many) in &blocks[..2] {
            let specs = specs(literal, *many).unwrap();
            let side_by_side = specs.len() > 1;
            for mut spec in specs {
                sized(&mut spec, Lang::En, side_by_side);
                let rows = crate::chart::rows_for_report(&spec, &data, &serde_json::Map::new()).unwrap();
                crate::chart::render_cached(&spec, &rows, &cache).unwrap();
            }
        }
        assert_eq!(cache.len(), 3, "no chart is drawn twice");
    }
}
