// Whole-model latency of the float ONNX reference (reference/), one inference per iteration,
// at 1 and 2 intra-op threads. Models come from ../shared (TV_SHARED_DIR overrides); missing
// models are skipped with a message. The ONNX Runtime 1.30 single-thread figures the issue
// compares against are printed as counters (ort_ms) so the ratio is read off one table.
//   build/benchmarks/reference_bench --benchmark_filter=squeezenet
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "reference/onnx_model.h"

namespace {

struct BenchModel {
  const char* id;
  const char* path;  // relative to the shared folder; "@..." relative to the source tree
  double ort_ms;     // ONNX Runtime, 1 thread, this machine class (0 = not measured)
};

const BenchModel kModels[] = {
    {"alexnet", "models/onnx-light/light_bvlc_alexnet.onnx", 32.8},
    {"densenet121", "models/onnx-light/light_densenet121.onnx", 58.9},
    {"inception_v1", "models/onnx-light/light_inception_v1.onnx", 46.1},
    {"inception_v2", "models/onnx-light/light_inception_v2.onnx", 35.4},
    {"resnet50", "models/onnx-light/light_resnet50.onnx", 75.1},
    {"shufflenet", "models/onnx-light/light_shufflenet.onnx", 4.39},
    {"squeezenet", "models/onnx-light/light_squeezenet.onnx", 6.68},
    {"vgg19", "models/onnx-light/light_vgg19.onnx", 358.7},
    {"zfnet512", "models/onnx-light/light_zfnet512.onnx", 71.9},
    {"mnist_zoo", "models/onnx-zoo-mnist/model.onnx", 0.0},
    // MLPerf-Tiny-sized: the bundled 28x28 Fashion-MNIST CNN (path under the source tree).
    {"fashion_cnn", "@examples/fashion/fashion_cnn.onnx", 0.0},
};

std::string SharedDir() {
  const char* env = std::getenv("TV_SHARED_DIR");
  return env ? env : "../shared";
}

// Deterministic inputs in [0, 1); symbolic dimensions bound to 1.
std::vector<tv::ref::Tensor> RandomInputs(const tv::ref::OnnxModel& model) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<tv::ref::Tensor> in;
  for (const tv::ref::TensorInfo& info : model.inputs()) {
    tv::ref::Tensor t;
    t.dtype = info.dtype;
    for (int64_t d : info.shape) t.shape.push_back(d < 0 ? 1 : d);
    t.bytes.resize(static_cast<size_t>(t.NumElements()) * tv::DataTypeSize(info.dtype));
    if (info.dtype == tv::DataType::kFloat32) {
      for (int64_t i = 0; i < t.NumElements(); ++i) t.mutable_data<float>()[i] = u(rng);
    }
    in.push_back(std::move(t));
  }
  return in;
}

void RunModel(benchmark::State& state, const BenchModel& m, int threads) {
  const std::string path = m.path[0] == '@' ? std::string(TV_SOURCE_DIR) + "/" + (m.path + 1)
                                            : SharedDir() + "/" + m.path;
  if (!std::filesystem::exists(path)) {
    state.SkipWithError(("missing " + path).c_str());
    return;
  }
  std::unique_ptr<tv::ref::OnnxModel> model;
  tv::Status s = tv::ref::OnnxModel::Load(path, &model);
  if (!s.ok()) {
    state.SkipWithError(s.message());
    return;
  }
  const std::vector<tv::ref::Tensor> in = RandomInputs(*model);
  std::vector<tv::ref::Tensor> out;
  // Warm-up outside the timed loop: the first Run plans the graph for the input shapes and
  // folds constant subgraphs (hundreds of MB for the ConstantOfShape-generated light nets).
  if (!model->Run(in, &out, threads).ok()) {
    state.SkipWithError("run failed");
    return;
  }
  for (auto _ : state) {
    if (!model->Run(in, &out, threads).ok()) {
      state.SkipWithError("run failed");
      return;
    }
    benchmark::DoNotOptimize(out.data());
  }
  if (m.ort_ms > 0.0) state.counters["ort_ms"] = m.ort_ms;
}

const int kRegistered = [] {
  for (const BenchModel& m : kModels) {
    for (int threads : {1, 2}) {
      const std::string name = std::string("onnx/") + m.id + "/threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(name.c_str(),
                                   [m, threads](benchmark::State& st) { RunModel(st, m, threads); })
          ->Unit(benchmark::kMillisecond)
          ->MinTime(1.0);
    }
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
