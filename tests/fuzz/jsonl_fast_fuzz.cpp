// libFuzzer target: the JSON Lines reader's one-pass parse (core/json_fast.h) against its full path. Each
// input is read twice, with fast_parse on and off, and every record must come out the same: the same
// document exactly (SameJson: types, number representations, bytes, member order) or the same message, rule
// id and column. The first byte picks the nesting limit (small ones reach it), the rest is the file.
#include <memory>
#include <string>
#include <vector>

#include "fuzz_reader.h"
#include "json_fast.h"

namespace {

struct Seen {
  std::string where;  // line, column, and the message or the JSON text
  std::unique_ptr<rapidjson::Document> doc;
};

std::vector<Seen> ReadWith(const std::string& path, bool fast, int max_depth) {
  ftprep::ReadOptions opts;
  opts.format = "jsonl";
  opts.max_record_bytes = 1 << 20;
  opts.max_depth = max_depth;
  opts.format_options = {{"fast_parse", fast ? "1" : "0"}};
  std::vector<Seen> out;
  auto reader = ftprep::OpenReader({path}, opts);
  if (!reader.ok()) return out;
  ftprep::Record rec;
  while ((*reader)->Next(&rec)) {
    Seen s;
    s.where = std::to_string(rec.loc.line) + ":" + std::to_string(rec.loc.column) + " ";
    if (rec.bad()) {
      s.where += "bad " + rec.rule_id() + " " + rec.error() + " | " + std::string(rec.raw());
    } else {
      s.where += (rec.parse_ok() ? "ok " : "unparsed ") + std::string(rec.json());
    }
    s.doc = std::make_unique<rapidjson::Document>();
    ftprep::CopyJson(rec.doc(), s.doc.get(), s.doc->GetAllocator());
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const int kDepths[] = {1, 2, 3, 5, 200, 200, 200, 200};
  const int depth = kDepths[data[0] % 8];
  const std::string path = ftprep_fuzz::MemFile(data + 1, size - 1);
  std::vector<Seen> fast = ReadWith(path, true, depth);
  std::vector<Seen> full = ReadWith(path, false, depth);
  ftprep_fuzz::Check(fast.size() == full.size(), "the one-pass parse gives another number of records");
  for (size_t i = 0; i < fast.size(); ++i) {
    ftprep_fuzz::Check(fast[i].where == full[i].where, "the one-pass parse gives another record or message");
    ftprep_fuzz::Check(ftprep::SameJson(*fast[i].doc, *full[i].doc), "the one-pass parse gives another document");
  }
  return 0;
}
