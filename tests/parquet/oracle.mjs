// Independent oracle for the Parquet reader: reads a file with hyparquet (a separate JavaScript
// implementation of Parquet's pages, encodings, codecs and level assembly) and prints one JSON object per
// row under ftprep's JSON mapping (formats/parquet/README.md). The mapping of values is done here, from raw
// physical values: leaf and MAP annotations are removed from the metadata before hyparquet reads, so its
// own lossy conversions (decimals as doubles, timestamps as milliseconds) never reach the comparison.
//
//   node oracle.mjs FILE.parquet                 -> JSON Lines on stdout
//   node oracle.mjs --compare FILE.parquet OUT   -> compares OUT (ftprep's JSONL) row by row; exit 1 on a diff
import fs from 'node:fs'
import { pathToFileURL } from 'node:url'
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const STRINGISH = new Set(['UTF8', 'ENUM', 'JSON'])
const LT_STRINGISH = new Set(['STRING', 'ENUM', 'JSON'])

function ann(el) {
  return { ct: el.converted_type, lt: el.logical_type }
}

function isList(el) {
  return el.converted_type === 'LIST' || el.logical_type?.type === 'LIST'
}
function isMap(el) {
  return ['MAP', 'MAP_KEY_VALUE'].includes(el.converted_type) || el.logical_type?.type === 'MAP'
}

function bigToJson(v) {
  const lim = 2n ** 53n
  return v < lim && v > -lim ? Number(v) : v.toString()
}

function decimalString(v, scale) {
  const neg = v < 0n
  let digits = (neg ? -v : v).toString()
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0')
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale)
  } else if (scale < 0 && v !== 0n) {
    digits += '0'.repeat(-scale)
  }
  return (neg && v !== 0n ? '-' : '') + digits
}

function bytesToBigSigned(b) {
  let v = 0n
  for (const x of b) v = (v << 8n) | BigInt(x)
  if (b.length && b[0] & 0x80) v -= 1n << BigInt(8 * b.length)
  return v
}

const floorDiv = (a, b) => {
  const q = a / b
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q
}
const pad = (n, w) => String(n).padStart(w, '0')

function dateText(days) {
  const d = new Date(Number(days) * 86400000)
  const y = d.getUTCFullYear()
  const ys = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 6)
  return `${ys}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
}

function timeText(v, perSec, digits) {
  const secs = floorDiv(v, perSec)
  const frac = v - secs * perSec
  const h = floorDiv(secs, 3600n)
  const m = (secs - h * 3600n) / 60n
  const s = secs % 60n
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(frac, digits)}`
}

const UNITS = { MILLIS: [1000n, 3], MICROS: [1000000n, 6], NANOS: [1000000000n, 9] }

function timestampText(v, unit, utc) {
  const [perSec, digits] = UNITS[unit]
  const perDay = perSec * 86400n
  const days = floorDiv(v, perDay)
  return `${dateText(days)}T${timeText(v - days * perDay, perSec, digits)}${utc ? 'Z' : ''}`
}

function nonFinite(x) {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  return null
}

function shortest(x, roundTrip) {
  for (let p = 1; p <= 17; p++) {
    const t = Number(x.toPrecision(p))
    if (roundTrip(t) === x) return t
  }
  return x
}

function halfToNumber(bits) {
  const s = bits >> 15 ? -1 : 1
  const e = (bits >> 10) & 0x1f
  const m = bits & 0x3ff
  if (e === 0) return s * m * 2 ** -24
  if (e === 31) return m ? NaN : s * Infinity
  return s * (1 + m / 1024) * 2 ** (e - 15)
}

function roundToHalf(x) {
  if (!Number.isFinite(x) || x === 0) return x
  const a = Math.abs(x)
  if (a >= 65520) return Math.sign(x) * Infinity
  let e = Math.floor(Math.log2(a))
  if (2 ** e > a) e -= 1
  if (2 ** (e + 1) <= a) e += 1
  const unit = 2 ** (Math.max(e, -14) - 10)
  const q = a / unit
  let r = Math.round(q)
  if (Math.abs(q - Math.trunc(q) - 0.5) < 1e-300 && r % 2 === 1) r -= 1  // ties to even
  return Math.sign(x) * r * unit
}

