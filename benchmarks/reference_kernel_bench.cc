// Single-kernel latency of the float reference's non-GEMM hot spots on the shapes of the
// onnx-light nets, single thread: depthwise 3x3 Conv (ShuffleNet) and the batch-1 fully
// connected GEMV (AlexNet fc6). Steadier than whole-model timings on a shared machine.
//   build/benchmarks/reference_kernel_bench --benchmark_filter=depthwise
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "reference/ops/depthwise_conv.h"
#include "reference/sgemv.h"
#include "reference/thread_pool.h"

namespace {

std::vector<float> Random(int64_t n) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = u(rng);
  return v;
}

// args: channels, input size (square), stride; 3x3 kernel, pad 1.
void BM_Depthwise3x3(benchmark::State& state) {
  const int64_t c = state.range(0), size = state.range(1), stride = state.range(2);
  tv::ref::ConvGeometry g;
  g.in = {size, size};
  g.kernel = {3, 3};
  g.strides = {stride, stride};
  g.dilations = {1, 1};
  g.pads = {1, 1, 1, 1};
  const int64_t out = (size + 2 - 3) / stride + 1;
  g.out = {out, out};
  const std::vector<float> x = Random(c * size * size), w = Random(c * 9), bias = Random(c);
  std::vector<float> y(static_cast<size_t>(c * out * out));
  tv::ref::ThreadPool pool(1);
  for (auto _ : state) {
    tv::ref::DepthwiseConv2D(g, 1, c, x.data(), w.data(), bias.data(), y.data(), &pool);
    benchmark::DoNotOptimize(y.data());
  }
}
BENCHMARK(BM_Depthwise3x3)
    ->Args({136, 28, 1})
    ->Args({272, 14, 1})
    ->Args({544, 7, 1})
    ->Args({112, 56, 2})
    ->Unit(benchmark::kMicrosecond);

void BM_Gemv(benchmark::State& state) {
  const int64_t k = state.range(0), n = state.range(1);
  const std::vector<float> a = Random(k), b = Random(k * n);
  tv::ref::PackedGemvMatrix packed;
  tv::ref::PackGemvMatrix(true, k, n, b.data(), k, &packed);
  std::vector<float> y(static_cast<size_t>(n));
  for (auto _ : state) {
    tv::ref::SgemvPacked(packed, a.data(), 1, y.data(), nullptr);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetBytesProcessed(state.iterations() * k * n * 4);
}
BENCHMARK(BM_Gemv)->Args({9216, 4096})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
