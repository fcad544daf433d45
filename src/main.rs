// mimalloc: the checker allocates many small values per report (TOML
// nodes, Rhai maps); measured faster than the system allocator on one and
// on two threads (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(jixiao::cli::main());
}
