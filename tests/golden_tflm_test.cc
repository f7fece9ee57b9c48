// Whole-model goldens: ../shared/golden/tflm holds TFLM reference-kernel outputs for seeded
// inputs. int8 models must match bit for bit; float ones within rtol 1e-4 / atol 1e-5 of the
// output range. Also checks the planned arena against the bytes TFLM used.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/npy.h"
#include "compare/tflite_executor.h"
#include "tests/support/shared_paths.h"

namespace tv {
namespace {

struct GoldenModel {
  std::string id, kind, model_file;
  long long arena_used = 0;
};
void PrintTo(const GoldenModel& m, std::ostream* os) { *os << m.id; }

// Minimal extraction of the fields we need from manifest.json (flat string scan: the test
// must not pull a JSON library into the test tree).
std::string FieldAfter(const std::string& text, size_t from, const std::string& key, size_t* at) {
  const std::string k = "\"" + key + "\":";
  size_t p = text.find(k, from);
  if (p == std::string::npos) return "";
  p += k.size();
  while (p < text.size() && text[p] == ' ') ++p;
  size_t end;
  std::string value;
  if (text[p] == '"') {
    end = text.find('"', p + 1);
    value = text.substr(p + 1, end - p - 1);
  } else {
    end = text.find_first_of(",\n}", p);
    value = text.substr(p, end - p);
  }
  if (at) *at = end;
  return value;
}

std::vector<GoldenModel> LoadManifest() {
  std::vector<GoldenModel> models;
  const std::string shared = testing::SharedDir();
  if (shared.empty()) return {{"shared_dir_absent", "", "", 0}};
  const std::string text = testing::ReadText(shared + "/golden/tflm/manifest.json");
  const size_t end = text.find("\"excluded\"");
  size_t pos = 0;
  while (true) {
    size_t at = 0;
    GoldenModel m;
    m.id = FieldAfter(text, pos, "id", &at);
    if (m.id.empty() || at > end) break;
    m.kind = FieldAfter(text, at, "kind", nullptr);
    m.model_file = FieldAfter(text, at, "model_file", nullptr);
    m.arena_used = std::atoll(FieldAfter(text, at, "arena_used_bytes", nullptr).c_str());
    models.push_back(m);
    pos = at;
  }
  return models;
}

class GoldenTflm : public ::testing::TestWithParam<GoldenModel> {};

void CompareOutputs(const GoldenModel& m, const HostTensor& got, const HostTensor& want,
                    const std::string& where) {
  ASSERT_EQ(got.dtype, want.dtype) << where;
  ASSERT_EQ(got.shape, want.shape) << where;
  if (want.dtype != DataType::kFloat32) {
    int mismatches = 0;
    for (size_t i = 0; i < want.bytes.size(); ++i) mismatches += got.bytes[i] != want.bytes[i];
    EXPECT_EQ(mismatches, 0) << where << ": int outputs must be bit-exact";
    return;
  }
  const float* g = got.As<float>();
  const float* w = want.As<float>();
  const int64_t n = want.NumElements();
  float range = 0;
  for (int64_t i = 0; i < n; ++i) range = std::max(range, std::fabs(w[i]));
  for (int64_t i = 0; i < n; ++i) {
    ASSERT_TRUE(std::isfinite(g[i])) << where << " element " << i;
    EXPECT_LE(std::fabs(g[i] - w[i]), 1e-5f * std::max(range, 1.0f) + 1e-4f * std::fabs(w[i]))
        << where << " element " << i << ": got " << g[i] << " want " << w[i];
  }
}

void RunGolden(const GoldenModel& m, KernelFlavor flavor) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent";
  ExecutorOptions opts;
  opts.kernels = flavor;
  std::unique_ptr<TfliteExecutor> exec;
  Status s = TfliteExecutor::Open(shared + "/" + m.model_file, opts, &exec);
  ASSERT_TRUE(s.ok()) << m.model_file << ": " << s.message();
  EXPECT_LE(static_cast<long long>(exec->interpreter().arena_bytes()), m.arena_used)
      << "planned arena larger than TFLM's";
  for (int k = 0; k < 2; ++k) {
    const std::string dir = shared + "/golden/tflm/" + m.id + "/case" + std::to_string(k);
    std::vector<HostTensor> in(exec->inputs().size()), out;
    for (size_t i = 0; i < in.size(); ++i) {
      ASSERT_TRUE(ReadNpy(dir + "_input" + std::to_string(i) + ".npy", &in[i]).ok());
    }
    exec->ResetState();
    ASSERT_TRUE(RunBatched(*exec, in, false, &out).ok());
    ASSERT_TRUE(exec->interpreter().GuardsIntact());
    for (size_t j = 0; j < out.size(); ++j) {
      HostTensor want;
      ASSERT_TRUE(ReadNpy(dir + "_output" + std::to_string(j) + ".npy", &want).ok());
      CompareOutputs(m, out[j], want, m.id + " case " + std::to_string(k) + " output " +
                                          std::to_string(j));
    }
  }
}

TEST_P(GoldenTflm, ReferenceKernels) { RunGolden(GetParam(), KernelFlavor::kReference); }
TEST_P(GoldenTflm, OptimizedKernels) { RunGolden(GetParam(), KernelFlavor::kOptimized); }

INSTANTIATE_TEST_SUITE_P(Manifest, GoldenTflm, ::testing::ValuesIn(LoadManifest()),
                         [](const ::testing::TestParamInfo<GoldenModel>& info) {
                           return info.param.id;
                         });

}  // namespace
}  // namespace tv
