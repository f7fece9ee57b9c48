// Whole-file reading into 16-byte aligned memory (model weights are used in place).
#ifndef TINYVERIFY_COMPARE_FILE_IO_H_
#define TINYVERIFY_COMPARE_FILE_IO_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "emulator/status.h"

namespace tv {

class FileBytes {
 public:
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  friend Status ReadFileBytes(const std::string& path, FileBytes* out);
  std::unique_ptr<uint8_t[]> storage_;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Errors: "cannot open file", "is a directory", read failures; the path is not included.
[[nodiscard]] Status ReadFileBytes(const std::string& path, FileBytes* out);
[[nodiscard]] Status WriteFileBytes(const std::string& path, const void* data, size_t size);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_FILE_IO_H_
