//! Chart text as a reader meets it: every label inside its drawing, clear
//! of the other labels, of leader lines and of the points it does not
//! label (measured by Chromium's layout of the HTML), and no chart text
//! under 7 pt in the PDF, at full and half width and on the cover.

use crate::common::*;

/// For every chart shown at this width: labels outside the drawing, two
/// labels overlapping, a leader line (grey) through a label, a point under
/// a label. Boxes are the glyphs' ink (the line box less the CJK face's
/// space above and below), in the drawing's units.
pub const CHECK_JS: &str = r#"(function(){
  var bad = [];
  document.querySelectorAll('svg.chart').forEach(function(svg){
    var r = svg.getBoundingClientRect();
    if (r.width === 0) return;
    var vb = svg.viewBox.baseVal, k = r.width / vb.width;
    var name = (svg.getAttribute('aria-label') || '').slice(0, 16);
    var boxes = [].slice.call(svg.querySelectorAll('text')).map(function(t){
      var b = t.getBoundingClientRect(), h = b.height;
      return { l: (b.left - r.left) / k, r: (b.right - r.left) / k, t: (b.top - r.top + 0.19 * h) / k, b: (b.bottom - r.top - 0.12 * h) / k, turned: t.hasAttribute('transform'), s: t.textContent };
    });
    boxes.forEach(function(b){
      if (b.l < -0.5 || b.t < -0.5 || b.r > vb.width + 0.5 || b.b > vb.height + 0.5) bad.push(name + ': "' + b.s + '" outside (' + [b.l, b.t, b.r, b.b].map(Math.round) + ' in ' + vb.width + '×' + vb.height + ')');
    });
    var flat = boxes.filter(function(b){ return !b.turned; });
    for (var i = 0; i < flat.length; i++) for (var j = i + 1; j < flat.length; j++) {
      var a = flat[i], c = flat[j];
      if (a.l < c.r - 0.5 && c.l < a.r - 0.5 && a.t < c.b - 0.5 && c.t < a.b - 0.5) bad.push(name + ': "' + a.s + '" on "' + c.s + '"');
    }
    svg.querySelectorAll('line').forEach(function(l){
      var stroke = l.getAttribute('stroke');
      if (stroke !== '#999999' && stroke !== '#bdbdbd') return;
      var x1 = +l.getAttribute('x1'), y1 = +l.getAttribute('y1'), x2 = +l.getAttribute('x2'), y2 = +l.getAttribute('y2');
      flat.forEach(function(b){
        for (var s = 0; s <= 40; s++) {
          var x = x1 + (x2 - x1) * s / 40, y = y1 + (y2 - y1) * s / 40;
          if (x > b.l + 1 && x < b.r - 1 && y > b.t + 1 && y < b.b - 1) { bad.push(name + ': a leader through "' + b.s + '"'); break; }
        }
      });
    });
    svg.querySelectorAll('circle').forEach(function(p){
      var cx = +p.getAttribute('cx'), cy = +p.getAttribute('cy'), pr = +p.getAttribute('r');
      flat.forEach(function(b){
        if (cx + pr > b.l + 1 && cx - pr < b.r - 1 && cy + pr > b.t + 1 && cy - pr < b.b - 1) bad.push(name + ': a point under "' + b.s + '"');
      });
    });
  });
  return bad.join(' | ');
})()"#;

/// `js`'s value on the page `name` of the output folder, in headless
/// Chromium at `width` px, once the page's web fonts have loaded.
pub fn probe_with_fonts(f: &Fixture, name: &str, width: u32, js: &str) -> Option<String> {
    chromium_probe(&f.html_source(name), 1, "0")?;
    let probe = format!("<script>document.fonts.ready.then(function(){{ document.body.setAttribute('data-probe', String({js})); }});</script></body>");
    // Beside the page, so that its fonts load from where the page has them.
    let page = f.out("probe.html");
    std::fs::write(&page, f.html_source(name).replace("</body>", &probe)).unwrap();
    Some(probe_result("chromium", &page, width, &["--allow-file-access-from-files", "--virtual-time-budget=5000"]))
}

#[test]
fn flagship_chart_labels_stay_inside_and_clear_of_each_other_at_both_widths() {
    let f = flagship();
    f.folio(&["build", "--format", "html"]).ok();
    for width in [1280, 390] {
        if let Some(bad) = probe_with_fonts(&f, "report.html", width, CHECK_JS) {
            assert_eq!(bad, "", "at {width} px");
        }
        // The charts are drawn in the shipped sans face, as measured.
        let face = "(function(){ var t = document.querySelector('svg.chart text'); return getComputedStyle(t).fontFamily.split(',')[0] + ' ' + document.fonts.check('11px \"Folio Chart\"', '2023'); })()";
        if let Some(seen) = probe_with_fonts(&f, "report.html", width, face) {
            assert_eq!(seen, "&quot;Folio Chart&quot; true");
        }
    }
}

#[test]
fn no_chart_text_prints_under_7pt() {
    if !tool("pdftotext") {
        return;
    }
    let f = flagship();
    f.folio(&["build", "--format", "pdf"]).ok();
    let out = std::process::Command::new("pdftotext").arg("-bbox").arg(f.out("report.pdf")).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut small = Vec::new();
    for word in text.split("<word ").skip(1) {
        let attr = |k: &str| word.split(&format!("{k}=\"")).nth(1).and_then(|r| r.split('"').next()).and_then(|v| v.parse::<f64>().ok()).unwrap();
        let body = word.split('>').nth(1).and_then(|r| r.split('<').next()).unwrap_or("");
        // A word's box is its font size tall; citation marks are superscripts.
        let size = attr("yMax") - attr("yMin");
        if size < 6.95 && !(body.starts_with('[') && body.ends_with(']')) {
            small.push(format!("{body} ({size:.1} pt)"));
        }
    }
    assert!(small.is_empty(), "under 7 pt: {small:?}");
}
