#!/usr/bin/env bash
# bench/transparency.sh: stateless aggregation of DSA statements of reasons,
# hrdd against DuckDB on the same CSV, in the same run.
#
# For each size in $SIZES (1M and 10M rows by default):
#   1. bench/transparency_gen.py writes N synthetic rows in the full V2 dump
#      layout (seeded; realistic distributions; about 1.1 KB a row).
#   2. `hrdd transparency aggregate --by "$SETS"` (one pass, two grouping
#      sets: platform, day, category, decision ground, each restriction
#      type, content type, source type, automated detection and decision;
#      and territorial scope); wall time, peak RSS and CPU time from the
#      child's rusage (bench/transparency_time.py).
#   3. DuckDB (npm @duckdb/node-api, installed into a temporary directory on
#      first use; node's own memory included in its peak) loads the needed
#      columns with its parallel CSV reader and runs the same GROUP BYs
#      (bench/transparency_duckdb.mjs).
#   4. Both results, in one canonical form, must be identical.
# Prints rows, MB, seconds, MB/s and peak MiB of each, and the time ratio;
# also the CPU seconds of each (user + sys), which a busy machine distorts
# less than wall time.
# Targets (issue 5, this 2-core machine): hrdd >= 3x faster than DuckDB,
# >= 500 MB/s, peak <= 64 MiB and flat from 1M to 10M rows.
#
# Usage: bench/transparency.sh
# Env:   HRDD=path/to/hrdd  SIZES="1000000 10000000"  SEED=1
#        BENCH_DIR=/tmp (where the CSV files go: 10M rows is about 11 GB)
#        DUCKDB_DIR (an existing node_modules parent with @duckdb/node-api)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HRDD="${HRDD:-$ROOT/build/src/cli/hrdd}"
SIZES="${SIZES:-1000000 10000000}"
SEED="${SEED:-1}"
SETS="platform_name,created_at,category,decision_ground,decision_visibility,decision_monetary,decision_provision,decision_account,content_type,source_type,automated_detection,automated_decision;territorial_scope"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

bench_need python3 node npm
TIMER="$ROOT/bench/transparency_time.py"   # wall time, peak RSS, CPU of one child
bench_build
BENCH_DIR="${BENCH_DIR:-/tmp}"
TMP="$(mktemp -d "$BENCH_DIR/hrdd-bench-tr.XXXXXX")"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

DUCK="${DUCKDB_DIR:-}"
if [[ -z "$DUCK" ]]; then
    DUCK="$TMP/duckdb"
    mkdir -p "$DUCK"
    echo "bench: installing @duckdb/node-api into $DUCK" >&2
    (cd "$DUCK" && npm install --no-save --no-audit --no-fund --silent @duckdb/node-api >/dev/null)
fi
cp "$ROOT/bench/transparency_duckdb.mjs" "$DUCK/run.mjs"

fail=0
printf '%-9s %-7s %8s %8s %9s %9s %9s %8s %8s %7s  %s\n' rows tool MB seconds MB/s peakMiB \
    duckMB/s duck_s duckMiB ratio result
for n in $SIZES; do
    csv="$TMP/sor-$n.csv"
    python3 "$ROOT/bench/transparency_gen.py" "$n" "$SEED" > "$csv"
    bytes=$(stat -c %s "$csv")
    mb=$(python3 -c "print(f'{$bytes/1e6:.0f}')")
    cat "$csv" > /dev/null   # both tools start from a warm page cache

    python3 "$TIMER" "$TMP/h.time" "$HRDD" transparency aggregate --by "$SETS" "$csv"
    mv "$TMP/h.time.stdout" "$TMP/h.json"
    read -r hs hkb hu hsy < "$TMP/h.time"
    python3 "$ROOT/bench/transparency_canon.py" "$TMP/h.json" "$TMP/h.txt"

    python3 "$TIMER" "$TMP/d.time" node "$DUCK/run.mjs" "$csv" "$TMP/d.txt" "$SETS"
    read -r ds dkb du dsy < "$TMP/d.time"

    same=identical
    cmp -s "$TMP/h.txt" "$TMP/d.txt" || { same=DIFFERENT; fail=1; }
    python3 - "$n" "$bytes" "$hs" "$hkb" "$ds" "$dkb" "$same" "$hu" "$hsy" "$du" "$dsy" <<'PY'
import sys
n, b, hs, hkb, ds, dkb, same, hu, hsy, du, dsy = sys.argv[1:]
b, hs, ds = int(b), float(hs), float(ds)
hm, dm = int(hkb) / 1024, int(dkb) / 1024
ratio = ds / hs if hs else 0
hc, dc = float(hu) + float(hsy), float(du) + float(dsy)
print(f"{n:<9} {'hrdd':<7} {b/1e6:8.0f} {hs:8.2f} {b/1e6/hs:9.0f} {hm:9.1f} "
      f"{b/1e6/ds:9.0f} {ds:8.2f} {dm:8.1f} {ratio:6.1f}x  {same}")
print(f"          cpu seconds (user+sys): hrdd {hc:.2f}, DuckDB {dc:.2f} "
      f"({dc / hc if hc else 0:.1f}x); hrdd {b/1e6/hc if hc else 0:.0f} MB per cpu-second")
PY
    echo "$n $hs $hkb $ds $bytes" >> "$TMP/results"
    rm -f "$csv"
done

python3 - "$TMP/results" <<'PY' || fail=1
import sys
rows = [l.split() for l in open(sys.argv[1])]
ok = True
peaks = []
for n, hs, hkb, ds, b in rows:
    hs, ds, b = float(hs), float(ds), int(b)
    mbs, ratio, peak = b / 1e6 / hs, ds / hs, int(hkb) / 1024
    peaks.append(peak)
    for what, good in ((f"{n} rows: {mbs:.0f} MB/s >= 500", mbs >= 500),
                       (f"{n} rows: {ratio:.1f}x DuckDB >= 3x", ratio >= 3),
                       (f"{n} rows: peak {peak:.1f} MiB <= 64", peak <= 64)):
        print(("PASS " if good else "FAIL ") + what)
        ok = ok and good
if len(peaks) > 1:
    flat = max(peaks) - min(peaks) <= 8
    print(("PASS " if flat else "FAIL ") + f"peak flat across sizes ({min(peaks):.1f}-{max(peaks):.1f} MiB)")
    ok = ok and flat
sys.exit(0 if ok else 1)
PY
exit "$fail"
