// A synthetic verify run (no models): deterministic reference and tiny outputs fed through
// the Analyzer. Used by the report tests and by the report_demo driver to look at reports
// without the pipeline.
#ifndef TINYVERIFY_REPORTS_SYNTHETIC_RUN_H_
#define TINYVERIFY_REPORTS_SYNTHETIC_RUN_H_

#include <cstdint>

#include "compare/verify_result.h"
#include "emulator/status.h"

namespace tv {
namespace reports {

struct SyntheticOptions {
  int64_t samples = 500;
  int32_t classes = 10;
  int32_t variants = 1;
  uint32_t seed = 1;
  bool thumbnails = true;
  bool regression = false;
  std::string gates = "top1_drop<=1.0,agreement>=0.95,high_conf_flips<=0,class_drop_max<=5";
};

[[nodiscard]] Status RunSynthetic(const SyntheticOptions& options, verify::VerifyResult* out);

}  // namespace reports
}  // namespace tv

#endif  // TINYVERIFY_REPORTS_SYNTHETIC_RUN_H_
