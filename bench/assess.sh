#!/usr/bin/env bash
# bench/assess.sh: how long scoring the whole RDR 2020 index takes (26
# companies, 70 indicators, 335 elements, 26,146 answers at every level).
#
# A throw-away SQLite installation (`hrdd init`) gets the published data with
# `hrdd assess import-rdr`; then, RUNS times each (median printed):
#   hrdd assess score --json --timing   the whole command: open the database,
#                                       parse the stored methodology, read every
#                                       answer, score, print the JSON
#     (its --timing line splits that into reading and the pure scoring engine)
#   hrdd version                        reference: process start-up alone
#   python3 reference                   reading the same elements.json files and
#                                       averaging the same way (no database)
# Target: the score command well under a second (PASS below 1000 ms).
#
# Usage: bench/assess.sh            (needs build/src/cli/hrdd; builds it if absent)
# Env:   HRDD=path/to/hrdd  RDR_DIR=path/to/rdr-2020 (default ../shared/data/rdr-2020)
#        RUNS=5
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HRDD="${HRDD:-$ROOT/build/src/cli/hrdd}"
RDR_DIR="${RDR_DIR:-$ROOT/../shared/data/rdr-2020}"
RUNS="${RUNS:-5}"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

bench_need python3
bench_build
bench_tmp
[[ -d "$RDR_DIR" ]] || { echo "bench: RDR data not found at $RDR_DIR (set RDR_DIR)" >&2; exit 2; }

DB="$TMP/hrdd.db"
printf 'a long enough passphrase for the bench\n' > "$TMP/pw"
"$HRDD" init --db "$DB" --org "Index Watch" --admin-email bench@watch.example \
    --admin-password-file "$TMP/pw" >/dev/null
t0=$(date +%s%N)
"$HRDD" assess import-rdr --db "$DB" "$RDR_DIR"
t1=$(date +%s%N)
echo "import: $(( (t1 - t0) / 1000000 )) ms"

cat > "$TMP/ref.py" <<'PY'
import csv, json, os, sys
d = sys.argv[1]
spec = list(csv.DictReader(open(os.path.join(d, "2020-indicator-specs.csv"))))
kind = {r["companyClean"]: ("telecom" if r["maintype"] == "telcos" else "internet")
        for r in csv.DictReader(open(os.path.join(d, "2020-company-specs.csv")))}
excl = {}
for r in csv.DictReader(open(os.path.join(d, "2020-indicator-excludes.csv"))):
    excl.setdefault(r["Indicator"], set()).add(r["exclude"])
leaf = {}
for r in spec:
    if r["isParent"] == "TRUE":
        continue
    data = json.load(open(os.path.join(d, "indicators", r["labelShort"], "elements.json")))
    for co, levels in data.items():
        if kind[co] in excl.get(r["Indicator"], ()):
            continue
        sc = []
        for lv, els in levels.items():
            if r["scoringScope"] == "company" and lv != "Group":
                continue
            if r["scoringScope"] == "services" and lv in ("Group", "Operating Company"):
                continue
            v = [e["score"] for e in els if e["score"] != "NA"]
            if v:
                sc.append(sum(v) / len(v))
        if sc:
            leaf[(co, r["labelShort"])] = sum(sc) / len(sc)
totals = {}
for co in kind:
    tops = []
    for r in spec:
        if r["indicatorSuffix"] != "NA":
            continue
        if r["isParent"] == "TRUE":
            subs = [leaf[(co, s["labelShort"])] for s in spec if s["indicatorSuffix"] != "NA"
                    and s["Category"] == r["Category"] and s["indicatorNr"] == r["indicatorNr"]
                    and (co, s["labelShort"]) in leaf]
            if subs:
                tops.append(sum(subs) / len(subs))
        elif (co, r["labelShort"]) in leaf:
            tops.append(leaf[(co, r["labelShort"])])
    totals[co] = sum(tops) / len(tops)
json.dump(totals, sys.stdout)
PY

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_ms() {      # command... -> elapsed ms on stdout (command output discarded)
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>>"$TMP/timing.err"; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
}

score=(); version=(); python=()
for _ in $(seq 1 "$RUNS"); do
    score+=("$(time_ms "$HRDD" assess score --db "$DB" --json --timing)")
    version+=("$(time_ms "$HRDD" version)")
    python+=("$(time_ms python3 "$TMP/ref.py" "$RDR_DIR")")
done
S=$(printf '%s\n' "${score[@]}" | median)
V=$(printf '%s\n' "${version[@]}" | median)
P=$(printf '%s\n' "${python[@]}" | median)
ENGINE=$(grep 'assess score:' "$TMP/timing.err" | sed -E 's/.*scoring ([0-9.]+) ms.*/\1/' | sort -n | \
         awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
READ=$(grep 'assess score:' "$TMP/timing.err" | sed -E 's/.*read ([0-9.]+) ms.*/\1/' | sort -n | \
       awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')

# the python reference and hrdd must agree on every total
"$HRDD" assess score --db "$DB" --json > "$TMP/score.json"
python3 "$TMP/ref.py" "$RDR_DIR" > "$TMP/ref.json"
AGREE=$(python3 -c '
import json, sys
s = {e["entity"]: e["total"] for e in json.load(open(sys.argv[1]))["entities"]}
r = json.load(open(sys.argv[2]))
print(sum(abs(s[k] - r[k]) < 1e-9 for k in r), "of", len(r))' "$TMP/score.json" "$TMP/ref.json")

echo "RDR 2020 index, 26 companies, median of $RUNS runs:"
printf '  %-44s %6s ms\n' "hrdd assess score --json (whole command)" "$S"
printf '  %-44s %6s ms\n' "  of which reading the answers from SQLite" "$READ"
printf '  %-44s %6s ms\n' "  of which the scoring engine" "$ENGINE"
printf '  %-44s %6s ms\n' "hrdd version (process start-up)" "$V"
printf '  %-44s %6s ms\n' "python3 reading the same files and scoring" "$P"
echo "  totals equal to the python reference: $AGREE"
if (( S < 1000 )); then echo "PASS: scoring the whole 2020 index takes ${S} ms (< 1000 ms)"; exit 0; fi
echo "FAIL: scoring the whole 2020 index takes ${S} ms (>= 1000 ms)"; exit 1
