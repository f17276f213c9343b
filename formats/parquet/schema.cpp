// The schema tree, the list/map shapes of parquet-format's LogicalTypes.md (with its backward-compatibility
// rules for 2-level lists) and the choice of how each leaf prints.
#include "schema.h"

#include <string_view>

#include "utf8.h"  // core/

namespace ftprep::parquet {
namespace {

constexpr int kMaxDepth = 100;

bool IsStringish(const SchemaElement& e) {
  if (e.logical == kLtString || e.logical == kLtEnum || e.logical == kLtJson) return true;
  if (e.logical != kLtNone) return false;
  return e.converted == kCtUtf8 || e.converted == kCtEnum || e.converted == kCtJson;
}

bool IsList(const SchemaElement& e) { return e.logical == kLtList || (e.logical == kLtNone && e.converted == kCtList); }
bool IsMap(const SchemaElement& e) {
  return e.logical == kLtMap || e.converted == kCtMap || e.converted == kCtMapKeyValue;
}

void ChooseKind(const SchemaElement& e, LeafInfo* l) {
  const int32_t t = e.type;
  const bool bytes = t == kByteArray || t == kFixedLenByteArray;
  l->kind = t == kBoolean ? Kind::kBool
            : t == kInt32 ? Kind::kInt32
            : t == kInt64 ? Kind::kInt64
            : t == kInt96 ? Kind::kInt96
            : t == kFloat ? Kind::kFloat
            : t == kDouble ? Kind::kDouble
                           : Kind::kBinary;
  const bool ints = t == kInt32 || t == kInt64;
  if (bytes && IsStringish(e)) {
    l->kind = Kind::kString;
    return;
  }
  switch (e.logical) {
    case kLtDecimal:
      if (ints || bytes) {
        l->kind = Kind::kDecimal;
        l->scale = e.lt_scale;
      }
      return;
    case kLtDate:
      if (t == kInt32) l->kind = Kind::kDate;
      return;
    case kLtTime:
      if ((t == kInt32 && e.unit == kMillis) || (t == kInt64 && (e.unit == kMicros || e.unit == kNanos))) {
        l->kind = Kind::kTime;
        l->unit = e.unit;
      }
      return;
    case kLtTimestamp:
      if (t == kInt64 && e.unit >= kMillis && e.unit <= kNanos) {
        l->kind = Kind::kTimestamp;
        l->unit = e.unit;
        l->utc = e.utc;
      }
      return;
    case kLtInteger:
      if (!e.int_signed) l->kind = t == kInt32 ? Kind::kUint32 : t == kInt64 ? Kind::kUint64 : l->kind;
      return;
    case kLtUnknown:
      l->kind = Kind::kNull;
      return;
    case kLtUuid:
      if (t == kFixedLenByteArray && e.type_length == 16) l->kind = Kind::kUuid;
      return;
    case kLtFloat16:
      if (t == kFixedLenByteArray && e.type_length == 2) l->kind = Kind::kFloat16;
      return;
    case kLtNone:
      break;
    default:
      return;  // BSON, or a logical type from the future: the physical type decides
  }
  switch (e.converted) {
    case kCtDecimal:
      if (ints || bytes) {
        l->kind = Kind::kDecimal;
        l->scale = e.scale;
      }
      return;
    case kCtDate:
      if (t == kInt32) l->kind = Kind::kDate;
      return;
    case kCtTimeMillis:
    case kCtTimeMicros:
      if ((t == kInt32) == (e.converted == kCtTimeMillis) && ints) {
        l->kind = Kind::kTime;
        l->unit = e.converted == kCtTimeMillis ? kMillis : kMicros;
      }
      return;
    case kCtTimestampMillis:
    case kCtTimestampMicros:
      if (t == kInt64) {
        l->kind = Kind::kTimestamp;
        l->unit = e.converted == kCtTimestampMillis ? kMillis : kMicros;
        l->utc = true;
      }
      return;
    case kCtUint8:
    case kCtUint16:
    case kCtUint32:
      if (t == kInt32) l->kind = Kind::kUint32;
      return;
    case kCtUint64:
      if (t == kInt64) l->kind = Kind::kUint64;
      return;
    default:
      return;
  }
}

struct Builder {
  const std::vector<SchemaElement>& el;
  Schema* s;
  size_t next = 1;
  std::string error;

