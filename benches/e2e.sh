#!/usr/bin/env bash
# End-to-end measurements through the real binary, as recorded in
# BENCHMARKS.md. Usage: bash benches/e2e.sh [runs]   (default 5 runs each;
# medians are printed). Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
cargo build --release --quiet
BIN=./target/release/jixiao
WORK=${TMPDIR:-/tmp}/jixiao-e2e
rm -rf "$WORK" && mkdir -p "$WORK/empty"
$BIN generate 10000 "$WORK/g10k" --seed 1
$BIN generate 1000 "$WORK/g1k" --seed 1
cat /proc/cpuinfo | grep -m1 "model name" || true
nproc

# median seconds and max RSS (KB) of RUNS runs of a command
measure() {
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, statistics, re
runs = int(sys.argv[1]); cmd = sys.argv[2:]
secs, rss = [], []
for _ in range(runs):
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    s, m = p.stderr.strip().splitlines()[-1].split()
    secs.append(float(s)); rss.append(int(m))
print(f"{statistics.median(secs):.3f} s  {statistics.median(rss)/1024:.1f} MB  ({' '.join(cmd[1:])})")
PY
}

echo "== 10,000 files to JSON"
measure $BIN check "$WORK/g10k" --format json --jobs 2
measure $BIN check "$WORK/g10k" --format json --jobs 1
measure $BIN check "$WORK/g10k" --format json --jobs 2 --rules "$WORK/empty"
measure $BIN check "$WORK/g10k" --format json --jobs 1 --rules "$WORK/empty"
echo "== 1,000 files to JSON (memory)"
measure $BIN check "$WORK/g1k" --format json --jobs 2
echo "== cold start, one report (median of 40)"
python3 - "$BIN" <<'PY'
import subprocess, sys, time, statistics
ts = []
for _ in range(40):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "check", "examples/jingdezhen-education-2021.toml", "--format", "json"], stdout=subprocess.DEVNULL)
    ts.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(ts):.2f} ms median, {min(ts):.2f} ms best")
PY
