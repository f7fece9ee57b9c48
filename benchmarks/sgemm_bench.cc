// The reference's position-independent SGEMM (reference/sgemm.h) on the conv shapes that
// dominate the onnx-light nets, single thread, weights pre-packed as the Conv kernel does.
// Reports GFLOP/s; the machine's FMA peak is the yardstick.
//   build/benchmarks/sgemm_bench
#include <benchmark/benchmark.h>

#include <vector>

#include "reference/sgemm.h"

namespace {

void BM_SgemmPacked(benchmark::State& state) {
  const int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  std::vector<float> a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n)),
      c(static_cast<size_t>(m * n));
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(i % 13) * 0.01f;
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<float>(i % 7) * 0.02f;
  tv::ref::PackedMatrix packed;
  tv::ref::PackLeftMatrix(false, m, k, a.data(), k, &packed);
  for (auto _ : state) {
    tv::ref::SgemmPacked(packed, false, n, b.data(), n, c.data(), n, nullptr);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOPs"] = benchmark::Counter(static_cast<double>(2 * m * n * k),
                                                benchmark::Counter::kIsIterationInvariantRate);
}
// (out channels, output pixels, in channels x taps)
BENCHMARK(BM_SgemmPacked)
    ->ArgNames({"m", "n", "k"})
    ->Args({64, 50176, 27})    // vgg conv1_1
    ->Args({128, 12544, 576})  // vgg conv2_1 (3x3)
    ->Args({256, 3136, 2304})  // vgg conv3 (3x3)
    ->Args({512, 784, 4608})   // vgg conv4 (3x3)
    ->Args({512, 196, 4608})   // vgg conv5 (3x3)
    ->Args({256, 3136, 64})    // resnet 1x1 expand
    ->Args({64, 3136, 256})    // resnet 1x1 reduce
    ->Args({2048, 49, 512})    // resnet stage 5 1x1
    ->Args({1000, 169, 512})   // squeezenet conv10
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