  // Builds node for element `i` (already consumed) under parent levels; returns the node index or -1.
  int Build(size_t i, uint16_t def, uint16_t rep, const std::string& prefix, int depth) {
    if (depth > kMaxDepth) {
      error = "the schema nests deeper than " + std::to_string(kMaxDepth) + " levels";
      return -1;
    }
    const SchemaElement& e = el[i];
    int idx = static_cast<int>(s->nodes.size());
    s->nodes.emplace_back();
    {
      Node& n = s->nodes.back();
      n.e = &e;
      n.repetition = depth == 0 ? kRequired : e.repetition;
      if (n.repetition < kRequired || n.repetition > kRepeated) {
        error = "field '" + prefix + e.name + "' has an unknown repetition " + std::to_string(e.repetition);
        return -1;
      }
      n.def = static_cast<uint16_t>(def + (n.repetition != kRequired));
      n.rep = static_cast<uint16_t>(rep + (n.repetition == kRepeated));
      n.key = "\"";
      if (!IsUtf8(e.name.data(), e.name.size())) {
        error = "a field name is not valid UTF-8";
        return -1;
      }
      AppendJsonEscaped(e.name.data(), e.name.size(), &n.key);
      n.key += "\":";
    }
    std::string path = depth == 0 ? "" : prefix + e.name;
    if (e.num_children < 0) {
      error = "field '" + path + "' has a negative child count";
      return -1;
    }
    if (e.num_children == 0 && depth > 0 && e.type >= 0) {
      if (e.type > kFixedLenByteArray) {
        error = "column '" + path + "' has an unknown physical type " + std::to_string(e.type);
        return -1;
      }
      if (e.type == kFixedLenByteArray && e.type_length < 0) {
        error = "column '" + path + "' has a negative fixed length";
        return -1;
      }
      LeafInfo l;
      l.path = path;
      l.node = idx;
      l.physical = e.type;
      l.max_def = s->nodes[idx].def;
      l.max_rep = s->nodes[idx].rep;
      ChooseKind(e, &l);
      s->nodes[idx].leaf = static_cast<int>(s->leaves.size());
      s->nodes[idx].leaves.push_back(s->nodes[idx].leaf);
      s->leaves.push_back(std::move(l));
      return idx;
    }
    if (e.num_children == 0 && depth > 0 && e.type < 0) {
      error = "field '" + path + "' has neither a type nor children";
      return -1;
    }
    s->nodes[idx].shape = Shape::kObject;
    for (int32_t c = 0; c < e.num_children; ++c) {
      if (next >= el.size()) {
        error = "the schema's child counts exceed its " + std::to_string(el.size()) + " elements";
        return -1;
      }
      size_t ci = next++;
      int child = Build(ci, s->nodes[idx].def, s->nodes[idx].rep, path.empty() ? "" : path + ".", depth + 1);
      if (child < 0) return -1;
      s->nodes[idx].children.push_back(child);
      const auto& cl = s->nodes[child].leaves;
      s->nodes[idx].leaves.insert(s->nodes[idx].leaves.end(), cl.begin(), cl.end());
    }
    SetShape(idx);
    return idx;
  }

  // LIST and MAP shapes, with the spec's backward-compatibility rules; anything that does not fit stays a
  // plain object (and its repeated fields arrays).
  void SetShape(int idx) {
    Node& n = s->nodes[idx];
    if (n.children.size() != 1) return;
    Node& r = s->nodes[n.children[0]];
    if (r.repetition != kRepeated) return;
    if (IsList(*n.e)) {
      n.shape = Shape::kList;
      const std::string& rn = r.e->name;
      if (r.leaf >= 0 || r.children.size() != 1 || rn == "array" || rn == n.e->name + "_tuple") {
        r.elem = Elem::kSelf;
      } else {
        r.elem = Elem::kChild;
      }
    } else if (IsMap(*n.e) && r.leaf < 0 && (r.children.size() == 1 || r.children.size() == 2)) {
      n.shape = Shape::kMap;
      const LeafInfo* key = s->nodes[r.children[0]].leaf >= 0 ? &s->leaves[s->nodes[r.children[0]].leaf] : nullptr;
      if (r.children.size() == 1) {
        r.elem = Elem::kMapKey;
      } else if (key && key->kind == Kind::kString) {
        r.elem = Elem::kMapEntry;
      } else {
        r.elem = Elem::kMapPair;
      }
    }
  }
};

}  // namespace

Status BuildSchema(const std::vector<SchemaElement>& elements, Schema* out) {
  if (elements.empty()) return DataError("the file has no schema");
  out->nodes.reserve(elements.size());
  Builder b{elements, out, 1, {}};
  if (elements[0].num_children <= 0) return DataError("the schema has no columns");
  if (b.Build(0, 0, 0, "", 0) < 0) return DataError("corrupt schema: " + b.error);
  if (b.next != elements.size()) {
    return DataError("corrupt schema: " + std::to_string(elements.size() - b.next) +
                     " elements are not reached from the root");
  }
  return Status::Ok();
}

void AppendJsonEscaped(const char* s, size_t n, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      default:
        *out += "\\u00";
        *out += kHex[c >> 4];
        *out += kHex[c & 15];
    }
  }
  out->append(s + run, n - run);
}

bool IsUtf8(const char* str, size_t n) { return IsValidUtf8(std::string_view(str, n)); }

void AppendBase64(const char* str, size_t n, std::string* out) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char* s = reinterpret_cast<const unsigned char*>(str);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8) | s[i + 2];
    *out += kAlphabet[v >> 18];
    *out += kAlphabet[(v >> 12) & 63];
    *out += kAlphabet[(v >> 6) & 63];
    *out += kAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{s[i]} << 16;
    *out += kAlphabet[v >> 18];
    *out += kAlphabet[(v >> 12) & 63];
    *out += "==";
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8);
    *out += kAlphabet[v >> 18];
    *out += kAlphabet[(v >> 12) & 63];
    *out += kAlphabet[(v >> 6) & 63];
    *out += '=';
  }
}

}  // namespace ftprep::parquet
