// The fidelity analysis behind `tinyverify verify`: streaming accumulators that turn
// per-sample outputs of the reference and of every tiny variant into a VerifyResult.
//
// Contract between the verify pipeline (datasets, input mapping, executors, threads) and the
// analysis (metrics, slices, gates, reports):
//   Analyzer a(config);                     // one per verify run
//   for each sample in dataset order: a.Add(outputs);   // index strictly increasing
//   VerifyResult r; TV_RETURN_IF_ERROR(a.Finish(setup, &r));
//   gates: EvaluateGates(spec, &r);  reports: reports::WriteAll(r, dir)
// Memory stays bounded: Add() keeps only O(classes^2) counters, a few scalars per sample for
// samples.csv / AUC, and the worst-N candidates (with their thumbnails, made only for them).
#ifndef TINYVERIFY_COMPARE_ANALYSIS_H_
#define TINYVERIFY_COMPARE_ANALYSIS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/host_tensor.h"
#include "compare/model_info.h"
#include "emulator/status.h"

namespace tv {
namespace verify {

enum class TaskKind { kAuto, kClassification, kRegression };

// A small image of the input for the report's worst-N gallery (8-bit, row-major HWC).
struct Thumbnail {
  int32_t height = 0, width = 0, channels = 0;  // channels 1 or 3
  std::vector<uint8_t> pixels;
};

// One sample after both sides ran. Output vectors are the models' primary output, flattened,
// in float: dequantized for int8/int16 models; probabilities when the pipeline decided the
// task is classification (softmax applied to logits); raw values for regression.
struct SampleOutputs {
  int64_t index = 0;                     // 0-based position in dataset order
  std::string id;                        // stable sample id (index as text, or a file path)
  int64_t label = -1;                    // class label, -1 when unknown
  std::vector<float> target;             // regression target (may be empty)
  std::vector<float> ref;                // reference output
  std::vector<std::vector<float>> tiny;  // one per tiny variant, same length as ref
  // Reconstruction models (autoencoders): the reference's input as float, same length as ref.
  // Each side's anomaly score is then its mean squared error against it (ROC AUC with 0/1
  // labels). Empty otherwise.
  std::vector<float> recon_input;
  Thumbnail thumbnail;  // optional (image data only)
  // The raw image sample (float 0..255, [H, W] or [H, W, C]) when `thumbnail` is empty: the
  // analysis thumbnails it only if the sample enters a worst-N list. Valid during Add() only.
  const HostTensor* image = nullptr;
};

// Int8/int16 activations of one tensor pinned at the type's min/max, summed over samples.
struct LayerSaturation {
  std::string tensor;
  std::string op;  // producing op, e.g. "CONV_2D"
  int64_t values = 0;
  int64_t at_min = 0;
  int64_t at_max = 0;
};

// What the pipeline knows about one model, recorded verbatim in the report.
struct ModelSetup {
  std::string path;
  std::string name;     // short name shown in tables (file stem)
  ModelInfo info;       // compression profile source (inspect data)
  std::string target;   // "host" | "cortex-m4" ...
  std::string kernels;  // "optimized" | "reference"
  // Tiny side only: input quantization clipping and activation saturation.
  int64_t input_values = 0;
  int64_t input_clipped = 0;
  std::vector<LayerSaturation> saturation;
  // Tiny side on a device target (--target cortex-m*): flash/RAM fit, stack high-water mark,
  // instructions per inference. device.target is empty for host runs.
  DeviceStats device;
};

struct VerifySetup {
  std::string data_path;
  std::string data_format;             // "npz" | "npy" | "idx" | "csv" | "folder" | "outputs"
  std::vector<std::string> decisions;  // every input-mapping decision, human readable
  ModelSetup ref;
  std::vector<ModelSetup> tiny;
  int threads = 1;
  double seconds_total = 0.0;
  double seconds_models = 0.0;  // time inside executors
};

struct AnalysisConfig {
  TaskKind task = TaskKind::kAuto;       // kAuto: classification when labels are integers
  int32_t num_classes = 0;               // 0 = from output length
  std::vector<std::string> class_names;  // optional, index = class
  std::string class_names_source;        // the file (or folder) they came from, for errors
  std::map<std::string, std::vector<std::string>> slices;  // sample id -> user tags
  int32_t worst_n = 20;
  double high_conf_threshold = 0.9;
  double rare_class_fraction = 0.01;
  // Samples expected (-1 unknown): per-sample rows are reserved once instead of regrown, which
  // halves the fresh memory they touch.
  int64_t expected_samples = -1;
};

struct VerifyResult;  // defined in compare/verify_result.h (owned by the analysis)

// Classes the analysis of a run starting with `first` will use; 0 for a regression.
int32_t ClassCount(const AnalysisConfig& config, const SampleOutputs& first);
// Error naming config.class_names_source when there are names but not k of them.
[[nodiscard]] Status CheckClassNames(const AnalysisConfig& config, int32_t k);

class Analyzer {
 public:
  Analyzer(AnalysisConfig config, int32_t num_variants);
  ~Analyzer();
  // Samples must arrive in increasing `index` order (the pipeline reorders worker output).
  [[nodiscard]] Status Add(const SampleOutputs& sample);
  [[nodiscard]] Status Finish(const VerifySetup& setup, VerifyResult* out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Parses "top1_drop<=1.0,agreement>=0.98" and evaluates each gate on every tiny variant;
// fills out->gates and out->passed. Unknown metric names or bad syntax are an error that
// names the offending gate (the CLI maps it to exit 2).
[[nodiscard]] Status EvaluateGates(const std::string& spec, VerifyResult* out);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_ANALYSIS_H_
