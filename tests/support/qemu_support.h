// Test support for the Cortex-M targets under QEMU: whether a target can run here, and a
// private scratch directory.
#ifndef TINYVERIFY_TESTS_SUPPORT_QEMU_SUPPORT_H_
#define TINYVERIFY_TESTS_SUPPORT_QEMU_SUPPORT_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "compare/qemu_target.h"

namespace tv {
namespace testing {

// False (with the reason) unless qemu-system-arm and `target`'s firmware image are present;
// callers GTEST_SKIP then.
inline bool HaveQemu(const std::string& target, std::string* why) {
  if (std::system("command -v qemu-system-arm >/dev/null 2>&1") != 0) {
    *why = "qemu-system-arm not installed";
    return false;
  }
  std::string elf, plugin;
  Status s = FindFirmware(*FindQemuBoard(target), &elf, &plugin);
  if (!s.ok()) *why = s.message();
  return s.ok();
}

// A fresh directory under the test's temp dir, removed with its contents at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = ::testing::TempDir() + "/tvqemu-XXXXXX";
    path_ = ::mkdtemp(templ.data()) ? templ : "";
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace testing
}  // namespace tv

#endif  // TINYVERIFY_TESTS_SUPPORT_QEMU_SUPPORT_H_
