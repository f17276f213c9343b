// The file level: footer, row groups, and record assembly (Dremel's algorithm, written for JSON output:
// each node looks at the levels of the first column under it to tell null, empty and present apart).
#include "parquet_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "codec.h"
#include "values.h"

namespace ftprep::parquet {
namespace {

Status ReadAt(int fd, uint64_t off, size_t n, char* buf) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = pread(fd, buf + done, n - done, static_cast<off_t>(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return IoError(std::string("cannot read: ") + std::strerror(errno));
    if (r == 0) return DataError("the file ends early (truncated)");
    done += static_cast<size_t>(r);
  }
  return Status::Ok();
}

uint32_t Le32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[0]} | (uint32_t{u[1]} << 8) | (uint32_t{u[2]} << 16) | (uint32_t{u[3]} << 24);
}

const char* kEncrypted =
    "the file is encrypted (Parquet Modular Encryption); reading encrypted files is not supported";

std::string LimitText(uint64_t v, const char* option) {
  return std::to_string(v) + " (limit " + option + "); raise it with --format-opt " + option + "=N";
}

// Where a chunk's first page is: the dictionary page when there is one. Writers disagree on how to say
// "none" (absent, 0, or a data_page_offset of 0 with the dictionary first), so the smaller plausible wins.
int64_t ChunkStart(const ColumnChunkMeta& c) {
  int64_t start = c.data_page_offset;
  int64_t dict = c.dictionary_page_offset;
  if (dict >= 4 && (start < 4 || dict < start)) start = dict;
  return start;
}

}  // namespace

ParquetReader::~ParquetReader() {
  if (fd_ >= 0) close(fd_);
}

bool ParquetReader::Fail(Status s) {
  if (status_.ok()) status_ = std::move(s);
  return false;
}

Status ParquetReader::Open(const std::string& path, const ReaderOptions& options) {
  opt_ = options;
  fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return IoError("cannot open: " + std::string(std::strerror(errno)));
  struct stat st;
  if (fstat(fd_, &st) != 0) return IoError("cannot stat: " + std::string(std::strerror(errno)));
  file_size_ = static_cast<uint64_t>(st.st_size);
  char head[4] = {};
  if (file_size_ < 4) return DataError("not a Parquet file: shorter than its 4-byte PAR1 magic");
  FTPREP_RETURN_IF_ERROR(ReadAt(fd_, 0, 4, head));
  if (std::memcmp(head, "PARE", 4) == 0) return DataError(kEncrypted);
  if (std::memcmp(head, "PAR1", 4) != 0) return DataError("not a Parquet file (it does not start with PAR1)");
  if (file_size_ < 12) return DataError("truncated Parquet file: too short to hold a footer");
  char tail[8];
  FTPREP_RETURN_IF_ERROR(ReadAt(fd_, file_size_ - 8, 8, tail));
  if (std::memcmp(tail + 4, "PARE", 4) == 0) return DataError(kEncrypted);
  if (std::memcmp(tail + 4, "PAR1", 4) != 0) {
    return DataError("truncated or corrupt Parquet file: it does not end with PAR1");
  }
  uint64_t flen = Le32(tail);
  if (flen > file_size_ - 12) {
    return DataError("truncated or corrupt Parquet file: its footer claims " + std::to_string(flen) +
                     " bytes, more than the file holds");
  }
  if (flen > opt_.limits.max_metadata_bytes) {
    return LimitError("the footer is " + std::to_string(flen) + " bytes, over " +
                      LimitText(opt_.limits.max_metadata_bytes, "max_metadata_bytes"));
  }
  std::string footer(flen, '\0');
  FTPREP_RETURN_IF_ERROR(ReadAt(fd_, file_size_ - 8 - flen, flen, footer.data()));
  FTPREP_RETURN_IF_ERROR(ParseFileMeta(reinterpret_cast<const uint8_t*>(footer.data()), footer.size(), &meta_));
  if (meta_.encrypted) return DataError(kEncrypted);
  FTPREP_RETURN_IF_ERROR(BuildSchema(meta_.schema, &schema_));
  const Node& root = schema_.nodes[0];
  if (opt_.columns.empty()) {
    fields_ = root.children;
  } else {
    for (const auto& want : opt_.columns) {
      int found = -1;
      for (int c : root.children) {
        if (schema_.nodes[c].e->name == want) found = c;
      }
      if (found < 0) {
        std::string names;
        for (int c : root.children) names += (names.empty() ? "" : ", ") + schema_.nodes[c].e->name;
        return UsageError("option columns: no top-level column '" + want + "' (the file has: " + names + ")");
      }
      fields_.push_back(found);
    }
  }
  for (int f : fields_) {
    for (int l : schema_.nodes[f].leaves) active_.push_back(l);
  }
  infos_.resize(schema_.leaves.size());
  cursors_.resize(schema_.leaves.size());
  warned_.assign(schema_.leaves.size(), 0);
  for (size_t i = 0; i < schema_.leaves.size(); ++i) {
    const LeafInfo& l = schema_.leaves[i];
    const SchemaElement& e = *schema_.nodes[l.node].e;
    infos_[i].path = l.path;
    infos_[i].type = e.type;
    infos_[i].type_length = e.type_length;
    infos_[i].max_def = l.max_def;
    infos_[i].max_rep = l.max_rep;
  }
  for (int l : active_) {
    if (schema_.leaves[l].kind == Kind::kBinary) {
      warned_[l] = 1;
      warnings_.push_back("column '" + schema_.leaves[l].path +
                          "' holds bytes without a string annotation: its values are written as base64");
    }
  }
  return CheckRowGroups();
}

