//! Times TOML parsing with spans against the conversion into jixiao's node
//! tree and validation, over 200 generated reports (see BENCHMARKS.md).
fn main() {
    let texts: Vec<String> = (0..200).map(|i| jixiao::generate::report(42, i)).collect();
    let time = |name: &str, f: &dyn Fn(&str)| {
        let t = std::time::Instant::now();
        for _ in 0..10 {
            for s in &texts {
                f(s);
            }
        }
        println!(
            "{name:<28} {:>8.1} µs/report",
            t.elapsed().as_secs_f64() * 1e6 / 2000.0
        );
    };
    time("toml DeTable::parse", &|s| {
        std::hint::black_box(toml::de::DeTable::parse(s).unwrap());
    });
    time("report::raw::parse", &|s| {
        std::hint::black_box(jixiao::report::raw::parse(s).unwrap());
    });
    time("report::load_bytes", &|s| {
        std::hint::black_box(
            jixiao::report::load_bytes("r", s.as_bytes(), Default::default()).unwrap(),
        );
    });
}
