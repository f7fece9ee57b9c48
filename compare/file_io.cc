#include "compare/file_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tv {

Status ReadFileBytes(const std::string& path, FileBytes* out) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Status::Error("cannot open file: %s", std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::Error("is a directory, expected a file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::Error("cannot open file: %s", std::strerror(errno));
  const size_t size = static_cast<size_t>(st.st_size);
  out->storage_.reset(new (std::nothrow) uint8_t[size + 16]);
  if (!out->storage_) {
    std::fclose(f);
    return Status::Error("cannot allocate %zu bytes to read the file", size);
  }
  out->data_ = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(out->storage_.get()) + 15) & ~uintptr_t{15});
  out->size_ = std::fread(out->data_, 1, size, f);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed || out->size_ != size) return Status::Error("read error (got %zu of %zu bytes)", out->size_, size);
  return Status::Ok();
}

Status WriteFileBytes(const std::string& path, const void* data, size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::Error("cannot create file: %s", std::strerror(errno));
  const size_t written = std::fwrite(data, 1, size, f);
  const bool close_failed = std::fclose(f) != 0;
  if (written != size || close_failed) return Status::Error("write error: %s", std::strerror(errno));
  return Status::Ok();
}

}  // namespace tv
