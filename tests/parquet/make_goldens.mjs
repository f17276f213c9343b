// Writes tests/parquet/expected/<file>.jsonl for the unit tests: hyparquet's rows (through oracle.mjs's
// mapping) for every suite file ftprep reads; all rows of small files, else the first 20 and the last.
// First line: {"rows": N}; then {"row": n, "value": {...}} per kept row. Rows in oracle.mjs's KNOWN list
// are left out. Test-time tool only; the outputs are committed.
//   node make_goldens.mjs SUITE_DIR OUT_DIR FILE...
import fs from 'node:fs'
import path from 'node:path'
import { KNOWN, oracleRows } from './oracle.mjs'

const [suite, outDir, ...files] = process.argv.slice(2)
fs.mkdirSync(outDir, { recursive: true })
for (const rel of files) {
  const rows = await oracleRows(path.join(suite, rel))
  const keep = rows.length <= 40 ? rows.map((_, i) => i) : [...Array(20).keys(), rows.length - 1]
  const known = KNOWN[path.basename(rel)] ?? {}
  const lines = [JSON.stringify({ rows: rows.length })]
  for (const i of keep) if (!known[i + 1]) lines.push(JSON.stringify({ row: i + 1, value: rows[i] }))
  fs.writeFileSync(path.join(outDir, path.basename(rel) + '.jsonl'), lines.join('\n') + '\n')
}