const textDecoder = new TextDecoder('utf-8', { fatal: true })
function textOrBase64(b) {
  try {
    return textDecoder.decode(b)
  } catch {
    return Buffer.from(b).toString('base64')
  }
}

function leafValue(el, v) {
  if (v === null || v === undefined) return null
  const { ct, lt } = el.__ann
  const t = el.type
  if (lt?.type === 'UNKNOWN') return null
  if (t === 'BOOLEAN') return Boolean(v)
  if (t === 'INT96') {
    const nanos = v.int96
    const perDay = 86400n * 1000000000n
    const days = floorDiv(nanos, perDay)
    return `${dateText(days)}T${timeText(nanos - days * perDay, 1000000000n, 9)}`
  }
  if (t === 'FLOAT') return nonFinite(v) ?? shortest(v, Math.fround)
  if (t === 'DOUBLE') return nonFinite(v) ?? v
  if (t === 'INT32' || t === 'INT64') {
    const b = BigInt(v)
    const dec = lt?.type === 'DECIMAL' ? lt.scale : ct === 'DECIMAL' ? el.__scale : undefined
    if (dec !== undefined) return decimalString(b, dec ?? 0)
    if (lt?.type === 'DATE' || (!lt && ct === 'DATE')) return t === 'INT32' ? dateText(b) : bigToJson(b)
    if (lt?.type === 'TIME') return timeText(b, UNITS[lt.unit][0], UNITS[lt.unit][1])
    if (!lt && ct === 'TIME_MILLIS') return timeText(b, 1000n, 3)
    if (!lt && ct === 'TIME_MICROS') return timeText(b, 1000000n, 6)
    if (lt?.type === 'TIMESTAMP' && t === 'INT64') return timestampText(b, lt.unit, lt.isAdjustedToUTC)
    if (!lt && ct === 'TIMESTAMP_MILLIS') return timestampText(b, 'MILLIS', true)
    if (!lt && ct === 'TIMESTAMP_MICROS') return timestampText(b, 'MICROS', true)
    const unsigned = lt?.type === 'INTEGER' ? !lt.isSigned : !lt && ['UINT_8', 'UINT_16', 'UINT_32', 'UINT_64'].includes(ct)
    if (unsigned) return bigToJson(BigInt.asUintN(t === 'INT32' ? 32 : 64, b))
    return bigToJson(b)
  }
  // Byte arrays.
  const bytes = v instanceof Uint8Array ? v : new TextEncoder().encode(String(v))
  const stringish = lt ? LT_STRINGISH.has(lt.type) : STRINGISH.has(ct)
  if (stringish) return textOrBase64(bytes)
  const dec = lt?.type === 'DECIMAL' ? lt.scale : !lt && ct === 'DECIMAL' ? el.__scale : undefined
  if (dec !== undefined) return decimalString(bytesToBigSigned(bytes), dec ?? 0)
  if (lt?.type === 'UUID' && bytes.length === 16) {
    const h = Buffer.from(bytes).toString('hex')
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
  }
  if (lt?.type === 'FLOAT16' && bytes.length === 2) {
    const x = halfToNumber(bytes[0] | (bytes[1] << 8))
    return nonFinite(x) ?? shortest(x, roundToHalf)
  }
  return Buffer.from(bytes).toString('base64')
}

function listElementNode(node) {
  const rep = node.children[0]
  const n = rep.element.name
  if (!rep.children.length || rep.children.length > 1 || n === 'array' || n === node.element.name + '_tuple') return rep
  return rep.children[0]
}

