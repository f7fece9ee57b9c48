#include "compare/verify_files.h"

#include <fstream>

namespace tv {
namespace verify {

namespace {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\"");
  const size_t e = s.find_last_not_of(" \t\r\"");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

Status ReadClassNames(const std::string& path, std::vector<std::string>* names) {
  std::ifstream f(path);
  TV_CHECK_OR_RETURN(f.good(), "%s: cannot open file", path.c_str());
  names->clear();
  std::string line;
  while (std::getline(f, line)) names->push_back(Trim(line));
  while (!names->empty() && names->back().empty()) names->pop_back();
  TV_CHECK_OR_RETURN(!names->empty(), "%s: no class names (one per line expected)", path.c_str());
  return Status::Ok();
}

Status ReadSlices(const std::string& path,
                  std::map<std::string, std::vector<std::string>>* slices) {
  std::ifstream f(path);
  TV_CHECK_OR_RETURN(f.good(), "%s: cannot open file", path.c_str());
  slices->clear();
  std::string line;
  int64_t line_no = 0;
  while (std::getline(f, line)) {
    ++line_no;
    if (Trim(line).empty()) continue;
    std::vector<std::string> fields;
    size_t start = 0;
    for (;;) {
      const size_t comma = line.find(',', start);
      fields.push_back(
          Trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (line_no == 1 && (fields[0] == "id" || fields[0] == "sample" || fields[0] == "sample_id"))
      continue;
    TV_CHECK_OR_RETURN(fields.size() >= 2 && !fields[0].empty(),
                       "%s: line %lld: expected 'sample_id,tag[,tag...]'", path.c_str(),
                       static_cast<long long>(line_no));
    std::vector<std::string>& tags = (*slices)[fields[0]];
    for (size_t i = 1; i < fields.size(); ++i)
      if (!fields[i].empty()) tags.push_back(fields[i]);
  }
  TV_CHECK_OR_RETURN(!slices->empty(), "%s: no slice rows", path.c_str());
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
