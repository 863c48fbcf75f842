//! The HTML of `folio build --lineage`: each printed value carries
//! `data-src` (`models.csv:15:params_b`) and `data-info` (a line per cell:
//! file, row, column, the cell's text). This view shows `data-info` beside
//! a value on hover, keyboard focus or click (a click keeps it open), for
//! text, table cells and chart labels alike. Without `--lineage` pages
//! carry none of it.

/// The view's style and script, self-contained (no request leaves the page).
const VIEW: &str = r#"<style>
.v[data-info]{text-decoration:underline dotted #b45309;text-underline-offset:2px;cursor:help}
svg text.v{cursor:help}svg text.v:hover,svg text.v:focus,svg text.v.folio-on{fill:#b45309}
.v[data-info]:focus{outline:2px solid #b45309;outline-offset:1px}
#folio-source{position:absolute;z-index:9999;max-width:min(32em,calc(100vw - 16px));padding:.5em .75em;background:#1c1917;color:#fafaf9;font:13px/1.45 var(--sans,"Noto Sans CJK SC","Noto Sans",sans-serif);border-radius:4px;box-shadow:0 2px 8px rgba(0,0,0,.3);white-space:pre-line;overflow-wrap:anywhere}
#folio-source b{display:block;color:#fcd34d;font-weight:600;margin-bottom:.2em}
@media print{#folio-source{display:none}}
</style>
<script>
/* folio --lineage: where each printed value came from. */
(function () {
  var tip = document.createElement("div"), pinned = null;
  tip.id = "folio-source"; tip.setAttribute("role", "tooltip"); tip.hidden = true;
  document.body.appendChild(tip);
  function valueOf(el) { return el && el.closest ? el.closest("[data-info]") : null; }
  function show(el) {
    tip.textContent = "";
    var head = document.createElement("b");
    head.textContent = el.getAttribute("data-src");
    tip.appendChild(head);
    tip.appendChild(document.createTextNode(el.getAttribute("data-info")));
    tip.hidden = false;
    var r = el.getBoundingClientRect(), w = tip.offsetWidth;
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - w - 8));
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
    el.setAttribute("aria-describedby", "folio-source");
  }
  function hide() {
    if (pinned) { pinned.classList.remove("folio-on"); pinned = null; }
    tip.hidden = true;
  }
  document.addEventListener("mouseover", function (e) { var el = valueOf(e.target); if (el && !pinned) show(el); });
  document.addEventListener("mouseout", function (e) { if (!pinned && valueOf(e.target) && !valueOf(e.relatedTarget)) tip.hidden = true; });
  document.addEventListener("focusin", function (e) { var el = valueOf(e.target); if (el && !pinned) show(el); });
  document.addEventListener("click", function (e) {
    var el = valueOf(e.target);
    if (!el) { if (!tip.contains(e.target)) hide(); return; }
    var again = el === pinned;
    hide();
    if (!again) { pinned = el; el.classList.add("folio-on"); show(el); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
    // Enter opens a value as a click does (an SVG label has no click()).
    if (e.key === "Enter" && valueOf(e.target)) e.target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  });
})();
</script>
"#;

/// `html` with the view before its closing `</body>` (or at its end).
pub fn add(mut html: String) -> String {
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, VIEW),
        None => html.push_str(VIEW),
    }
    html
}
