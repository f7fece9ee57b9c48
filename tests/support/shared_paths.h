// Locating ../shared from tests: TV_SHARED_DIR (set by ctest) or <source>/../shared.
// Tests that need it call GTEST_SKIP when it is absent.
#ifndef TINYVERIFY_TESTS_SUPPORT_SHARED_PATHS_H_
#define TINYVERIFY_TESTS_SUPPORT_SHARED_PATHS_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tv {
namespace testing {

inline std::string SharedDir() {
  const char* env = std::getenv("TV_SHARED_DIR");
  std::string dir = env ? env : "";
  if (dir.empty()) {
    const char* src = std::getenv("TV_SOURCE_DIR");
    dir = std::string(src ? src : ".") + "/../shared";
  }
  return std::filesystem::is_directory(dir) ? dir : "";
}

inline std::string SourceDir() {
  const char* src = std::getenv("TV_SOURCE_DIR");
  return src ? src : ".";
}

inline std::string ReadText(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace testing
}  // namespace tv

#endif  // TINYVERIFY_TESTS_SUPPORT_SHARED_PATHS_H_
