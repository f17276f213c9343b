// Writes the small Parquet fixtures of the CLI cases and unit tests with parquet-wasm (arrow-rs compiled to
// WebAssembly), an independent writer. Test-time tool only; the outputs are committed.
//   cd <tools folder with tests/parquet/package.json installed> && node make_fixtures.mjs REPO
import fs from 'node:fs'
import path from 'node:path'
import * as arrow from 'apache-arrow'
import * as pw from 'parquet-wasm/esm/parquet_wasm.js'

const repo = process.argv[2]
if (!repo) throw new Error('usage: node make_fixtures.mjs REPO')
const wasm = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm')
await pw.default({ module_or_path: fs.readFileSync(wasm) })

function write(rel, table, { compression = pw.Compression.SNAPPY, rowGroup = 1024, v2 = false, dict = true } = {}) {
  let b = new pw.WriterPropertiesBuilder().setCompression(compression).setMaxRowGroupSize(rowGroup)
    .setDictionaryEnabled(dict)
  if (v2) b = b.setWriterVersion(pw.WriterVersion.V2)
  const bytes = pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), b.build())
  const out = path.join(repo, rel)
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, bytes)
  console.log(`${rel}: ${bytes.length} bytes`)
}

const utf8 = new arrow.Utf8()
const col = (values, type) => arrow.vectorFromArray(values, type)
// A column built from raw storage values (arrow's builders take milliseconds for every time unit).
function raw(type, values, Storage) {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8))
  values.forEach((v, i) => { if (v !== null) bitmap[i >> 3] |= 1 << (i & 7) })
  const data = new Storage(values.map(v => v ?? (Storage === BigInt64Array ? 0n : 0)))
  return arrow.makeVector(arrow.makeData({ type, length: values.length, nullCount: values.filter(v => v === null).length,
    data, nullBitmap: bitmap }))
}

// Question/answer table: convert --to chat.
const qa = [
  ['What is 2+2?', '4'],
  ['Capital of France?', 'Paris'],
  ['Say "hi" on two lines', 'hi\nhi'],
  ['Translate: 猫', 'cat'],
  ['Largest planet?', 'Jupiter'],
  ['Boiling point of water at sea level, in °C?', '100'],
]
const qaTable = new arrow.Table({
  id: col(qa.map((_, i) => BigInt(i + 1)), new arrow.Int64()),
  question: col(qa.map(r => r[0]), utf8),
  answer: col(qa.map(r => r[1]), utf8),
})
write('tests/cli/convert/parquet_chat/data.parquet', qaTable, { rowGroup: 4 })
write('tests/cli/convert/parquet_columns_rows/data.parquet', qaTable, { rowGroup: 2, compression: pw.Compression.ZSTD })

// Chat rows as Hugging Face stores them: messages list<struct<role, content>>.
const msg = new arrow.Struct([new arrow.Field('role', utf8, true), new arrow.Field('content', utf8, true)])
const chats = [
  [['system', 'You are terse.'], ['user', 'What is 2+2?'], ['assistant', '4']],
  [['user', 'Capital of France?'], ['assistant', 'Paris']],
  [['user', 'Name a prime.'], ['assistant', '7'], ['user', 'Another?'], ['assistant', '11']],
  [['user', 'Who are you?'], ['robot', 'A model.']],
  [['user', 'Only a question']],
]
const chatTable = new arrow.Table({
  messages: col(chats.map(c => c.map(([role, content]) => ({ role, content }))), new arrow.List(new arrow.Field('item', msg, true))),
})
write('tests/cli/validate/parquet_openai_chat/data.parquet', chatTable, { rowGroup: 2 })
write('tests/cli/count/parquet_chat/data.parquet', new arrow.Table({ messages: chatTable.getChild('messages').slice(0, 3) }))

// Types: one column per mapping rule, data pages v2 and zstd.
const n = 4
const typesTable = new arrow.Table({
  i8: col([1, -128, null, 127], new arrow.Int8()),
  u16: col([0, 65535, 7, null], new arrow.Uint16()),
  u32: col([0, 4294967295, 1, 2], new arrow.Uint32()),
  u64: col([0n, 18446744073709551615n, 9007199254740992n, 9007199254740991n], new arrow.Uint64()),
  i64: col([-9007199254740993n, 9007199254740991n, -1n, null], new arrow.Int64()),
  f32: col([1.1, NaN, -Infinity, 1.8905403e12], new arrow.Float32()),
  f64: col([0.1, -0, Infinity, 1e300], new arrow.Float64()),
  b: col([true, false, null, true], new arrow.Bool()),
  date: raw(new arrow.DateDay(), [0, -1, 19000, 2932896], Int32Array),
  ts_ms_utc: raw(new arrow.TimestampMillisecond('UTC'), [0n, 1700000000123n, -1n, null], BigInt64Array),
  ts_us: raw(new arrow.TimestampMicrosecond(), [0n, 1700000000123456n, -1n, 253402300799999999n], BigInt64Array),
  ts_ns: raw(new arrow.TimestampNanosecond(), [0n, 1700000000123456789n, -1n, null], BigInt64Array),
  t_ms: raw(new arrow.TimeMillisecond(), [0, 1000, 86399999, null], Int32Array),
  t_us: raw(new arrow.TimeMicrosecond(), [0n, 1500000n, 86399999999n, 1n], BigInt64Array),
  bin: col([new Uint8Array([0, 1, 2]), new Uint8Array([255]), null, new Uint8Array([])], new arrow.Binary()),
  s: col(['a', 'b', 'a', null], new arrow.Dictionary(utf8, new arrow.Int32())),
  nested: col([[[1, 2], [3]], [], null, [[], null, [4]]], new arrow.List(new arrow.Field('item', new arrow.List(new arrow.Field('item', new arrow.Int32(), true)), true))),
  st: col([{ a: 1, b: { c: 'x' } }, { a: null, b: null }, null, { a: 4, b: { c: null } }],
    new arrow.Struct([new arrow.Field('a', new arrow.Int32(), true),
      new arrow.Field('b', new arrow.Struct([new arrow.Field('c', utf8, true)]), true)])),
})
if (typesTable.numRows !== n) throw new Error('row count')
write('tests/cli/convert/parquet_types/data.parquet', typesTable, { compression: pw.Compression.ZSTD, v2: true })
