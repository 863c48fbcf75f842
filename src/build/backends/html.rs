//! The HTML page of a report (and, with `--site`, the site's copy of it).

use std::path::{Path, PathBuf};

use crate::build::backend::{beside, Backend, Fallback, Rendered, Report};
use crate::build::run::Shared;
use crate::build::{assets, site, webfonts, Output, ReportInfo};
use crate::core::diag::Result;

pub(crate) struct Html;

impl Backend for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn formula(&self, tex: &str, display: bool, _typst: &std::result::Result<String, String>) -> Option<Fallback> {
        // What MathML cannot express, typst draws as SVG.
        crate::html::math::to_mathml(tex, display).err().map(|e| Fallback::Drawn(format!("the HTML shows it as TeX: {e}")))
    }

    fn render(&self, sh: &Shared<'_>, report: &Report<'_>, out: &mut Rendered) -> Result<()> {
        let (project, templates, opts, name) = (sh.project, sh.templates, sh.opts, &report.source.name);
        let page = out.timings.time("html", || crate::html::render(report.doc, &project.root, templates, None))?;
        out.outputs.push(Output { path: beside(sh.out_dir, name, "html"), bytes: page.into_bytes() });
        if opts.site {
            let file = format!("{name}.html");
            let base_url = project.config.site.base_url.as_deref();
            let links = crate::html::SitePage {
                css_href: sh.css_href.clone(),
                name: sh.site_name.clone(),
                pdf: sh.with_pdf.then(|| site::relative_href(&format!("{name}.pdf"))),
                canonical: base_url.map(|b| site::absolute(b, &file)),
                logo: project.config.site.logo_asset().map(|a| format!("./assets/{a}")),
                // Drawn from the PDF's first page (see the PDF backend).
                image: base_url.filter(|_| sh.with_pdf).map(|b| site::absolute(b, &format!("{name}.png"))),
            };
            let html = out.timings.time("html", || crate::html::render(report.doc, &project.root, templates, Some(&links)))?;
            out.site.push(Output { path: PathBuf::from(file), bytes: html.into_bytes() });
        }
        Ok(())
    }

    fn build_files(&self, reports: &[ReportInfo], out_dir: &Path) -> Result<Vec<Output>> {
        // A page with a formula loads the math font from beside it; one
        // with Chinese, the CJK faces (the pages are on disk already).
        let mut files: Vec<Output> = assets::math_font(out_dir).filter(|_| reports.iter().any(|r| r.math)).into_iter().collect();
        files.extend(webfonts::for_pages(out_dir, &[], out_dir)?.0);
        Ok(files)
    }
}
