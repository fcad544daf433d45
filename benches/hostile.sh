#!/usr/bin/env bash
# Hostile rules and inputs through the release binary: how long each takes
# to be stopped and how much memory the process peaks at, as recorded in
# BENCHMARKS.md ("Hostile rules"). Usage: bash benches/hostile.sh
# Needs python3 and GNU time (/usr/bin/time). Nothing here is asserted:
# tests/hardening.rs checks what each case says; this measures it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/jixiao
WORK=${TMPDIR:-/tmp}/jixiao-hostile
rm -rf "$WORK" && mkdir -p "$WORK"
export JIXIAO_CACHE_KEY=$WORK/cache.key
SEED=$PWD/examples/jingdezhen-education-2021.toml

case_() {
  local id=$1 body=$2 report=${3:-$SEED}
  local dir=$WORK/$id
  mkdir -p "$dir"
  printf '//! id = "%s"\n//! title = "t"\n//! severity = "warning"\n//! basis = "b"\n//! checks = "c"\n//! why = "w"\n//! example = "e"\n%s\n' "$id" "$body" > "$dir/$id.rhai"
  local out
  out=$( { /usr/bin/time -f "%e %M" "$BIN" check "$report" --rules "$dir" --no-cache --format json > "$dir/out.json" 2> "$dir/err.txt"; } 2>&1 || true)
  local t m
  read -r t m < <(tail -1 "$dir/err.txt")
  local said
  said=$(python3 -c "import json,sys; d=json.load(open('$dir/out.json')); e=d['reports'][0]['errors']; print(e[0]['message'].split('：',1)[1] if e else 'no error')")
  printf '| %-16s | %6s s | %6.0f MB | %s |\n' "$id" "$t" "$(echo "$m / 1024" | bc -l)" "$said"
}

echo "| rule | time | peak RSS | stopped by |"
echo "|---|---|---|---|"
case_ replace 'let s = "a"; for i in 0..16 { s += s; } let t = s.replace("a", s); []'
case_ join 'let a = []; for i in 0..9000 { a.push("x"); } let sep = "y"; for i in 0..18 { sep += sep; } let j = join(a, sep); []'
case_ split 'let s = "a"; for i in 0..20 { s += s; } let t = s.split(""); []'
case_ to-chars 'let s = "ab"; for i in 0..19 { s += s; } let t = s.to_chars(); []'
case_ addends 'let rows = []; for i in 0..3000 { rows.push(#{name: "x", weight: 1}); } let t = "t"; for i in 0..18 { t += t; } let u = rows.addends(t, "weight"); []'
case_ unfilled 'let rows = []; for i in 0..3000 { rows.push(#{name: "x"}); } let keys = []; for i in 0..9000 { keys.push("k" + i); } let u = rows.unfilled(keys); []'
case_ placeholders 'let rows = []; for i in 0..3000 { rows.push(#{name: "无"}); } let keys = []; for i in 0..9000 { keys.push("name"); } let u = rows.placeholders(keys); []'
case_ sort-closure 'let a = []; for i in 0..5000 { a.push(i); } a.sort(|x, y| { let n = 0; for j in 0..100000 { n += 1; } x - y }); []'
case_ curried 'fn x(a) { a } let s = "a"; for i in 0..20 { s += s; } let fs = []; for i in 0..3000 { fs.push(Fn("x").curry(s + i)); } []'
case_ sleep 'sleep(30); []'
case_ loop 'loop { }'
case_ recursion 'fn f(x) { f(x + 1) } f(0)'
case_ print 'let s = "很长的输出"; for i in 0..14 { s += s; } for i in 0..1000 { print(s); } []'
# The second adversarial review's rules.
case_ pad-empty 'let s = "x"; s.pad(10, ""); []'
case_ pad-huge 'let a = [1]; a.pad(4611686018427387904, [1, 2, 3]); []'
case_ deep-equal 'let a = []; for i in 0..800 { a = [a]; } let b = a; if a == b { } []'
case_ deep-print 'let m = #{}; for i in 0..800 { m = #{ x: m }; } print(m); []'
case_ no-order 'let a = []; for i in 0..5000 { a.push(i); } a.sort(|x, y| if (x * 7 + y) % 3 == 0 { 1 } else { -1 }); []'
case_ in-retain 'let a = [1, 2, 3]; let b = a.retain(|x| { let s = "a"; for i in 0..25 { s += s; } true }); []'
case_ findings 'let out = []; for i in 0..9000 { out.push(finding(`第 ${i} 条`, [label("budget", "x")])); } out'
