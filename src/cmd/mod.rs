//! The working loop around builds: `watch` and `serve` own a build Session
//! and rebuild on change; `new` writes a starter project; `progress` shows a
//! build's progress on the command line.

pub mod new;
pub mod progress;
pub mod serve;
pub mod watch;
