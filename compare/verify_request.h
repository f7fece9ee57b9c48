// What both front ends of `verify` — the CLI (tools/cmd_verify.cc) and tinyverify.verify()
// (bindings/verify.cc) — ask for, and the steps they share: the pipeline options and the
// analysis config built from the request, and the Analyzer created at the first sample.
// Keeping them here means the two front ends cannot drift apart.
#ifndef TINYVERIFY_COMPARE_VERIFY_REQUEST_H_
#define TINYVERIFY_COMPARE_VERIFY_REQUEST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compare/analysis.h"
#include "compare/verify_pipeline.h"
#include "emulator/kernel_api.h"
#include "emulator/status.h"

namespace tv {
namespace verify {

struct VerifyRequest {
  std::string ref_path;
  std::vector<std::string> tiny_paths;
  std::string data_path;
  std::string labels_path;
  std::string preprocess;
  std::string class_names_path;  // one class name per line (empty = none)
  std::string slices_path;       // CSV of sample_id,tag[,tag...] (empty = none)
  std::string gate;              // "top1_drop<=1.0,..." (empty = no gates)
  int64_t limit = -1;
  int threads = 0;
  int32_t csv_label_column = -2;
  int32_t worst_n = 20;
};

// Pipeline options for the request's models and data. What only one front end has (target,
// device, progress, in-memory data) is left at its default for the caller to set.
VerifyOptions PipelineOptions(const VerifyRequest& request, KernelFlavor kernels);

// Sets config->worst_n and, when the request names them, replaces config's class names and
// slices with those read from the files (errors name the file).
[[nodiscard]] Status LoadAnalysisConfig(const VerifyRequest& request, AnalysisConfig* config);

// Feeds pipeline samples to an Analyzer created at the first sample, because folder datasets
// only supply their class names (in `info`) once opened. Not copyable: sink() captures this.
class LazyAnalyzer {
 public:
  // `info` must outlive this object; its class names fill config.class_names when empty
  // (errors about them then name `data_path`).
  LazyAnalyzer(AnalysisConfig config, int32_t variants, const PipelineInfo* info,
               const std::string& data_path = "");
  LazyAnalyzer(const LazyAnalyzer&) = delete;
  LazyAnalyzer& operator=(const LazyAnalyzer&) = delete;

  const SampleSink& sink() const { return sink_; }
  // False until the first sample arrived (the data had no samples).
  bool started() const { return analyzer_ != nullptr; }
  // Requires started().
  [[nodiscard]] Status Finish(const VerifySetup& setup, VerifyResult* result);

 private:
  AnalysisConfig config_;
  int32_t variants_;
  const PipelineInfo* info_;
  std::unique_ptr<Analyzer> analyzer_;
  SampleSink sink_;
};

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_REQUEST_H_
