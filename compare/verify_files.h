// Small side files of `tinyverify verify`: class names and slice tags.
#ifndef TINYVERIFY_COMPARE_VERIFY_FILES_H_
#define TINYVERIFY_COMPARE_VERIFY_FILES_H_

#include <map>
#include <string>
#include <vector>

#include "emulator/status.h"

namespace tv {
namespace verify {

// One class name per line (line i = class i); blank trailing lines ignored.
[[nodiscard]] Status ReadClassNames(const std::string& path, std::vector<std::string>* names);

// CSV rows "sample_id,tag[,tag...]" (an optional header row starting with "id" is skipped):
// sample id -> its tags. Ids are dataset ids (index as text, or "class/file.png" for folders).
[[nodiscard]] Status ReadSlices(const std::string& path,
                                std::map<std::string, std::vector<std::string>>* slices);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_FILES_H_
