#include "compare/slices.h"

#include <algorithm>
#include <cstdio>

namespace tv {
namespace verify {
namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

// Splits one CSV line into fields, honouring double quotes.
Status SplitCsv(const std::string& line, size_t line_no, std::vector<std::string>* fields) {
  fields->clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && Trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == ',') {
      fields->push_back(was_quoted ? field : Trim(field));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  TV_CHECK_OR_RETURN(!quoted, "line %zu: unterminated quote", line_no);
  fields->push_back(was_quoted ? field : Trim(field));
  return Status::Ok();
}

}  // namespace

Status ParseSlices(const std::string& text, SliceMap* out) {
  out->clear();
  size_t start = 0, line_no = 0;
  std::vector<std::string> fields;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = Trim(text.substr(start, end - start));
    start = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    TV_RETURN_IF_ERROR(SplitCsv(line, line_no, &fields));
    TV_CHECK_OR_RETURN(fields.size() >= 2, "line %zu: expected 'sample_id,tag[,tag...]'", line_no);
    if (out->empty() && (fields[0] == "sample_id" || fields[0] == "id") && fields[1] == "tag") {
      continue;  // header
    }
    TV_CHECK_OR_RETURN(!fields[0].empty(), "line %zu: empty sample id", line_no);
    std::vector<std::string>& tags = (*out)[fields[0]];
    for (size_t f = 1; f < fields.size(); ++f) {
      TV_CHECK_OR_RETURN(!fields[f].empty(), "line %zu: empty tag", line_no);
      if (std::find(tags.begin(), tags.end(), fields[f]) == tags.end()) tags.push_back(fields[f]);
    }
  }
  return Status::Ok();
}

Status LoadSlices(const std::string& path, SliceMap* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  TV_CHECK_OR_RETURN(f != nullptr, "%s: cannot open slices file", path.c_str());
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  TV_CHECK_OR_RETURN(!failed, "%s: read error", path.c_str());
  TV_CHECK_OR_RETURN(text.find('\0') == std::string::npos, "%s: binary data in a CSV file",
                     path.c_str());
  return ParseSlices(text, out).Prefixed(path.c_str());
}

}  // namespace verify
}  // namespace tv
