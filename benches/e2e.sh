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

# median seconds and max RSS (KB) of RUNS runs of a command; with PREP set,
# that shell command runs before each run (not timed)
measure() {
  PREP=${PREP:-} python3 - "$RUNS" "$@" <<'PY'
import os, subprocess, sys, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
prep = os.environ.get("PREP")
secs, rss = [], []
for _ in range(runs):
    if prep:
        subprocess.run(prep, shell=True, check=True)
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    s, m = p.stderr.strip().splitlines()[-1].split()
    secs.append(float(s)); rss.append(int(m))
print(f"{statistics.median(secs):.3f} s  {statistics.median(rss)/1024:.1f} MB  ({' '.join(cmd[1:])})")
PY
}

# median and best wall time (ms) of one-report runs, PREP as above
start() {
  PREP=${PREP:-} python3 - "$@" <<'PY'
import os, subprocess, sys, time, statistics
prep = os.environ.get("PREP")
ts = []
for _ in range(40):
    if prep:
        subprocess.run(prep, shell=True, check=True)
    t = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
    ts.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(ts):.2f} ms median, {min(ts):.2f} ms best  ({' '.join(sys.argv[2:])})")
PY
}

CACHE="$WORK/cache"
EDITED="$WORK/edited-rules"
$BIN rules export "$EDITED" >/dev/null
# A new comment line in one rule: a new text, so that rule runs again.
EDIT="echo '// edited' >> $EDITED/weights-sum.rhai"

echo "== 10,000 files to JSON, no cache (every rule runs on every report)"
measure $BIN check "$WORK/g10k" --format json --jobs 2 --no-cache
measure $BIN check "$WORK/g10k" --format json --jobs 1 --no-cache
measure $BIN check "$WORK/g10k" --format json --jobs 2 --no-cache --rules "$WORK/empty"
measure $BIN check "$WORK/g10k" --format json --jobs 1 --no-cache --rules "$WORK/empty"
echo "== 10,000 files to JSON with the findings cache"
# A first run writes every entry: into a new folder each time (the old one
# is moved away, as deleting 10,000 files just before slows ext4 down, and
# the last run's writes are flushed first).
PREP="mv $CACHE $WORK/old-cache-\$RANDOM 2>/dev/null; sync" measure $BIN check "$WORK/g10k" --format json --jobs 2 --cache-dir "$CACHE"
measure $BIN check "$WORK/g10k" --format json --jobs 2 --cache-dir "$CACHE"
$BIN check "$WORK/g10k" --format json --jobs 2 --cache-dir "$CACHE" --rules "$EDITED" >/dev/null || true
PREP="$EDIT" measure $BIN check "$WORK/g10k" --format json --jobs 2 --cache-dir "$CACHE" --rules "$EDITED"
echo "== 10,000 files to human text (the default output)"
measure $BIN check "$WORK/g10k" --color never --jobs 2 --no-cache
measure $BIN check "$WORK/g10k" --color never --jobs 2 --cache-dir "$CACHE" --rules "$EDITED"
echo "== 10,000 files to each output file, warm cache (peak memory)"
for ext in html xlsx md sarif xml json txt; do
  PREP="rm -rf $WORK/out && mkdir -p $WORK/out" measure $BIN check "$WORK/g10k" --jobs 2 --cache-dir "$CACHE" --output "$WORK/out/pack.$ext"
done
echo "== 1,000 files to JSON (memory)"
measure $BIN check "$WORK/g1k" --format json --jobs 2 --no-cache
echo "== start-up, one report (40 runs each)"
ONE=examples/jingdezhen-education-2021.toml
start $BIN check $ONE --format json --no-cache
$BIN check $ONE --format json --cache-dir "$CACHE" >/dev/null || true
start $BIN check $ONE --format json --cache-dir "$CACHE"
PREP="$EDIT" start $BIN check $ONE --format json --cache-dir "$CACHE" --rules "$EDITED"
du -sh "$CACHE" | sed 's/^/cache size: /'
rm -rf "$WORK"/old-cache-*
