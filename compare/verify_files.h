// Small side files of `tinyverify verify`: class names (slices: compare/slices.h).
#ifndef TINYVERIFY_COMPARE_VERIFY_FILES_H_
#define TINYVERIFY_COMPARE_VERIFY_FILES_H_

#include <string>
#include <vector>

#include "emulator/status.h"

namespace tv {
namespace verify {

// One class name per line (line i = class i); blank trailing lines ignored.
[[nodiscard]] Status ReadClassNames(const std::string& path, std::vector<std::string>* names);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_FILES_H_