Status ParquetReader::CheckRowGroups() {
  const uint64_t data_end = file_size_ - 8;
  for (size_t g = 0; g < meta_.row_groups.size(); ++g) {
    const RowGroupMeta& rg = meta_.row_groups[g];
    std::string where = "row group " + std::to_string(g + 1);
    if (rg.columns.size() != schema_.leaves.size()) {
      return DataError("corrupt metadata: " + where + " has " + std::to_string(rg.columns.size()) +
                       " column chunks for " + std::to_string(schema_.leaves.size()) + " columns");
    }
    if (rg.num_rows < 0) return DataError("corrupt metadata: " + where + " has a negative row count");
    for (int l : active_) {
      const ColumnChunkMeta& c = rg.columns[l];
      std::string col = where + ", column '" + schema_.leaves[l].path + "'";
      if (c.encrypted) return DataError(std::string(kEncrypted) + " (" + col + ")");
      if (!c.has_meta) return DataError("corrupt metadata: " + col + " has no column metadata");
      if (c.external) return DataError(col + " lives in another file; external column chunks are not supported");
      if (c.type != infos_[l].type) return DataError("corrupt metadata: " + col + " has the wrong physical type");
      if (!CodecSupported(c.codec)) {
        return DataError(col + " uses the unsupported compression codec " + CodecName(c.codec) + " (" +
                         std::to_string(c.codec) + ")");
      }
      int64_t start = ChunkStart(c);
      if (start < 4 || c.total_compressed_size < 0 || static_cast<uint64_t>(start) > data_end ||
          static_cast<uint64_t>(c.total_compressed_size) > data_end - static_cast<uint64_t>(start)) {
        return DataError("corrupt metadata: " + col + " lies outside the file");
      }
    }
  }
  return Status::Ok();
}

Status ParquetReader::LoadRowGroup(size_t g) {
  const RowGroupMeta& rg = meta_.row_groups[g];
  uint64_t total = 0;
  for (int l : active_) total += static_cast<uint64_t>(rg.columns[l].total_compressed_size);
  if (total > opt_.limits.max_row_group_bytes) {
    return LimitError("row group " + std::to_string(g + 1) + " holds " + std::to_string(total) +
                      " compressed bytes in the selected columns, over " +
                      LimitText(opt_.limits.max_row_group_bytes, "max_row_group_bytes"));
  }
  for (int l : active_) {
    const ColumnChunkMeta& c = rg.columns[l];
    int64_t start = ChunkStart(c);
    std::string chunk(static_cast<size_t>(c.total_compressed_size), '\0');
    FTPREP_RETURN_IF_ERROR(ReadAt(fd_, static_cast<uint64_t>(start), chunk.size(), chunk.data()));
    infos_[l].codec = c.codec;
    infos_[l].num_values = c.num_values;
    cursors_[l].Init(&infos_[l], std::move(chunk), &opt_.limits);
  }
  return Status::Ok();
}

