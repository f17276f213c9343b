// Thrift compact protocol, as specified in Thrift's doc/specs/thrift-compact-protocol.md: varints are
// ULEB128, signed integers zigzag-encoded, field ids delta-coded against the previous one in the struct.
#include "thrift_compact.h"

#include <cstring>

namespace ftprep::parquet {

namespace {
constexpr int kMaxDepth = 48;  // Parquet's own structures nest 5 deep; this leaves room for extensions
}

void ThriftReader::Fail(const std::string& why) {
  if (error_.empty()) error_ = why + " (at byte " + std::to_string(consumed()) + " of the Thrift data)";
  p_ = end_;
}

uint8_t ThriftReader::Byte() {
  if (p_ >= end_) {
    Fail("truncated Thrift data");
    return 0;
  }
  return *p_++;
}

uint64_t ThriftReader::Varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    uint8_t b = Byte();
    if (!ok()) return 0;
    if (shift == 63 && b > 1) break;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  Fail("a Thrift varint is longer than 64 bits");
  return 0;
}

void ThriftReader::BeginStruct() {
  if (++depth_ >= kMaxDepth) {
    Fail("Thrift structures nest too deeply");
    return;
  }
  last_id_[depth_] = 0;
}

void ThriftReader::EndStruct() {
  if (depth_ > 0) --depth_;
}

bool ThriftReader::NextField(int16_t* id, uint8_t* type) {
  if (!ok()) return false;
  uint8_t h = Byte();
  if (!ok()) return false;
  *type = h & 0x0f;
  if (*type == kStop) return false;
  uint8_t delta = h >> 4;
  if (delta != 0) {
    *id = static_cast<int16_t>(last_id_[depth_] + delta);
  } else {
    uint64_t z = Varint();
    *id = static_cast<int16_t>(static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1));
  }
  last_id_[depth_] = *id;
  if (*type == kTrue || *type == kFalse) bool_value_ = *type;
  if (*type > kStruct) {
    Fail("unknown Thrift type " + std::to_string(*type));
    return false;
  }
  return ok();
}

int64_t ThriftReader::ReadInt(uint8_t type) {
  if (type == kByte) return static_cast<int8_t>(Byte());
  if (type != kI16 && type != kI32 && type != kI64) {
    Fail("expected an integer, found Thrift type " + std::to_string(type));
    return 0;
  }
  uint64_t z = Varint();
  return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
}

bool ThriftReader::ReadBool(uint8_t type) {
  if (type == kTrue) return true;
  if (type == kFalse) return false;
  if (type == kByte || type == 0xff) return Byte() == 1;  // list element
  Fail("expected a boolean, found Thrift type " + std::to_string(type));
  return false;
}

double ThriftReader::ReadDouble() {
  if (end_ - p_ < 8) {
    Fail("truncated Thrift data");
    return 0;
  }
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(p_[i]) << (8 * i);
  p_ += 8;
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

std::string_view ThriftReader::ReadBinary() {
  uint64_t n = Varint();
  if (!ok()) return {};
  if (n > static_cast<uint64_t>(end_ - p_)) {
    Fail("a Thrift string runs past the end of its data");
    return {};
  }
  std::string_view s(reinterpret_cast<const char*>(p_), n);
  p_ += n;
  return s;
}

uint32_t ThriftReader::ReadListHeader(uint8_t* elem_type) {
  uint8_t h = Byte();
  *elem_type = h & 0x0f;
  uint64_t n = h >> 4;
  if (n == 15) n = Varint();
  if (!ok()) return 0;
  // Every element takes at least one byte (bools included), so a count beyond the bytes left is a lie.
  if (n > static_cast<uint64_t>(end_ - p_)) {
    Fail("a Thrift list claims " + std::to_string(n) + " elements, more than the bytes left");
    return 0;
  }
  return static_cast<uint32_t>(n);
}

void ThriftReader::Skip(uint8_t type) {
  if (!ok()) return;
  switch (type) {
    case kTrue:
    case kFalse:
      return;
    case kByte:
      Byte();
      return;
    case kI16:
    case kI32:
    case kI64:
      Varint();
      return;
    case kF64:
      ReadDouble();
      return;
    case kBinary:
      ReadBinary();
      return;
    case kList:
    case kSet: {
      uint8_t et;
      uint32_t n = ReadListHeader(&et);
      if (et == kTrue || et == kFalse) et = kByte;  // list bools are one byte each
      for (uint32_t i = 0; i < n && ok(); ++i) Skip(et);
      return;
    }
    case kMap: {
      uint64_t n = Varint();
      if (n == 0) return;
      uint8_t kv = Byte();
      if (n > static_cast<uint64_t>(end_ - p_)) {
        Fail("a Thrift map claims more entries than the bytes left");
        return;
      }
      uint8_t kt = kv >> 4, vt = kv & 0x0f;
      if (kt == kTrue || kt == kFalse) kt = kByte;
      if (vt == kTrue || vt == kFalse) vt = kByte;
      for (uint64_t i = 0; i < n && ok(); ++i) {
        Skip(kt);
        Skip(vt);
      }
      return;
    }
    case kStruct: {
      BeginStruct();
      int16_t id;
      uint8_t t;
      while (NextField(&id, &t)) Skip(t);
      EndStruct();
      return;
    }
    default:
      Fail("unknown Thrift type " + std::to_string(type));
  }
}

}  // namespace ftprep::parquet
