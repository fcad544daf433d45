// mimalloc: the checker allocates many small values per report (TOML
// nodes, Rhai maps); on this workload it is faster than the system
// allocator and scales better across threads (BENCHMARKS.md).
// Counted per thread, so that a rule holding too much memory is stopped
// (`engine::sandbox`).
#[global_allocator]
static GLOBAL: jixiao::memory::CountingAlloc<mimalloc::MiMalloc> =
    jixiao::memory::CountingAlloc(mimalloc::MiMalloc);

/// `mi_option_arena_eager_commit` in mimalloc 3's option enum.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Runs before `main` and before the first allocation (from the ELF
/// `.init_array`), so that mimalloc commits arena memory as it is used
/// instead of up front: the same speed, a quarter less resident memory and a
/// faster start (BENCHMARKS.md). Setting it from `main` is too late.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static LAZY_COMMIT: extern "C" fn() = {
    extern "C" fn lazy_commit() {
        // SAFETY: a plain store into mimalloc's option table, made before
        // any thread or allocation exists.
        unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
    }
    lazy_commit
};

fn main() {
    // Rules may run on this thread (a small batch): it gets the stack
    // every thread that runs rules has.
    let code = std::thread::Builder::new()
        .name("jixiao".into())
        .stack_size(jixiao::engine::limits::STACK_BYTES)
        .spawn(jixiao::cli::main)
        .map_or_else(|_| jixiao::cli::main(), |t| t.join().unwrap_or(101));
    std::process::exit(code);
}
