// `tinyverify verify` end to end on a 28x28 CNN pair (float reference + int8 tiny, built in
// memory by tests/support/verify_models.cc) over 2,000 synthetic uint8 IDX images: dataset
// reading, input mapping, both models, softmax, Analyzer. Reports samples/s and the share of
// worker time spent outside the models (the pipeline overhead; goal < 10%).
//   build/benchmarks/verify_bench --benchmark_filter=Verify
// Set TV_BENCH_KEEP=DIR to keep the generated models and data there (for manual CLI runs).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "compare/analysis.h"
#include "compare/dataset.h"
#include "compare/executor.h"
#include "compare/file_io.h"
#include "compare/input_mapping.h"
#include "compare/verify_pipeline.h"
#include "compare/verify_result.h"
#include "tests/support/verify_models.h"

namespace {

namespace fs = std::filesystem;

constexpr int kSamples = 2000;

// Models and data are written once per process.
const std::string& BenchDir() {
  static const std::string dir = [] {
    const char* keep = std::getenv("TV_BENCH_KEEP");
    const fs::path d = keep ? fs::path(keep) : fs::temp_directory_path() / "tv_verify_bench";
    fs::create_directories(d);
    for (bool int8 : {false, true}) {
      const std::vector<uint8_t> m = tv::testing::BuildCnn28(int8);
      const std::string path = (d / (int8 ? "tiny.tflite" : "ref.tflite")).string();
      if (!tv::WriteFileBytes(path, m.data(), m.size()).ok()) std::abort();
    }
    std::mt19937 rng(7);
    std::string images{0, 0,  8, 3, 0, 0, char(kSamples >> 8), char(kSamples & 255), 0, 0,
                       0, 28, 0, 0, 0, 28};
    std::string labels{0, 0, 8, 1, 0, 0, char(kSamples >> 8), char(kSamples & 255)};
    for (int i = 0; i < kSamples; ++i) {
      // Blobby images rather than noise: a few bright rectangles on black.
      std::string img(784, '\0');
      for (int r = 0; r < 3; ++r) {
        const int y0 = rng() % 20, x0 = rng() % 20, h = 3 + rng() % 8, w = 3 + rng() % 8;
        for (int y = y0; y < std::min(28, y0 + h); ++y)
          for (int x = x0; x < std::min(28, x0 + w); ++x) img[y * 28 + x] = char(128 + rng() % 128);
      }
      images += img;
      labels += char(rng() % 10);
    }
    std::ofstream((d / "bench-images-idx3-ubyte").string(), std::ios::binary) << images;
    std::ofstream((d / "bench-labels-idx1-ubyte").string(), std::ios::binary) << labels;
    return d.string();
  }();
  return dir;
}

// CPU seconds of the whole process (all threads): robust on a loaded machine, unlike wall time.
double ProcessCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The floor: both models alone on pre-quantized inputs, one thread, no data, no analysis.
// Pipeline overhead = 1 - (this CPU per sample) / (BM_VerifyEndToEnd's CPU per sample).
void BM_ModelsOnly(benchmark::State& state) {
  tv::ExecutorOptions eo;
  eo.kernels = state.range(0) ? tv::KernelFlavor::kOptimized : tv::KernelFlavor::kReference;
  std::unique_ptr<tv::Executor> ref, tiny;
  if (!tv::OpenExecutor(BenchDir() + "/ref.tflite", eo, &ref).ok() ||
      !tv::OpenExecutor(BenchDir() + "/tiny.tflite", eo, &tiny).ok()) {
    state.SkipWithError("cannot open the bench models");
    return;
  }
  tv::HostTensor x{tv::DataType::kFloat32, {1, 28, 28, 1}, std::vector<uint8_t>(784 * 4)};
  tv::HostTensor q{tv::DataType::kInt8, {1, 28, 28, 1}, std::vector<uint8_t>(784)};
  std::vector<tv::HostTensor> out;
  const double cpu0 = ProcessCpuSeconds();
  int64_t samples = 0;
  for (auto _ : state) {
    for (int i = 0; i < kSamples; ++i) {
      x.As<float>()[i % 784] = static_cast<float>(i % 255) / 255.0f;
      q.As<int8_t>()[i % 784] = static_cast<int8_t>(i % 255 - 128);
      ref->ResetState();
      if (!ref->Invoke({&x}, &out).ok()) std::abort();
      tiny->ResetState();
      if (!tiny->Invoke({&q}, &out).ok()) std::abort();
    }
    samples += kSamples;
  }
  state.counters["cpu_us_per_sample"] = 1e6 * (ProcessCpuSeconds() - cpu0) / samples;
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ModelsOnly)
    ->ArgNames({"optimized"})
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_VerifyEndToEnd(benchmark::State& state) {
  tv::verify::VerifyOptions o;
  o.ref_path = BenchDir() + "/ref.tflite";
  o.tiny_paths = {BenchDir() + "/tiny.tflite"};
  o.data_path = BenchDir() + "/bench-images-idx3-ubyte";
  o.threads = static_cast<int>(state.range(0));
  o.kernels = state.range(1) ? tv::KernelFlavor::kOptimized : tv::KernelFlavor::kReference;
  double total = 0, models = 0;
  int64_t samples = 0;
  const double cpu0 = ProcessCpuSeconds();
  for (auto _ : state) {
    tv::verify::Analyzer analyzer(tv::verify::AnalysisConfig(), 1);
    tv::verify::VerifySetup setup;
    tv::verify::PipelineInfo info;
    tv::Status s = tv::verify::RunVerifyPipeline(
        o, [&](const tv::verify::SampleOutputs& x) { return analyzer.Add(x); }, &setup, &info);
    tv::verify::VerifyResult result;
    if (s.ok()) s = analyzer.Finish(setup, &result);
    if (!s.ok()) {
      state.SkipWithError(s.message());
      return;
    }
    total += setup.seconds_total * setup.threads;
    models += setup.seconds_models;
    samples += info.samples;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
  // Wall-clock share of worker time outside the models (inflated on a loaded machine).
  state.counters["overhead_wall_pct"] = total > 0 ? 100.0 * (1.0 - models / total) : 0.0;
  state.counters["cpu_us_per_sample"] = 1e6 * (ProcessCpuSeconds() - cpu0) / samples;
}
BENCHMARK(BM_VerifyEndToEnd)
    ->ArgNames({"threads", "optimized"})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// Reading alone: Fashion-MNIST t10k from ../shared (gzip IDX, 7.8 MB inflated, the main
// thread's largest cost in `verify`). Skips without TV_SHARED_DIR.
void BM_ReadFashionIdxGz(benchmark::State& state) {
  const char* shared = std::getenv("TV_SHARED_DIR");
  const std::string path =
      std::string(shared ? shared : "../shared") + "/data/fashion-mnist/t10k-images-idx3-ubyte.gz";
  if (!fs::exists(path)) {
    state.SkipWithError("needs TV_SHARED_DIR with data/fashion-mnist");
    return;
  }
  int64_t samples = 0;
  tv::verify::Sample sample;
  for (auto _ : state) {
    std::unique_ptr<tv::verify::Dataset> ds;
    if (!tv::verify::OpenDataset(path, {}, &ds).ok()) std::abort();
    for (bool done = false;;) {
      if (!ds->Next(&sample, &done).ok()) std::abort();
      if (done) break;
      ++samples;
    }
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReadFashionIdxGz)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
