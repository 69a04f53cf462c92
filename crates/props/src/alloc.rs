//! An allocator with a cap on live memory, for test binaries: an allocation that would
//! pass the cap stops the process with a message naming the case that asked for it (a
//! case that allocates gigabytes would otherwise take the machine down with it, or pass).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

thread_local! {
    /// The case this thread runs (see [`crate::bounded`]).
    static CASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The last case started on any thread: a case's helper threads (a sweep's rayon workers)
/// have no case of their own.
static LAST_CASE: Mutex<String> = Mutex::new(String::new());

pub(crate) fn set_case(case: &str) {
    CASE.with_borrow_mut(|c| *c = case.to_string());
    if let Ok(mut last) = LAST_CASE.lock() {
        *last = case.to_string();
    }
}

/// The system allocator, refusing to hold more than `limit` bytes at once.
///
/// ```no_run
/// #[global_allocator]
/// static ALLOC: nnlab_props::CappedAlloc = nnlab_props::CappedAlloc::new(512 << 20);
/// ```
pub struct CappedAlloc {
    limit: usize,
    live: AtomicUsize,
}

impl CappedAlloc {
    pub const fn new(limit: usize) -> CappedAlloc {
        CappedAlloc {
            limit,
            live: AtomicUsize::new(0),
        }
    }

    /// Bytes allocated and not yet freed.
    pub fn live(&self) -> usize {
        self.live.load(Ordering::Relaxed)
    }

    /// Counts `size` more bytes if that stays within the cap.
    fn reserve(&self, size: usize) -> bool {
        let before = self.live.fetch_add(size, Ordering::Relaxed);
        if before.saturating_add(size) > self.limit {
            self.live.fetch_sub(size, Ordering::Relaxed);
            return false;
        }
        true
    }

    fn release(&self, size: usize) {
        self.live.fetch_sub(size, Ordering::Relaxed);
    }

    /// `alloc` of `size` bytes, counted: refused past the cap, uncounted when it fails.
    fn counted(&self, size: usize, alloc: impl FnOnce() -> *mut u8) -> *mut u8 {
        if !self.reserve(size) {
            self.refuse(size);
        }
        let p = alloc();
        if p.is_null() {
            self.release(size);
        }
        p
    }

    /// Writes which case passed the cap, then aborts. Nothing here allocates: the text is
    /// borrowed, and stderr is unbuffered.
    fn refuse(&self, size: usize) -> ! {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "nnlab-props: an allocation of {size} bytes would hold more than {} bytes at once",
            self.limit
        );
        let _ = CASE.try_with(|c| {
            if let Ok(c) = c.try_borrow() {
                let _ = writeln!(err, "in the case: {c}");
            }
        });
        if let Ok(last) = LAST_CASE.try_lock() {
            let _ = writeln!(err, "the last case started: {last}");
        }
        std::process::abort()
    }
}

// SAFETY: every call goes to `System` with the caller's layout; the count only decides
// whether to call it.
unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.counted(layout.size(), || System.alloc(layout))
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.counted(layout.size(), || System.alloc_zeroed(layout))
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        self.release(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !self.reserve(new_size - old) {
            self.refuse(new_size);
        }
        let p = System.realloc(ptr, layout, new_size);
        if p.is_null() {
            // The old block is still held.
            if new_size > old {
                self.release(new_size - old);
            }
        } else if new_size < old {
            self.release(old - new_size);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_admits_up_to_its_limit_and_no_further() {
        let a = CappedAlloc::new(100);
        assert!(a.reserve(60));
        assert!(a.reserve(40)); // exactly 100: at the cap, still within it
        assert!(!a.reserve(1));
        assert_eq!(a.live(), 100); // a refused reservation is not counted
        a.release(50);
        assert!(a.reserve(50));
    }

    #[test]
    fn allocations_are_counted_until_freed() {
        let a = CappedAlloc::new(1 << 20);
        let layout = Layout::from_size_align(1000, 8).unwrap();
        // SAFETY: the block is freed below with the same layout, after a realloc that
        // returns the pointer and size used from then on.
        unsafe {
            let p = a.alloc(layout);
            assert!(!p.is_null());
            assert_eq!(a.live(), 1000);
            let p = a.realloc(p, layout, 3000);
            assert!(!p.is_null());
            assert_eq!(a.live(), 3000);
            a.dealloc(p, Layout::from_size_align(3000, 8).unwrap());
        }
        assert_eq!(a.live(), 0);
    }
}
