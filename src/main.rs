// mimalloc: the checker allocates many small values per report (TOML
// nodes, Rhai maps); on this workload it is faster than the system
// allocator and scales better across threads (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(jixiao::cli::main());
}
