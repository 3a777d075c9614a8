#!/usr/bin/env python3
"""tests/ingest/sor_count.py COLS FILE...: an independent count for the
ingest suite, made differently from hrdd: Python's csv module, json.loads
for the array columns, its own V1 -> V2 category table, itertools.product
for the combinations. Prints one line per group, "v1|v2|...|count", sorted
(the form test_ingest.c builds from hrdd's JSON), then "rows N"."""
import csv
import itertools
import json
import sys

V1_TO_V2 = {
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS": "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
}
ARRAYS = {"decision_visibility", "content_type", "territorial_scope", "category_addition",
          "category_specification"}
DAYS = {"created_at", "application_date"}

cols = [c for c in sys.argv[1].split(",") if c]
counts = {}
rows = 0
for path in sys.argv[2:]:
    with open(path, newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            rows += 1
            options = []
            for c in cols:
                v = rec.get(c, "")
                if c in ARRAYS:
                    items = json.loads(v) if v else []
                    if c == "category_addition":
                        items = [V1_TO_V2.get(x, x) for x in items]
                    options.append(items or [""])
                elif c in DAYS:
                    options.append([v[:10]])
                elif c == "category":
                    options.append([V1_TO_V2.get(v, v)])
                else:
                    options.append([v])
            for combo in itertools.product(*options):
                counts[combo] = counts.get(combo, 0) + 1
for k in sorted(counts):
    print("|".join(list(k) + [str(counts[k])]))
print("rows %d" % rows)
