// formats/parquet/schema.h — the schema tree rebuilt from the footer's flattened list, with each node's
// definition and repetition levels, how it maps to JSON (object, array, map, value) and, per leaf, how its
// values print (the JSON mapping of README.md).
#ifndef FTPREP_FORMATS_PARQUET_SCHEMA_H_
#define FTPREP_FORMATS_PARQUET_SCHEMA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ftprep/status.h"
#include "metadata.h"

namespace ftprep::parquet {

// How a leaf's values print.
enum class Kind : uint8_t {
  kBool,
  kInt32,
  kUint32,
  kInt64,
  kUint64,
  kFloat,
  kDouble,
  kFloat16,
  kString,  // UTF-8 text (base64 when a value is not valid UTF-8)
  kBinary,  // base64
  kDecimal,
  kDate,
  kTime,
  kTimestamp,
  kInt96,
  kUuid,
  kNull,  // the UNKNOWN ("always null") logical type
};

// How a group maps to JSON.
enum class Shape : uint8_t {
  kValue,    // a leaf
  kObject,   // a struct
  kList,     // LIST: an array of the repeated child's elements
  kMap,      // MAP: an object (string keys) or an array of {"key","value"}
};

// How the elements of a repeated node print.
enum class Elem : uint8_t {
  kSelf,      // the node itself (a value or an object)
  kChild,     // its only child (3-level LIST)
  kMapEntry,  // "key": value of an object
  kMapPair,   // {"key": k, "value": v}
  kMapKey,    // a MAP without values: the key
};

struct Node {
  const SchemaElement* e = nullptr;
  std::string key;  // the JSON-escaped name with quotes and colon: "\"name\":"
  int32_t repetition = kRequired;
  uint16_t def = 0;  // definition level at which this node is present
  uint16_t rep = 0;  // repetition level of this node's own repetition
  std::vector<int> children;
  std::vector<int> leaves;  // leaf indices under this node, in column order
  int leaf = -1;            // for a leaf node: its column index
  Shape shape = Shape::kValue;
  Elem elem = Elem::kSelf;  // for repeated nodes
};

struct LeafInfo {
  std::string path;  // dotted
  int node = -1;
  Kind kind = Kind::kBinary;
  int32_t physical = 0;
  int32_t scale = 0;
  int32_t unit = 0;  // TimeUnit
  bool utc = false;
  uint16_t max_def = 0, max_rep = 0;
};

struct Schema {
  std::vector<Node> nodes;  // nodes[0] is the root
  std::vector<LeafInfo> leaves;
};

// Builds the tree; refuses a schema whose child counts do not add up, that nests deeper than 100, or
// whose leaves lack a physical type.
Status BuildSchema(const std::vector<SchemaElement>& elements, Schema* out);

// Appends `s` JSON-escaped (no quotes). The caller has checked it is valid UTF-8.
void AppendJsonEscaped(const char* s, size_t n, std::string* out);
bool IsUtf8(const char* s, size_t n);
void AppendBase64(const char* s, size_t n, std::string* out);

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_SCHEMA_H_
