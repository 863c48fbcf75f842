//! `--format typst`: the generated typst source and everything it reads,
//! in `<name>.typst/`, instead of the PDF.

use crate::build::backend::{Backend, Fallback, Rendered, Report};
use crate::build::backends::pdf::{fonts_for, typst_input};
use crate::build::run::Shared;
use crate::build::Output;
use crate::core::diag::Result;
use crate::doc::Document;
use crate::input::project::Project;
use crate::pdf::world::TypstInput;
use std::path::Path;

pub(crate) struct TypstFolder;

impl Backend for TypstFolder {
    fn name(&self) -> &'static str {
        "typst"
    }

    fn formula(&self, tex: &str, display: bool, typst: &std::result::Result<String, String>) -> Option<Fallback> {
        crate::build::backends::pdf::Pdf.formula(tex, display, typst)
    }

    fn render(&self, sh: &Shared<'_>, report: &Report<'_>, out: &mut Rendered) -> Result<()> {
        // The same warnings as the PDF's: a glyph no font has shows there too.
        fonts_for(sh, report, out);
        let input = out.timings.time("typst markup", || typst_input(report.source, report.doc, sh.templates, report.map, &sh.project.config, &|t| sh.native_charts(t)))?;
        let dir = sh.out_dir.join(format!("{}.typst", report.source.name));
        out.outputs.extend(typst_folder(sh.project, report.doc, &input, &dir));
        Ok(())
    }
}

/// The folder `--format typst` writes: the generated markup, the template,
/// meta.json, the formulas' scope, chart drawings and the images it uses, so that
/// `typst compile --root <folder> --font-path fonts <folder>/main.typ` gives the same pages.
fn typst_folder(project: &Project, doc: &Document, input: &TypstInput, dir: &Path) -> Vec<Output> {
    let mut out = vec![
        Output { path: dir.join("main.typ"), bytes: input.main.clone().into_bytes() },
        Output { path: dir.join("research.typ"), bytes: input.template.clone().into_bytes() },
        Output { path: dir.join("meta.json"), bytes: input.meta_json.clone().into_bytes() },
        // The names mitex's translations of formulas use (the library
        // compile has it built in; the typst CLI reads it from the folder).
        Output { path: dir.join(crate::pdf::math::SCOPE_PATH.trim_start_matches('/')), bytes: crate::pdf::math::SCOPE.as_bytes().to_vec() },
    ];
    for (path, bytes) in &input.files {
        out.push(Output { path: dir.join(path.trim_start_matches('/')), bytes: bytes.clone() });
    }
    for img in doc.images().chain(project.config.brand.logo.as_deref()) {
        if let Ok(bytes) = crate::core::paths::read_regular(&project.root, &project.root.join(img), 64 << 20) {
            out.push(Output { path: dir.join(img), bytes });
        }
    }
    out
}
