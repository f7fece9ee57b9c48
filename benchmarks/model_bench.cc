// Whole-model latency of the .tflite emulator, one inference per iteration, single thread,
// for both kernel flavours. Models come from ../shared (TV_SHARED_DIR overrides); missing
// models are skipped with a message.
//   build/benchmarks/model_bench --benchmark_filter=ic_resnet
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "compare/tflite_executor.h"

namespace {

struct BenchModel {
  const char* id;
  const char* path;  // relative to the shared folder
};

const BenchModel kModels[] = {
    {"ic_resnet_int8", "models/mlperf-tiny/ic/pretrainedResnet_quant.tflite"},
    {"ic_large_int8", "models/mlperf-tiny/ic/pretrainedResnet_large_int8.tflite"},
    {"vww_int8", "models/mlperf-tiny/vww/vww_96_int8.tflite"},
    {"kws_int8", "models/mlperf-tiny/kws/kws_ref_model.tflite"},
    {"person_detect_int8", "models/tflm-person_detection/person_detect.tflite"},
    {"sww_int8", "models/mlperf-tiny/sww/str_ww_ref_model.tflite"},
    {"micro_speech_int8", "models/tflm-micro_speech/micro_speech_quantized.tflite"},
    {"ad_int8", "models/mlperf-tiny/ad/ad01_int8.tflite"},
    {"ic_resnet_float", "models/mlperf-tiny/ic/pretrainedResnet.tflite"},
    {"vww_float", "models/mlperf-tiny/vww/vww_96_float.tflite"},
};

std::string SharedDir() {
  const char* env = std::getenv("TV_SHARED_DIR");
  return env ? env : "../shared";
}

// Deterministic inputs over the full range of each input's type.
std::vector<tv::HostTensor> RandomInputs(const tv::Executor& exec) {
  std::mt19937 rng(7);
  std::vector<tv::HostTensor> in;
  for (const tv::TensorSpec& s : exec.inputs()) {
    tv::HostTensor t;
    t.dtype = s.dtype;
    t.shape = s.shape;
    t.bytes.resize(static_cast<size_t>(t.NumElements()) * tv::DataTypeSize(s.dtype));
    if (s.dtype == tv::DataType::kFloat32) {
      std::uniform_real_distribution<float> u(0.0f, 1.0f);
      for (int64_t i = 0; i < t.NumElements(); ++i) t.As<float>()[i] = u(rng);
    } else {
      for (auto& b : t.bytes) b = static_cast<uint8_t>(rng());
    }
    in.push_back(std::move(t));
  }
  return in;
}

void RunModel(benchmark::State& state, const BenchModel& m, tv::KernelFlavor flavor) {
  const std::string path = SharedDir() + "/" + m.path;
  if (!std::filesystem::exists(path)) {
    state.SkipWithError(("missing " + path).c_str());
    return;
  }
  tv::ExecutorOptions opts;
  opts.kernels = flavor;
  std::unique_ptr<tv::TfliteExecutor> exec;
  tv::Status s = tv::TfliteExecutor::Open(path, opts, &exec);
  if (!s.ok()) {
    state.SkipWithError(s.message());
    return;
  }
  const std::vector<tv::HostTensor> in = RandomInputs(*exec);
  std::vector<const tv::HostTensor*> ptrs;
  for (const auto& t : in) ptrs.push_back(&t);
  std::vector<tv::HostTensor> out;
  for (auto _ : state) {
    if (!exec->Invoke(ptrs, &out, nullptr).ok()) {
      state.SkipWithError("invoke failed");
      return;
    }
    benchmark::DoNotOptimize(out.data());
  }
}

const int kRegistered = [] {
  for (const BenchModel& m : kModels) {
    benchmark::RegisterBenchmark((std::string("model/") + m.id + "/reference").c_str(),
                                 [m](benchmark::State& st) {
                                   RunModel(st, m, tv::KernelFlavor::kReference);
                                 })
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("model/") + m.id + "/optimized").c_str(),
                                 [m](benchmark::State& st) {
                                   RunModel(st, m, tv::KernelFlavor::kOptimized);
                                 })
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
