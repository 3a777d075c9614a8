#!/usr/bin/env python3
"""bench/transparency_canon.py RESULT.json OUT: hrdd's aggregate JSON in the
canonical "set|v1|...|count" sorted lines that transparency_duckdb.mjs
writes, so the two can be compared byte for byte."""
import json
import sys

doc = json.load(open(sys.argv[1]))
sets = doc["sets"]
lines = []
for g in doc["groups"]:
    keys = [k for k in g if k != "count"]
    s = next(i for i, cols in enumerate(sets) if sorted(cols) == sorted(keys))
    lines.append("|".join([str(s)] + [g[c] for c in sets[s]] + [str(g["count"])]))
lines.sort()
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
