// The peer of the benchmark: parquet-wasm (arrow-rs in WebAssembly) reads the same file in Node.
//   node peer.mjs FILE decode        -> readParquet into an Arrow table (decoding only)
//   node peer.mjs FILE jsonl OUT     -> the same, then one JSON object per row written to OUT
// Prints "seconds rows" on stdout (time inside the process, after the module is loaded).
import fs from 'node:fs'
import path from 'node:path'
import * as arrow from 'apache-arrow'
import * as pw from 'parquet-wasm/esm/parquet_wasm.js'

const [file, mode, out] = process.argv.slice(2)
await pw.default({ module_or_path: fs.readFileSync(path.join(process.cwd(), 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm')) })
const t0 = process.hrtime.bigint()
const bytes = fs.readFileSync(file)
const wasmTable = pw.readParquet(bytes)
let rows = '-'
if (mode === 'jsonl') {
  const table = arrow.tableFromIPC(wasmTable.intoIPCStream())
  rows = table.numRows
  const fd = fs.openSync(out, 'w')
  let buf = []
  let size = 0
  for (const batch of table.batches) {
    for (let i = 0; i < batch.numRows; i++) {
      const line = JSON.stringify(batch.get(i), (k, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\n'
      buf.push(line)
      size += line.length
      if (size > 1 << 20) {
        fs.writeSync(fd, buf.join(''))
        buf = []
        size = 0
      }
    }
  }
  fs.writeSync(fd, buf.join(''))
  fs.closeSync(fd)
}
console.log(`${Number(process.hrtime.bigint() - t0) / 1e9} ${rows}`)
