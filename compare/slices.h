// User-defined slices for `tinyverify verify --slices FILE`: a CSV of `sample_id,tag[,tag...]`
// lines (e.g. "clip_0042.wav,gunshot"). A sample may carry several tags (on one line or on
// repeated lines); every tag becomes a slice in the report.
#ifndef TINYVERIFY_COMPARE_SLICES_H_
#define TINYVERIFY_COMPARE_SLICES_H_

#include <map>
#include <string>
#include <vector>

#include "emulator/status.h"

namespace tv {
namespace verify {

using SliceMap = std::map<std::string, std::vector<std::string>>;  // sample id -> tags

// Parses the CSV text. An optional header line `sample_id,tag` (or `id,tag`) is skipped; empty
// lines and lines starting with '#' are ignored; fields may be double-quoted ("a,b" and ""
// inside quotes). Errors name the line.
[[nodiscard]] Status ParseSlices(const std::string& text, SliceMap* out);

// Reads and parses a slices file; errors are prefixed with the path.
[[nodiscard]] Status LoadSlices(const std::string& path, SliceMap* out);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_SLICES_H_
