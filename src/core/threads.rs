//! Work a build does on the side, off the report's path.

/// Lowers the calling thread's priority: work that has time to spare (the
/// fonts and the template readied while the project is read, the inputs
/// hashed while typst lays the report out) then yields the core to the
/// report's own path when both want it, and runs at full speed when the
/// core is free (1.5 ms of the flagship's 30 before its first page). Linux gives each
/// thread its own niceness; elsewhere this does nothing.
pub fn yield_to_the_build() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take no pointers; raising one's own
    // niceness needs no privilege and touches only this thread.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}
