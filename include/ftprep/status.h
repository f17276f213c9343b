// ftprep/status.h — error values for every fallible call in ftprep.
//
// A Status is either OK or carries a Code, a human message and the source location that created it (for
// debugging; it is never shown to users unless FTPREP_DEBUG is set). Result<T> holds a T or a non-OK Status.
// Only `main` turns a Status into an exit code (ExitCodeFor): kData -> 1, kBrokenPipe -> 0, kInterrupted -> 130
// (main makes it 143 after SIGTERM), everything else 2.
// Values are cheap to move; they are not thread-safe to share while being modified.
#ifndef FTPREP_STATUS_H_
#define FTPREP_STATUS_H_

#include <source_location>
#include <string>
#include <utility>
#include <variant>

namespace ftprep {

// std::source_location, or an equivalent where the compiler cannot provide it (clang 14 with libstdc++ 12,
// used for the libFuzzer build, lacks __builtin_source_location but has __builtin_FILE/__builtin_LINE).
#if defined(__cpp_lib_source_location)
using SourceLocation = std::source_location;
#else
struct SourceLocation {
  static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                          unsigned line = __builtin_LINE()) noexcept {
    SourceLocation s;
    s.file_ = file;
    s.line_ = line;
    return s;
  }
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr unsigned line() const noexcept { return line_; }
  const char* file_ = "";
  unsigned line_ = 0;
};
#endif

enum class Code {
  kOk = 0,
  kData,             // the tool ran, the data failed (validation errors, rejected records) -> exit 1
  kUsage,            // bad command line -> exit 2
  kIo,               // cannot read or write a file -> exit 2
  kNotFound,         // a named thing (file, model, profile, sheet) does not exist -> exit 2
  kLimit,            // a resource limit (record size, zip ratio, ...) was hit -> exit 2 (or 1 per record)
  kUnavailable,      // a feature is not available in this build/configuration -> exit 2
  kInternal,         // a bug in ftprep -> exit 2
  kBrokenPipe,       // stdout was closed by the reader downstream (EPIPE) -> exit 0, quietly
  kInterrupted,      // SIGINT/SIGTERM -> exit 130/143 (main asks io.h which signal it was)
};

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, SourceLocation loc = SourceLocation::current())
      : code_(code), message_(std::move(message)), file_(loc.file_name()), line_(loc.line()) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // Where in ftprep's sources the error was created.
  const char* source_file() const { return file_; }
  unsigned source_line() const { return line_; }

  // Prepends context ("reading a.csv: ") to the message, keeping code and location.
  Status& Prepend(const std::string& context) {
    message_ = context + message_;
    return *this;
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  const char* file_ = "";
  unsigned line_ = 0;
};

inline Status DataError(std::string m, SourceLocation l = SourceLocation::current()) {
  return Status(Code::kData, std::move(m), l);
}
inline Status UsageError(std::string m, SourceLocation l = SourceLocation::current()) {
  return Status(Code::kUsage, std::move(m), l);
}
inline Status IoError(std::string m, SourceLocation l = SourceLocation::current()) {
  return Status(Code::kIo, std::move(m), l);
}
inline Status NotFoundError(std::string m, SourceLocation l = SourceLocation::current()) {
  return Status(Code::kNotFound, std::move(m), l);
}
inline Status LimitError(std::string m, SourceLocation l = SourceLocation::current()) {
  return Status(Code::kLimit, std::move(m), l);
}
inline Status InternalError(std::string m, SourceLocation l = SourceLocation::current()) {
  return Status(Code::kInternal, std::move(m), l);
}

// The exit-code contract: 0 success, 1 data failed, 2 usage/I-O/internal, 130 interrupted. A closed downstream
// pipe is success.
inline int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
    case Code::kBrokenPipe:
      return 0;
    case Code::kData:
      return 1;
    case Code::kInterrupted:
      return 130;  // 128 + SIGINT, as a shell reports it
    default:
      return 2;
  }
}

// Result<T>: a value or an error. Access the value only when ok().
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ftprep

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define FTPREP_RETURN_IF_ERROR(expr)              \
  do {                                            \
    ::ftprep::Status _st = (expr);                \
    if (!_st.ok()) return _st;                    \
  } while (0)

#endif  // FTPREP_STATUS_H_
