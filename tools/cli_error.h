// The CLI's error edge: library Status values become `error: <file>: <what>` and exit code 2.
#ifndef TINYVERIFY_TOOLS_CLI_ERROR_H_
#define TINYVERIFY_TOOLS_CLI_ERROR_H_

#include <stdexcept>
#include <string>

#include "emulator/status.h"

namespace tv {
namespace cli {

// Thrown only inside tools/; main() prints it and returns kExitError.
class CliError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr int kExitOk = 0;
constexpr int kExitGateFailed = 1;
constexpr int kExitError = 2;

// Throws CliError("<subject>: <message>") when `s` is an error.
inline void Check(const Status& s, const std::string& subject) {
  if (!s.ok()) throw CliError(subject.empty() ? s.message() : subject + ": " + s.message());
}

}  // namespace cli
}  // namespace tv

#endif  // TINYVERIFY_TOOLS_CLI_ERROR_H_
