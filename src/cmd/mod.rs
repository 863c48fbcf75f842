//! The working loop around builds: `watch` and `serve` own a build Session
//! and rebuild on change; `new` writes a starter project.

pub mod new;
pub mod serve;
pub mod watch;
