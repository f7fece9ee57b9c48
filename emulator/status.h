// tv::Status — the error result used by every tinyverify library.
//
// Portable by design (this header is compiled into Cortex-M firmware too): no heap, no
// exceptions, no iostreams. The message lives in a fixed buffer; long messages are truncated.
#ifndef TINYVERIFY_EMULATOR_STATUS_H_
#define TINYVERIFY_EMULATOR_STATUS_H_

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace tv {

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }

  // printf-style error. Messages name the file, tensor, node or op involved; the caller that
  // knows the file name prefixes it (see Status::Prefixed).
  static Status Error(const char* fmt, ...) __attribute__((format(printf, 1, 2))) {
    Status s;
    s.ok_ = false;
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(s.message_, kMaxMessage, fmt, args);
    va_end(args);
    return s;
  }

  // Returns "<prefix>: <message>" for an error, itself when OK.
  Status Prefixed(const char* prefix) const {
    if (ok_) return *this;
    return Error("%s: %s", prefix, message_);
  }

  bool ok() const { return ok_; }
  const char* message() const { return ok_ ? "ok" : message_; }

 private:
  static constexpr int kMaxMessage = 320;
  bool ok_ = true;
  char message_[kMaxMessage] = {0};
};

}  // namespace tv

// Propagates a failed Status to the caller.
#define TV_RETURN_IF_ERROR(expr)        \
  do {                                  \
    ::tv::Status tv_status_ = (expr);   \
    if (!tv_status_.ok()) return tv_status_; \
  } while (0)

// Returns an error Status when `cond` is false.
#define TV_CHECK_OR_RETURN(cond, ...)                       \
  do {                                                      \
    if (!(cond)) return ::tv::Status::Error(__VA_ARGS__);   \
  } while (0)

#endif  // TINYVERIFY_EMULATOR_STATUS_H_
