#include "xml_stream.h"

#include <atomic>

#include "xml_scan.h"

namespace ftprep::xlsx {
namespace {
constexpr int kChunk = XmlScanner::kChunk;  // the same reads either way (see xml_scan.h)
std::atomic<bool> g_scanner_enabled{true};
}  // namespace

void XmlStream::SetScannerEnabled(bool enabled) { g_scanner_enabled = enabled; }

XmlStream::XmlStream(RestartableHandler* handler, std::unique_ptr<ByteReader> reader, std::string part,
                     Reopen reopen)
    : XmlStream(static_cast<XmlHandler*>(handler), std::move(reader), std::move(part)) {
  restartable_ = handler;
  reopen_ = std::move(reopen);
}

XmlStream::XmlStream(XmlHandler* handler, std::unique_ptr<ByteReader> reader, std::string part)
    : parser_(XML_ParserCreate("UTF-8")),
      handler_(handler),
      reader_(std::move(reader)),
      part_(std::move(part)) {
  if (parser_ == nullptr) {
    failure_ = InternalError("out of memory creating an XML parser");
    return;
  }
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &OnStart, &OnEnd);
  XML_SetCharacterDataHandler(parser_, &OnText);
  XML_SetStartDoctypeDeclHandler(parser_, &OnDoctype);
  XML_SetEntityDeclHandler(parser_, &OnEntityDecl);
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
}

XmlStream::~XmlStream() {
  if (parser_) XML_ParserFree(parser_);
}

void XmlStream::OnStart(void* self, const XML_Char* name, const XML_Char** atts) {
  auto* s = static_cast<XmlStream*>(self);
  s->handler_->Start(LocalName(name), atts);
}

void XmlStream::OnEnd(void* self, const XML_Char* name) {
  auto* s = static_cast<XmlStream*>(self);
  s->handler_->End(LocalName(name));
}

void XmlStream::OnText(void* self, const XML_Char* text, int len) {
  static_cast<XmlStream*>(self)->handler_->Text(text, len);
}

void XmlStream::OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* s = static_cast<XmlStream*>(self);
  s->Fail(DataError(s->Where() +
                    ": the part declares a DTD (<!DOCTYPE>); XLSX never needs one, and DTDs enable "
                    "external-entity (XXE) and entity-expansion attacks, so the workbook is refused"));
}

void XmlStream::OnEntityDecl(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                             const XML_Char*, const XML_Char*, const XML_Char*) {
  auto* s = static_cast<XmlStream*>(self);
  s->Fail(DataError(s->Where() + ": the part declares an XML entity; refused (XXE / entity expansion)"));
}

void XmlStream::Fail(Status status) {
  if (failure_.ok()) failure_ = std::move(status);
  XML_ParsingStatus ps;
  XML_GetParsingStatus(parser_, &ps);
  if (ps.parsing == XML_PARSING) XML_StopParser(parser_, XML_FALSE);
}

std::string XmlStream::Where() const {
  return part_ + ":" + std::to_string(XML_GetCurrentLineNumber(parser_)) + ":" +
         std::to_string(XML_GetCurrentColumnNumber(parser_) + 1);
}

Status XmlStream::XmlError() {
  if (!failure_.ok()) return failure_;
  const std::string where = Where();
  // Garbage XML is often a corrupt part: reading it to the end lets libzip's CRC check name the real cause.
  std::string buf(kChunk, '\0');
  for (;;) {
    auto n = reader_->Read(buf.data(), buf.size());
    if (!n.ok()) {
      failure_ = n.status();
      return failure_;
    }
    if (*n == 0) break;
  }
  failure_ =
      DataError(where + ": malformed XML in the workbook: " + XML_ErrorString(XML_GetErrorCode(parser_)));
  return failure_;
}

Result<XmlStream::Step> XmlStream::Pump() {
  if (!failure_.ok()) return failure_;
  for (;;) {
    if (done_) return Step::kDone;
    XML_Status st;
    if (suspended_) {
      suspended_ = false;
      st = XML_ResumeParser(parser_);
    } else {
      void* buf = XML_GetBuffer(parser_, kChunk);
      if (buf == nullptr) return XmlError();
      auto n = reader_->Read(static_cast<char*>(buf), kChunk);
      if (!n.ok()) {
        failure_ = n.status();
        return failure_;
      }
      final_ = *n == 0;
      st = XML_ParseBuffer(parser_, static_cast<int>(*n), final_ ? XML_TRUE : XML_FALSE);
    }
    if (st == XML_STATUS_ERROR) return XmlError();
    if (!failure_.ok()) return failure_;
    if (st == XML_STATUS_SUSPENDED) {
      suspended_ = true;
      return Step::kSuspended;
    }
    if (final_) done_ = true;
  }
}

Status XmlStream::Scan() {
  XmlScanner scanner(handler_, reader_.get(), &failure_);
  switch (scanner.Run()) {
    case XmlScanner::Outcome::kDone:
      return Status::Ok();
    case XmlScanner::Outcome::kFailed:
      if (failure_.ok()) failure_ = scanner.status();
      return failure_;
    case XmlScanner::Outcome::kUnsupported:
      break;
  }
  // Expat reads the part again from its start; the scanner's reader goes first (a prefetching reader
  // owns the archive while it runs).
  fallback_reason_ = scanner.unsupported_reason();
  if (fallback_reason_.empty()) fallback_reason_ = "unknown";
  reader_.reset();
  auto again = reopen_();
  if (!again.ok()) {
    failure_ = again.status();
    return failure_;
  }
  reader_ = std::move(*again);
  restartable_->Restart();
  return Status::Ok();
}

Status XmlStream::ParseAll() {
  if (restartable_ != nullptr && g_scanner_enabled && failure_.ok()) {
    FTPREP_RETURN_IF_ERROR(Scan());
    if (fallback_reason_.empty()) return Status::Ok();
  }
  for (;;) {
    auto step = Pump();
    if (!step.ok()) return step.status();
    if (*step == Step::kDone) return Status::Ok();
  }
}

}  // namespace ftprep::xlsx
