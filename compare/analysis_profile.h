// Compression profile and tiny-side saturation: summaries of what the pipeline measured
// about each model (ModelSetup), copied into the result in report-ready form.
#ifndef TINYVERIFY_COMPARE_ANALYSIS_PROFILE_H_
#define TINYVERIFY_COMPARE_ANALYSIS_PROFILE_H_

#include "compare/analysis.h"
#include "compare/verify_result.h"

namespace tv {
namespace verify {

CompressionProfile BuildCompressionProfile(const ModelInfo& info);

// Input clip share and per-layer pinned shares (sorted by the share at the int max, which is
// unambiguous clipping, then by the share at either end).
void FillSaturation(const ModelSetup& tiny, VariantResult* out);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_ANALYSIS_PROFILE_H_
