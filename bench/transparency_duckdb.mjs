// bench/transparency_duckdb.mjs CSV OUT.json: the DuckDB side of
// bench/transparency.sh. Loads the columns the aggregates need from the
// dump CSV (all as text; DuckDB's parallel CSV reader), then runs the same
// grouping sets as `hrdd transparency aggregate --by "$SETS"`: arrays are
// unnested one after the other (a cross product, as hrdd counts them), an
// empty array counts once under "", created_at groups by day. Writes the
// groups in the canonical form the script compares ("set|v1|...|count"
// lines, sorted) and prints the seconds it took (load + queries).
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [csv, out, setsArg] = process.argv.slice(2);
const ARRAYS = new Set(['decision_visibility', 'content_type', 'territorial_scope',
  'category_addition', 'category_specification']);
const sets = setsArg.split(';').map((s) => s.split(','));
const cols = [...new Set(sets.flat())];

const t0 = process.hrtime.bigint();
const db = await DuckDBInstance.create(':memory:', { threads: process.env.DUCK_THREADS || '2' });
const con = await db.connect();
const esc = (s) => s.replace(/'/g, "''");
await con.run(`CREATE TEMP TABLE base AS SELECT ${cols.join(', ')} FROM read_csv('${esc(csv)}',
  header = true, all_varchar = true, quote = '"', escape = '"', delim = ',',
  max_line_size = 4194304, parallel = true)`);
const arr = (c) => `CASE WHEN coalesce(${c}, '') IN ('', '[]') THEN [''] ELSE
  string_split(replace(replace(replace(${c}, '[', ''), ']', ''), '"', ''), ',') END`;
const lines = [];
for (let s = 0; s < sets.length; s++) {
  const set = sets[s];
  let from = 'base';
  const names = [];
  set.forEach((c, i) => {
    if (ARRAYS.has(c)) {
      from = `(SELECT *, unnest(${arr(c)}) AS u${i} FROM ${from})`;
      names.push(`u${i}`);
    } else if (c === 'created_at' || c === 'application_date') {
      names.push(`coalesce(substr(${c}, 1, 10), '')`);
    } else {
      names.push(`coalesce(${c}, '')`);
    }
  });
  const sql = `SELECT ${names.map((n, i) => `${n} AS k${i}`).join(', ')}, count(*) AS n
    FROM ${from} GROUP BY ALL`;
  const reader = await con.runAndReadAll(sql);
  for (const row of reader.getRows()) {
    lines.push([s, ...row.slice(0, set.length), String(row[set.length])].join('|'));
  }
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
lines.sort();
writeFileSync(out, lines.join('\n') + '\n');
console.log(secs.toFixed(3));
