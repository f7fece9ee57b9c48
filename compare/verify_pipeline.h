// The data side of `tinyverify verify` (and of the Python bindings): dataset -> input mapping ->
// reference + tiny executors on a small thread pool -> per-sample outputs in dataset order.
// The caller feeds them to an Analyzer (compare/analysis.h); this file knows no metrics.
#ifndef TINYVERIFY_COMPARE_VERIFY_PIPELINE_H_
#define TINYVERIFY_COMPARE_VERIFY_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compare/analysis.h"
#include "compare/dataset.h"
#include "compare/executor.h"
#include "compare/thumbnail.h"
#include "emulator/kernel_api.h"
#include "emulator/status.h"

namespace tv {
namespace verify {

struct VerifyOptions {
  std::string ref_path;                 // float model (.onnx or .tflite)
  std::vector<std::string> tiny_paths;  // one or more .tflite variants
  std::string data_path;
  DatasetOptions dataset;
  // When set, samples come from here instead of opening data_path (in-memory arrays from the
  // Python bindings); data_path then only names the data in the report. Not owned.
  Dataset* data = nullptr;
  int64_t limit = -1;      // first N samples only (-1 = all)
  std::string preprocess;  // "scale=1/255,mean=..,std=.." (empty = see DefaultPreprocess)
  int threads = 0;         // 0 = all hardware threads
  KernelFlavor kernels = KernelFlavor::kReference;
  // Where the tiny models run: "host", or a Cortex-M target under QEMU (one boot per chunk).
  std::string target = "host";
  DeviceOptions device;
  int32_t chunk_per_thread = 256;  // most samples per worker per chunk (bounds memory)
  bool saturation = true;          // count int8 activations pinned at -128/127
  // Called on the calling thread after each chunk: samples done, total (-1 when unknown).
  std::function<void(int64_t done, int64_t total)> progress;
};

// Called once per sample, in dataset order (index 0, 1, 2, ...), on the calling thread.
using SampleSink = std::function<Status(const SampleOutputs&)>;

struct PipelineInfo {
  int64_t samples = 0;
  std::vector<std::string> class_names;  // from the dataset (image folders), else empty
  // kRegression when the models decide it (a reconstruction model, see IsReconstruction), set
  // before the first sample reaches the sink; kAuto leaves it to the Analyzer.
  TaskKind task = TaskKind::kAuto;
  int64_t expected_samples = -1;  // after --limit; -1 when the dataset does not say (CSV)
};

// Errors name the file involved (model, data or labels path).
[[nodiscard]] Status RunVerifyPipeline(const VerifyOptions& options, const SampleSink& sink,
                                       VerifySetup* setup, PipelineInfo* info);

// `verify --ref-outputs R.npy --tiny-outputs T.npy [--labels y.npy]`: outputs recorded
// elsewhere (e.g. logged from a board), [N, ...] each; same softmax decision as the pipeline.
[[nodiscard]] Status RunRecordedOutputs(const std::string& ref_outputs,
                                        const std::vector<std::string>& tiny_outputs,
                                        const std::string& labels_path, int64_t limit,
                                        const SampleSink& sink, VerifySetup* setup,
                                        PipelineInfo* info);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_PIPELINE_H_
