// Writes a snappy Parquet file of chat rows as Hugging Face datasets hold them (id int64, source string,
// messages list<struct<role, content>>), in row groups of 25,000 rows, with parquet-wasm.
//   node make_chat.mjs OUT.parquet ROWS
import fs from 'node:fs'
import path from 'node:path'
import * as arrow from 'apache-arrow'
import * as pw from 'parquet-wasm/esm/parquet_wasm.js'

const [out, rowsArg] = process.argv.slice(2)
const rows = Number(rowsArg)
const wasm = path.join(process.cwd(), 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm')
await pw.default({ module_or_path: fs.readFileSync(wasm) })

let seed = 42
const rand = () => {  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const words = []
for (let i = 0; i < 4000; i++) {
  let w = ''
  const n = 2 + Math.floor(rand() * 9)
  for (let k = 0; k < n; k++) w += String.fromCharCode(97 + Math.floor(rand() * 26))
  words.push(w)
}
words.push('naïve', 'café', '日本語', '"quoted"', 'tab\there', 'line\nbreak')
const sentence = n => {
  const parts = []
  for (let i = 0; i < n; i++) parts.push(words[Math.floor(rand() * words.length)])
  return parts.join(' ')
}
const ids = new BigInt64Array(rows)
const sources = []
const messages = []
for (let i = 0; i < rows; i++) {
  ids[i] = BigInt(i)
  sources.push(['web', 'books', 'forum', 'code'][i % 4])
  const turns = [{ role: 'system', content: 'You are a helpful assistant.' }]
  const k = 1 + Math.floor(rand() * 3)
  for (let t = 0; t < k; t++) {
    turns.push({ role: 'user', content: sentence(10 + Math.floor(rand() * 40)) })
    turns.push({ role: 'assistant', content: sentence(30 + Math.floor(rand() * 120)) })
  }
  messages.push(turns)
}
const utf8 = new arrow.Utf8()
const msg = new arrow.Struct([new arrow.Field('role', utf8, true), new arrow.Field('content', utf8, true)])
const table = new arrow.Table({
  id: arrow.vectorFromArray(ids, new arrow.Int64()),
  source: arrow.vectorFromArray(sources, utf8),
  messages: arrow.vectorFromArray(messages, new arrow.List(new arrow.Field('item', msg, true))),
})
const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setMaxRowGroupSize(25000).build()
fs.writeFileSync(out, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props))
