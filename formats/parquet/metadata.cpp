// Decoders of the Parquet metadata structures, by field id (parquet-format's specification). A field of an
// unexpected Thrift type is skipped rather than trusted, so odd writers (a Dremio footer with a field
// written as another type) read as long as what matters is intact.
#include "metadata.h"

#include <limits>

#include "thrift_compact.h"

namespace ftprep::parquet {
namespace {

bool IsInt(uint8_t t) { return t == kByte || t == kI16 || t == kI32 || t == kI64; }

template <typename T>
void Int(ThriftReader& r, uint8_t t, T* out) {
  if (!IsInt(t)) {
    r.Skip(t);
    return;
  }
  int64_t v = r.ReadInt(t);
  if (v < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
      v > static_cast<int64_t>(std::numeric_limits<T>::max())) {
    r.Fail("a metadata integer is out of range");
    return;
  }
  *out = static_cast<T>(v);
}

void Bool(ThriftReader& r, uint8_t t, bool* out) {
  if (t == kTrue || t == kFalse) {
    *out = r.ReadBool(t);
  } else {
    r.Skip(t);
  }
}

void Str(ThriftReader& r, uint8_t t, std::string* out) {
  if (t != kBinary) {
    r.Skip(t);
    return;
  }
  *out = std::string(r.ReadBinary());
}

// A struct whose fields are all skipped except those `fn(id, type)` handles (returns true when it did).
template <typename F>
void Struct(ThriftReader& r, uint8_t t, F fn) {
  if (t != kStruct) {
    r.Skip(t);
    return;
  }
  r.BeginStruct();
  int16_t id;
  uint8_t ft;
  while (r.NextField(&id, &ft)) {
    if (!fn(id, ft)) r.Skip(ft);
  }
  r.EndStruct();
}

// A list of structs, each parsed by fn(index, elem_type).
template <typename F>
void List(ThriftReader& r, uint8_t t, F fn) {
  if (t != kList && t != kSet) {
    r.Skip(t);
    return;
  }
  uint8_t et;
  uint32_t n = r.ReadListHeader(&et);
  for (uint32_t i = 0; i < n && r.ok(); ++i) fn(i, n, et);
}

void ParseLogical(ThriftReader& r, uint8_t t, SchemaElement* e) {
  Struct(r, t, [&](int16_t id, uint8_t ft) {
    switch (id) {
      case kLtString:
      case kLtMap:
      case kLtList:
      case kLtEnum:
      case kLtDate:
      case kLtUnknown:
      case kLtJson:
      case kLtBson:
      case kLtUuid:
      case kLtFloat16:
        e->logical = id;
        return false;  // an empty struct: skipped
      case kLtDecimal:
        e->logical = id;
        Struct(r, ft, [&](int16_t f, uint8_t tt) {
          if (f == 1) Int(r, tt, &e->lt_scale);
          return f == 1;
        });
        return true;
      case kLtTime:
      case kLtTimestamp:
        e->logical = id;
        Struct(r, ft, [&](int16_t f, uint8_t tt) {
          if (f == 1) {
            Bool(r, tt, &e->utc);
            return true;
          }
          if (f == 2) {
            Struct(r, tt, [&](int16_t u, uint8_t) {
              e->unit = u;
              return false;
            });
            return true;
          }
          return false;
        });
        return true;
      case kLtInteger:
        e->logical = id;
        Struct(r, ft, [&](int16_t f, uint8_t tt) {
          if (f == 1) Int(r, tt, &e->int_bits);
          if (f == 2) Bool(r, tt, &e->int_signed);
          return f == 1 || f == 2;
        });
        return true;
      default:
        e->logical = kLtOther;
        return false;
    }
  });
}

void ParseSchemaElement(ThriftReader& r, uint8_t t, SchemaElement* e) {
  Struct(r, t, [&](int16_t id, uint8_t ft) {
    switch (id) {
      case 1:
        Int(r, ft, &e->type);
        return true;
      case 2:
        Int(r, ft, &e->type_length);
        return true;
      case 3:
        Int(r, ft, &e->repetition);
        e->has_repetition = true;
        return true;
      case 4:
        Str(r, ft, &e->name);
        return true;
      case 5:
        Int(r, ft, &e->num_children);
        return true;
      case 6:
        Int(r, ft, &e->converted);
        return true;
      case 7:
        Int(r, ft, &e->scale);
        return true;
      case 8:
        Int(r, ft, &e->precision);
        return true;
      case 10:
        ParseLogical(r, ft, e);
        return true;
      default:
        return false;
    }
  });
}

void ParseColumnMeta(ThriftReader& r, uint8_t t, ColumnChunkMeta* c) {
  c->has_meta = true;
  Struct(r, t, [&](int16_t id, uint8_t ft) {
    switch (id) {
      case 1:
        Int(r, ft, &c->type);
        return true;
      case 3:
        List(r, ft, [&](uint32_t, uint32_t n, uint8_t et) {
          if (c->path.capacity() < n) c->path.reserve(n);
          std::string s;
          Str(r, et, &s);
          c->path.push_back(std::move(s));
        });
        return true;
      case 4:
        Int(r, ft, &c->codec);
        return true;
      case 5:
        Int(r, ft, &c->num_values);
        return true;
      case 7:
        Int(r, ft, &c->total_compressed_size);
        return true;
      case 9:
        Int(r, ft, &c->data_page_offset);
        return true;
      case 11:
        Int(r, ft, &c->dictionary_page_offset);
        return true;
      default:
        return false;
    }
  });
}

void ParseColumnChunk(ThriftReader& r, uint8_t t, ColumnChunkMeta* c) {
  Struct(r, t, [&](int16_t id, uint8_t ft) {
    switch (id) {
      case 1: {
        std::string p;
        Str(r, ft, &p);
        c->external = !p.empty();
        return true;
      }
      case 3:
        ParseColumnMeta(r, ft, c);
        return true;
      case 8:
      case 9:
        c->encrypted = true;
        return false;
      default:
        return false;
    }
  });
}

void ParseRowGroup(ThriftReader& r, uint8_t t, RowGroupMeta* g) {
  Struct(r, t, [&](int16_t id, uint8_t ft) {
    if (id == 1) {
      List(r, ft, [&](uint32_t, uint32_t n, uint8_t et) {
        if (g->columns.capacity() < n) g->columns.reserve(n);
        g->columns.emplace_back();
        ParseColumnChunk(r, et, &g->columns.back());
      });
      return true;
    }
    if (id == 3) {
      Int(r, ft, &g->num_rows);
      return true;
    }
    return false;
  });
}

}  // namespace

Status ParseFileMeta(const uint8_t* data, size_t size, FileMeta* out) {
  ThriftReader r(data, size);
  Struct(r, kStruct, [&](int16_t id, uint8_t ft) {
    switch (id) {
      case 2:
        List(r, ft, [&](uint32_t, uint32_t n, uint8_t et) {
          if (out->schema.capacity() < n) out->schema.reserve(n);
          out->schema.emplace_back();
          ParseSchemaElement(r, et, &out->schema.back());
        });
        return true;
      case 3:
        Int(r, ft, &out->num_rows);
        return true;
      case 4:
        List(r, ft, [&](uint32_t, uint32_t n, uint8_t et) {
          if (out->row_groups.capacity() < n) out->row_groups.reserve(n);
          out->row_groups.emplace_back();
          ParseRowGroup(r, et, &out->row_groups.back());
        });
        return true;
      case 6:
        Str(r, ft, &out->created_by);
        return true;
      case 8:
        out->encrypted = true;
        return false;
      default:
        return false;
    }
  });
  if (!r.ok()) return DataError("corrupt file metadata: " + r.error());
  return Status::Ok();
}

Status ParsePageHeader(const uint8_t* data, size_t size, PageHeader* h, size_t* header_size) {
  ThriftReader r(data, size);
  Struct(r, kStruct, [&](int16_t id, uint8_t ft) {
    switch (id) {
      case 1:
        Int(r, ft, &h->type);
        return true;
      case 2:
        Int(r, ft, &h->uncompressed_size);
        return true;
      case 3:
        Int(r, ft, &h->compressed_size);
        return true;
      case 4: {
        int32_t crc = 0;
        Int(r, ft, &crc);
        h->crc = static_cast<uint32_t>(crc);
        h->has_crc = true;
        return true;
      }
      case 5:  // DataPageHeader
      case 7:  // DictionaryPageHeader
        h->has_header = true;
        Struct(r, ft, [&](int16_t f, uint8_t tt) {
          if (f == 1) Int(r, tt, &h->num_values);
          if (f == 2) Int(r, tt, &h->encoding);
          if (id == 5 && f == 3) Int(r, tt, &h->def_encoding);
          if (id == 5 && f == 4) Int(r, tt, &h->rep_encoding);
          return f == 1 || f == 2 || (id == 5 && (f == 3 || f == 4));
        });
        return true;
      case 8:  // DataPageHeaderV2
        h->has_header = true;
        Struct(r, ft, [&](int16_t f, uint8_t tt) {
          switch (f) {
            case 1:
              Int(r, tt, &h->num_values);
              return true;
            case 2:
              Int(r, tt, &h->num_nulls);
              return true;
            case 3:
              Int(r, tt, &h->num_rows);
              return true;
            case 4:
              Int(r, tt, &h->encoding);
              return true;
            case 5:
              Int(r, tt, &h->def_bytes);
              return true;
            case 6:
              Int(r, tt, &h->rep_bytes);
              return true;
            case 7:
              Bool(r, tt, &h->is_compressed);
              return true;
            default:
              return false;
          }
        });
        return true;
      default:
        return false;
    }
  });
  if (!r.ok()) return DataError("corrupt page header: " + r.error());
  *header_size = r.consumed();
  return Status::Ok();
}

const char* CodecName(int32_t codec) {
  static const char* kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
  return codec >= 0 && codec < 8 ? kNames[codec] : "unknown";
}

const char* EncodingName(int32_t e) {
  static const char* kNames[] = {"PLAIN",
                                 "GROUP_VAR_INT",
                                 "PLAIN_DICTIONARY",
                                 "RLE",
                                 "BIT_PACKED",
                                 "DELTA_BINARY_PACKED",
                                 "DELTA_LENGTH_BYTE_ARRAY",
                                 "DELTA_BYTE_ARRAY",
                                 "RLE_DICTIONARY",
                                 "BYTE_STREAM_SPLIT"};
  return e >= 0 && e < 10 ? kNames[e] : "unknown";
}

}  // namespace ftprep::parquet
