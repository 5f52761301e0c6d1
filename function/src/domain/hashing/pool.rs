//! The hashing threads' work queues: an interactive lane always taken
//! before the bulk lane, and the pool's end when the last hasher goes.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};

use super::Inner;

pub(super) type Job = Box<dyn FnOnce(&Inner) + Send>;

/// The two queues the hashing threads take work from.
#[derive(Default)]
struct Lanes {
    interactive: VecDeque<Job>,
    bulk: VecDeque<Job>,
    closed: bool,
}

pub(super) struct Pool {
    pub(super) inner: Inner,
    lanes: Mutex<Lanes>,
    work: Condvar,
}

impl Pool {
    pub(super) fn new(inner: Inner) -> Self {
        Self {
            inner,
            lanes: Mutex::new(Lanes::default()),
            work: Condvar::new(),
        }
    }

    pub(super) fn push(&self, job: Job, interactive: bool) {
        let mut lanes = self.lanes.lock().expect("hash lanes");
        if interactive {
            lanes.interactive.push_back(job);
        } else {
            lanes.bulk.push_back(job);
        }
        drop(lanes);
        // Wake them all: the one that may take this job may not be the one
        // notify_one would pick (the interactive thread never takes bulk).
        self.work.notify_all();
    }

    /// A hashing thread: interactive work first, then (unless
    /// `interactive_only`) bulk, until closed.
    pub(super) fn work(&self, interactive_only: bool) {
        loop {
            let job = {
                let mut lanes = self.lanes.lock().expect("hash lanes");
                loop {
                    if let Some(job) = lanes.interactive.pop_front() {
                        break job;
                    }
                    if !interactive_only {
                        if let Some(job) = lanes.bulk.pop_front() {
                            break job;
                        }
                    }
                    if lanes.closed {
                        return;
                    }
                    lanes = self.work.wait(lanes).expect("hash lanes");
                }
            };
            job(&self.inner);
        }
    }
}

/// Runs the calling thread at nice 10: under contention the scheduler gives
/// a normal thread about ten times its share, and without contention it
/// changes nothing. (On Linux `setpriority` with `who = 0` applies to the
/// calling thread alone; raising one's own niceness needs no privilege.)
pub(super) fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; 0 names this thread.
    unsafe {
        if libc::setpriority(libc::PRIO_PROCESS, 0, 10) != 0 {
            tracing::debug!("could not lower a hashing thread's priority");
        }
    }
}

/// Closes the pool when the last [`Hasher`] clone is dropped; the threads
/// finish what is queued and exit.
pub(super) struct PoolHandle(pub(super) Arc<Pool>);

impl Drop for PoolHandle {
    fn drop(&mut self) {
        if let Ok(mut lanes) = self.0.lanes.lock() {
            lanes.closed = true;
        }
        self.0.work.notify_all();
    }
}