Status ParquetReader::CheckRowGroupEnd() {
  for (int l : active_) {
    uint16_t r, d;
    if (cursors_[l].Peek(&r, &d)) {
      return DataError("row group " + std::to_string(group_) + ", column '" + infos_[l].path +
                       "' holds more values than the row group's " +
                       std::to_string(meta_.row_groups[group_ - 1].num_rows) + " rows");
    }
    if (!cursors_[l].status().ok()) return cursors_[l].status();
  }
  return Status::Ok();
}

bool ParquetReader::Next(Row* row) {
  while (status_.ok()) {
    if (!in_group_) {
      if (group_ >= meta_.row_groups.size() || row_ >= opt_.last_row) return false;
      uint64_t n = static_cast<uint64_t>(meta_.row_groups[group_].num_rows);
      if (row_ + n < opt_.first_row) {  // wholly before the range: not even read
        row_ += n;
        ++group_;
        continue;
      }
      Status st = LoadRowGroup(group_);
      if (!st.ok()) return Fail(st);
      ++group_;
      group_rows_left_ = n;
      in_group_ = true;
    }
    if (group_rows_left_ == 0) {
      in_group_ = false;
      Status st = CheckRowGroupEnd();
      if (!st.ok()) return Fail(st);
      continue;
    }
    if (row_ >= opt_.last_row) return false;
    ++row_;
    --group_rows_left_;
    for (int l : active_) {
      uint16_t r, d;
      if (!Peek(l, &r, &d)) return false;
      if (r != 0) {
        return Fail(DataError("row " + std::to_string(row_) + ", column '" + infos_[l].path +
                              "': a row starts with repetition level " + std::to_string(r) + " (corrupt levels)"));
      }
    }
    out_.clear();
    row_error_.clear();
    row_rule_ = nullptr;
    out_ += '{';
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i) out_ += ',';
      const Node& f = schema_.nodes[fields_[i]];
      out_ += f.key;
      if (!(f.repetition == kRepeated ? WriteRepeated(fields_[i]) : WriteNode(fields_[i]))) return false;
    }
    out_ += '}';
    if (row_ < opt_.first_row) continue;
    *row = Row{};
    row->row = row_;
    if (row_error_.empty() && out_.size() > opt_.max_record_bytes) {
      row_error_ = "the row's JSON is " + std::to_string(out_.size()) + " bytes, over the record limit of " +
                   std::to_string(opt_.max_record_bytes) + " (--max-record-bytes)";
      row_rule_ = "parquet.record_too_large";
    }
    if (!row_error_.empty()) {
      row->error = row_error_;
      row->rule_id = row_rule_;
    } else {
      row->json = out_;
    }
    return true;
  }
  return false;
}

bool ParquetReader::Peek(int leaf, uint16_t* rep, uint16_t* def) {
  if (cursors_[leaf].Peek(rep, def)) return true;
  if (!cursors_[leaf].status().ok()) return Fail(cursors_[leaf].status());
  return Fail(DataError("row " + std::to_string(row_) + ": column '" + infos_[leaf].path +
                        "' ends early (fewer values than the row group's rows)"));
}

bool ParquetReader::SkipEntries(const Node& n) {
  for (int l : n.leaves) {
    uint16_t r, d;
    if (!Peek(l, &r, &d)) return false;
    Val v;
    cursors_[l].Take(&v);
  }
  return true;
}

bool ParquetReader::WriteNode(int n) {
  const Node& node = schema_.nodes[n];
  if (node.leaves.empty()) {
    out_ += node.shape == Shape::kValue ? "null" : "{}";
    return true;
  }
  uint16_t r, d;
  if (!Peek(node.leaves[0], &r, &d)) return false;
  if (node.repetition == kOptional && d < node.def) {
    out_ += "null";
    return SkipEntries(node);
  }
  return WriteValue(n);
}

