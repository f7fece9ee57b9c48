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

}  // namespace verify
}  // namespace tv