function present(node, value) {
  const el = node.element
  if (!node.children.length) return leafValue(el, value)
  if (isList(el) && node.children.length === 1 && node.children[0].element.repetition_type === 'REPEATED') {
    const en = listElementNode(node)
    return value.map(x => (en === node.children[0] ? present(en, x) : walk(en, x)))
  }
  if (el.__map && node.children.length === 1) {
    const rep = node.children[0]
    const entries = value[rep.element.name] ?? []
    const [k, val] = rep.children
    if (!val) return entries.map(e => walk(k, e[k.element.name]))
    const kann = k.element.__ann
    const stringKeys = !k.children.length && (k.element.type === 'BYTE_ARRAY' || k.element.type === 'FIXED_LEN_BYTE_ARRAY') &&
      (kann.lt ? LT_STRINGISH.has(kann.lt.type) : STRINGISH.has(kann.ct))
    if (stringKeys) {
      const o = {}
      for (const e of entries) o[String(walk(k, e[k.element.name]))] = walk(val, e[val.element.name])
      return o
    }
    return entries.map(e => ({ key: walk(k, e[k.element.name]), value: walk(val, e[val.element.name]) }))
  }
  const o = {}
  for (const c of node.children) {
    const cv = value[c.element.name]
    o[c.element.name] = c.element.repetition_type === 'REPEATED' ? (cv ?? []).map(x => present(c, x)) : walk(c, cv)
  }
  return o
}

function walk(node, value) {
  if (value === null || value === undefined) return null
  return present(node, value)
}

export async function oracleRows(path) {
  const file = await asyncBufferFromFile(path)
  const metadata = await parquetMetadataAsync(file)
  for (const el of metadata.schema) {
    el.__ann = ann(el)
    el.__scale = el.scale
    if (isMap(el)) {
      el.__map = true
      delete el.converted_type
      delete el.logical_type
    }
    if (el.num_children === undefined || el.type !== undefined) {
      delete el.converted_type
      delete el.logical_type
    }
  }
  const parsers = {
    timestampFromNanoseconds: n => ({ int96: BigInt(n) }),
    timestampFromMilliseconds: n => n,
    timestampFromMicroseconds: n => n,
    dateFromDays: n => n,
    stringFromBytes: b => b,
    jsonFromBytes: b => b,
    uuidFromBytes: b => b,
  }
  const rows = await parquetReadObjects({ file, metadata, compressors, utf8: false, parsers })
  const root = parquetSchema(metadata)
  return rows.map(r => present(root, r))
}

function equal(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b))
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]))
}

// Rows where hyparquet is known to be wrong, with the reason; --compare reports them and does not fail.
export const KNOWN = {
  'int96_from_spark.parquet': {
    6: 'INT96 nanoseconds of 2^63 or more: hyparquet ORs a negative BigInt into the 96-bit value, losing the ' +
      'Julian day; ftprep reads both parts signed, as Spark does',
  },
}

const args = process.argv.slice(2)
const main = import.meta.url === pathToFileURL(process.argv[1]).href
if (!main) {
  // imported (make_goldens.mjs)
} else if (args[0] === '--compare') {
  const [, parquet, out] = args
  const want = await oracleRows(parquet)
  const got = fs.readFileSync(out, 'utf8').split('\n').filter(l => l.length).map(l => JSON.parse(l))
  let bad = 0
  if (want.length !== got.length) {
    console.log(`${parquet}: ${got.length} rows from ftprep, ${want.length} from hyparquet`)
    bad++
  }
  for (let i = 0; i < Math.min(want.length, got.length) && bad < 5; i++) {
    const known = KNOWN[parquet.split('/').pop()]?.[i + 1]
    if (known && !equal(got[i], want[i])) {
      console.log(`${parquet}: row ${i + 1}: known hyparquet difference (${known})`)
      continue
    }
    if (!equal(got[i], want[i])) {
      console.log(`${parquet}: row ${i + 1} differs\n  ftprep:    ${JSON.stringify(got[i])}\n  hyparquet: ${JSON.stringify(want[i])}`)
      bad++
    }
  }
  process.exit(bad ? 1 : 0)
} else if (args.length === 1) {
  for (const r of await oracleRows(args[0])) console.log(JSON.stringify(r))
}
