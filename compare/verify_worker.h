// The per-model half of the verify pipeline (internal to compare/): opening one executor per
// model for each worker, mapping a sample into each model, running it, and turning outputs into
// float rows. compare/verify_pipeline.cc schedules these over the workers.
#ifndef TINYVERIFY_COMPARE_VERIFY_WORKER_H_
#define TINYVERIFY_COMPARE_VERIFY_WORKER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compare/analysis.h"
#include "compare/dataset.h"
#include "compare/executor.h"
#include "compare/input_mapping.h"
#include "compare/model_info.h"
#include "compare/verify_pipeline.h"
#include "emulator/status.h"

namespace tv {
namespace verify {

std::string Stem(const std::string& path);

// One model as seen by the pipeline: spec checks, input mapping, output post-processing.
struct ModelPlan {
  std::string path;
  InputMapper mapper;
  bool softmax = false;
  bool reconstruction = false;  // reference only: see IsReconstruction
  ModelInfo info;  // inspected once (weight statistics are not free), reused for the report
};

// Executors are not thread-safe: every worker owns one instance per model.
struct Worker {
  std::vector<std::unique_ptr<Executor>> models;  // [0] = reference, then tiny variants
  std::vector<int64_t> clipped;                   // per model
  double model_seconds = 0;
  Status status;              // the first failure (its sample is failed_index)
  int64_t failed_index = -1;  // workers claim samples in increasing order: the lowest failure
  std::vector<HostTensor> outs;
  HostTensor input;
  std::vector<const HostTensor*> in;  // {&input}, kept to avoid an allocation per Invoke
};

[[nodiscard]] Status OpenModels(const VerifyOptions& o, const ExecutorOptions& eo, Worker* w);

// Both models (host executors) on one sample; device-target models are left to RunDeviceChunk.
[[nodiscard]] Status ProcessSample(const std::vector<ModelPlan>& plans, const Sample& s,
                                   bool thumbnails, Worker* w, SampleOutputs* r);

// Device targets (QEMU) run a whole chunk in one boot instead of booting once per sample.
// `scratch` holds buffers and counters only (its models are not used).
[[nodiscard]] Status RunDeviceChunk(const ModelPlan& plan, size_t m, Executor& e,
                                    const std::vector<Sample>& chunk, Worker* scratch,
                                    std::vector<SampleOutputs>* results);

// Softmax per model and the task, decided once from sample 0 so every thread count agrees.
[[nodiscard]] Status DecideOutputs(const Sample& first, bool saturation,
                                   std::vector<ModelPlan>* plans, std::vector<Worker>* workers,
                                   VerifySetup* setup);

void FillModelSetup(const std::string& path, const Executor& e, const VerifyOptions& o,
                    ModelInfo info, ModelSetup* m);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_WORKER_H_
