#include "jsonpath.h"

#include <cctype>
#include <charconv>

#include "ftprep/record.h"

namespace ftprep {

Result<std::vector<PathStep>> ParsePath(std::string_view p) {
  std::vector<PathStep> steps;
  if (p.substr(0, 2) == "$.") p.remove_prefix(2);
  if (p == "$") return steps;
  size_t i = 0;
  auto bad = [&](const std::string& why) {
    return UsageError("bad JSON path '" + std::string(p) + "': " + why);
  };
  if (p.empty()) return bad("empty");
  bool need_key = true;
  while (i < p.size()) {
    char c = p[i];
    if (c == '[') {
      size_t close = p.find(']', i);
      if (close == std::string_view::npos) return bad("missing ']'");
      std::string_view inner = p.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && (inner.front() == '"' || inner.front() == '\'') && inner.back() == inner.front()) {
        steps.push_back({std::string(inner.substr(1, inner.size() - 2)), -1});
      } else {
        if (inner.empty()) return bad("empty index");
        int64_t v = 0;
        for (char d : inner) {
          if (!std::isdigit(static_cast<unsigned char>(d))) return bad("index must be a number");
          v = v * 10 + (d - '0');
          if (v > (int64_t{1} << 40)) return bad("index too large");
        }
        steps.push_back({"", v});
      }
      i = close + 1;
      need_key = false;
      continue;
    }
    if (c == '.') {
      if (need_key) return bad("empty key");
      ++i;
      need_key = true;
      continue;
    }
    size_t end = i;
    while (end < p.size() && p[end] != '.' && p[end] != '[') ++end;
    if (!need_key && !steps.empty()) return bad("missing '.'");
    steps.push_back({std::string(p.substr(i, end - i)), -1});
    i = end;
    need_key = false;
  }
  if (need_key) return bad("ends with '.'");
  return steps;
}

void AppendKey(std::string* path, std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) plain = false;
  }
  if (plain) {
    if (!path->empty()) path->push_back('.');
    path->append(key);
  } else {
    path->append("[");
    AppendJsonString(key, path);
    path->append("]");
  }
}

void AppendIndex(std::string* path, size_t i) {
  char buf[24];
  buf[0] = '[';
  char* end = std::to_chars(buf + 1, buf + sizeof buf - 1, i).ptr;
  *end++ = ']';
  path->append(buf, size_t(end - buf));
}

std::string FormatPath(const std::vector<PathStep>& steps) {
  std::string out;
  for (const auto& s : steps) {
    if (s.index >= 0) {
      AppendIndex(&out, static_cast<size_t>(s.index));
    } else {
      AppendKey(&out, s.key);
    }
  }
  return out;
}

const rapidjson::Value* GetPath(const rapidjson::Value& root, const std::vector<PathStep>& steps) {
  const rapidjson::Value* v = &root;
  for (const auto& s : steps) {
    if (s.index >= 0) {
      if (!v->IsArray() || static_cast<uint64_t>(s.index) >= v->Size()) return nullptr;
      v = &(*v)[static_cast<rapidjson::SizeType>(s.index)];
    } else {
      v = MemberOf(*v, s.key);
      if (!v) return nullptr;
    }
  }
  return v;
}

const rapidjson::Value* GetPath(const rapidjson::Value& root, std::string_view path) {
  auto steps = ParsePath(path);
  if (!steps.ok()) return nullptr;
  return GetPath(root, *steps);
}

rapidjson::Value* GetPathMutable(rapidjson::Value& root, const std::vector<PathStep>& steps) {
  return const_cast<rapidjson::Value*>(GetPath(root, steps));
}

std::string KeyText(const rapidjson::Value* v) {
  if (v == nullptr) return std::string();
  if (v->IsString()) return std::string(v->GetString(), v->GetStringLength());
  return ToJson(*v);
}

}  // namespace ftprep