bool ParquetReader::WriteValue(int n) {
  const Node& node = schema_.nodes[n];
  if (node.leaf >= 0) return WriteLeaf(node.leaf);
  if (node.shape == Shape::kList || node.shape == Shape::kMap) return WriteRepeated(node.children[0]);
  out_ += '{';
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (i) out_ += ',';
    const Node& c = schema_.nodes[node.children[i]];
    out_ += c.key;
    if (!(c.repetition == kRepeated ? WriteRepeated(node.children[i]) : WriteNode(node.children[i]))) return false;
  }
  out_ += '}';
  return true;
}

bool ParquetReader::WriteRepeated(int n) {
  const Node& node = schema_.nodes[n];
  const bool object = node.elem == Elem::kMapEntry;
  if (node.leaves.empty()) {
    out_ += object ? "{}" : "[]";
    return true;
  }
  const int first = node.leaves[0];
  uint16_t r, d;
  if (!Peek(first, &r, &d)) return false;
  if (d < node.def) {
    out_ += object ? "{}" : "[]";
    return SkipEntries(node);
  }
  out_ += object ? '{' : '[';
  for (bool more = true; more;) {
    if (!WriteElement(n)) return false;
    if (!cursors_[first].Peek(&r, &d)) {
      if (!cursors_[first].status().ok()) return Fail(cursors_[first].status());
      break;  // the chunk's last entry
    }
    if (r > node.rep) {
      return Fail(DataError("row " + std::to_string(row_) + ", column '" + infos_[first].path +
                            "': a repetition level deeper than its place (corrupt levels)"));
    }
    more = r == node.rep;
    if (more) out_ += ',';
  }
  out_ += object ? '}' : ']';
  return true;
}

bool ParquetReader::WriteElement(int n) {
  const Node& node = schema_.nodes[n];
  switch (node.elem) {
    case Elem::kSelf:
      return WriteValue(n);
    case Elem::kChild:
    case Elem::kMapKey:
      return WriteNode(node.children[0]);
    case Elem::kMapPair:
      out_ += "{\"key\":";
      if (!WriteNode(node.children[0])) return false;
      out_ += ",\"value\":";
      if (!WriteNode(node.children[1])) return false;
      out_ += '}';
      return true;
    case Elem::kMapEntry: {
      int key = schema_.nodes[node.children[0]].leaf;
      uint16_t r, d;
      if (!Peek(key, &r, &d)) return false;
      Val v;
      if (!cursors_[key].Take(&v)) {
        out_ += "\"null\"";
      } else if (IsUtf8(v.p, v.len)) {
        out_ += '"';
        AppendJsonEscaped(v.p, v.len, &out_);
        out_ += '"';
      } else {
        out_ += '"';
        AppendBase64(v.p, v.len, &out_);
        out_ += '"';
      }
      out_ += ':';
      return WriteNode(node.children[1]);
    }
  }
  return true;
}

bool ParquetReader::WriteLeaf(int leaf) {
  uint16_t r, d;
  if (!Peek(leaf, &r, &d)) return false;
  Val v;
  if (!cursors_[leaf].Take(&v)) {
    out_ += "null";
    return true;
  }
  const LeafInfo& info = schema_.leaves[leaf];
  if ((info.physical == kByteArray || info.physical == kFixedLenByteArray) && v.len > opt_.max_field_bytes) {
    if (row_error_.empty()) {
      row_error_ = "column '" + info.path + "' holds a value of " + std::to_string(v.len) +
                   " bytes, over the field limit of " + std::to_string(opt_.max_field_bytes) +
                   " (--max-field-bytes)";
      row_rule_ = "parquet.field_too_large";
    }
    out_ += "null";
    return true;
  }
  if (!AppendValue(info, v, &out_) && !warned_[leaf]) {
    warned_[leaf] = 1;
    warnings_.push_back("column '" + info.path + "' holds text that is not valid UTF-8: such values are written as base64");
  }
  return true;
}

}  // namespace ftprep::parquet
