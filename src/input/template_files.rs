//! The built-in research template, overridable file by file from a project's
//! `templates/` folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::core::diag::{Diagnostic, Location, Result};

pub const BUILTIN: [(&str, &str); 4] = [
    ("page.html", include_str!("../../templates/page.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("research.typ", include_str!("../../templates/research.typ")),
];

#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub name: String,
    /// Where an override came from; `None` for the built-in.
    pub path: Option<PathBuf>,
    pub text: Arc<str>,
}

#[derive(Debug, Clone)]
pub struct Templates {
    dir: PathBuf,
    /// Rules after the stylesheet's own: the project's `[brand]`.
    css_tail: String,
}

impl Templates {
    pub fn new(dir: &Path) -> Self {
        Templates { dir: dir.to_path_buf(), css_tail: String::new() }
    }

    /// The project's templates, with its brand over any stylesheet.
    pub fn for_project(project: &crate::input::project::Project) -> Self {
        Templates { dir: project.templates_dir.clone(), css_tail: project.config.brand.css() }
    }

    /// The project's override files that exist (for watching).
    pub fn overrides(&self) -> Vec<PathBuf> {
        BUILTIN.iter().map(|(n, _)| self.dir.join(n)).filter(|p| p.is_file()).collect()
    }

    pub fn get(&self, name: &str) -> Result<TemplateFile> {
        let mut file = self.file(name)?;
        if name == "style.css" && !self.css_tail.is_empty() {
            file.text = format!("{}{}", file.text, self.css_tail).into();
        }
        Ok(file)
    }

    fn file(&self, name: &str) -> Result<TemplateFile> {
        let path = self.dir.join(name);
        if path.is_file() {
            let root = self.dir.parent().unwrap_or(&self.dir);
            let text = crate::core::paths::read_inside(root, &path)?;
            return Ok(TemplateFile { name: name.to_string(), path: Some(path), text: text.into() });
        }
        let builtin = BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).ok_or_else(|| {
            Diagnostic::error(format!("unknown template `{name}`"))
        })?;
        Ok(TemplateFile { name: name.to_string(), path: None, text: builtin.into() })
    }

    /// A minijinja error inside a template file, pointing at its line.
    pub fn error(&self, file: &TemplateFile, e: &minijinja::Error) -> Diagnostic {
        let mut d = Diagnostic::error(format!("error in template {}: {}", file.name, e.detail().unwrap_or(&e.kind().to_string())));
        let path = file.path.clone().unwrap_or_else(|| PathBuf::from(format!("<built-in>/{}", file.name)));
        if let Some(r) = e.range() {
            d = d.at(Location::new(path, file.text.clone(), r));
        } else if let Some(line) = e.line() {
            let start = crate::core::diag::line_start(&file.text, line);
            d = d.at(Location::new(path, file.text.clone(), start..start));
        }
        d
    }
}
