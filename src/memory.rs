//! Per-thread accounting of heap memory: the global allocator the binary
//! installs counts, for each thread, the bytes it allocated and has not
//! freed, so that the rule sandbox and the import budget can stop work
//! that holds too much memory before the process runs out of it.

use std::cell::Cell;

thread_local! {
    /// Bytes allocated minus bytes freed on this thread (see
    /// [`CountingAlloc`]); 0 throughout when it is not the allocator.
    static HELD: Cell<isize> = const { Cell::new(0) };
}

/// The number of bytes this thread holds (see [`CountingAlloc`]).
pub fn held() -> isize {
    HELD.try_with(Cell::get).unwrap_or(0)
}

fn count(delta: isize) {
    let _ = HELD.try_with(|h| h.set(h.get().wrapping_add(delta)));
}

/// A global allocator that counts, per thread, the bytes allocated and not
/// yet freed, so that a rule holding too much memory across many values
/// (each within its size limits) is stopped, and a document whose
/// reading grows past its budget is refused. The binary installs it
/// around mimalloc; without it the memory limit is not enforced.
pub struct CountingAlloc<A>(pub A);

// SAFETY: every call is passed to the inner allocator unchanged; the count
// is a thread-local integer without a destructor, safe to touch at any
// time, allocation included.
unsafe impl<A: std::alloc::GlobalAlloc> std::alloc::GlobalAlloc for CountingAlloc<A> {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        count(-(layout.size() as isize));
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}
