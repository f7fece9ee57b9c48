// Whole-model checks of UNIDIRECTIONAL_SEQUENCE_LSTM on TFLM's mnist_lstm example models (no
// TFLM goldens exist for them): the float model must classify the sample digit images, and the
// int8 model must agree with it on most samples. Skips when ../shared is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/model_builder.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

namespace tv {
namespace {

using testing::LoadedModel;

std::string SharedDir() {
  if (const char* d = std::getenv("TV_SHARED_DIR")) return d;
  if (const char* s = std::getenv("TV_SOURCE_DIR")) return std::string(s) + "/../shared";
  return "";
}

bool ReadFile(const std::string& path, std::vector<uint8_t>* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  out->clear();
  uint8_t buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out->insert(out->end(), buf, buf + n);
  std::fclose(f);
  return true;
}

// Loads a model; skips the test while another engineer's op is still a stub.
#define LOAD_OR_SKIP(m, path)                                                                     \
  do {                                                                                            \
    std::vector<uint8_t> bytes_;                                                                  \
    if (!ReadFile(path, &bytes_)) GTEST_SKIP() << "missing " << (path);                           \
    Status s_ = (m).Load(bytes_);                                                                 \
    if (!s_.ok() && std::string(s_.message()).find("not implemented yet") != std::string::npos && \
        std::string(s_.message()).find("UNIDIRECTIONAL_SEQUENCE_LSTM") == std::string::npos)      \
      GTEST_SKIP() << s_.message();                                                               \
    ASSERT_TRUE(s_.ok()) << s_.message();                                                         \
  } while (0)

// 28x28 grayscale pixels of samples/sample<d>.png.
bool LoadDigit(const std::string& dir, int d, std::vector<uint8_t>* pixels) {
  const std::string path = dir + "/samples/sample" + std::to_string(d) + ".png";
  int w = 0, h = 0, ch = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &ch, 1);
  if (data == nullptr) return false;
  const bool ok = w == 28 && h == 28;
  if (ok) pixels->assign(data, data + 28 * 28);
  stbi_image_free(data);
  return ok;
}

template <typename T>
int ArgMax(const std::vector<T>& v) {
  int best = 0;
  for (size_t k = 1; k < v.size(); ++k)
    if (v[k] > v[static_cast<size_t>(best)]) best = static_cast<int>(k);
  return best;
}

TEST(UnidirectionalSequenceLstmModel, MnistFloatAndInt8ClassifySamples) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "TV_SHARED_DIR / TV_SOURCE_DIR not set";
  const std::string dir = shared + "/models/tflm-mnist_lstm";
  LoadedModel fm, qm;
  LOAD_OR_SKIP(fm, dir + "/trained_lstm.tflite");
  LOAD_OR_SKIP(qm, dir + "/trained_lstm_int8.tflite");
  const Tensor* qin = qm.interpreter().input(0);
  ASSERT_EQ(qin->type, DataType::kInt8);
  int agree = 0;
  for (int d = 0; d < 10; ++d) {
    SCOPED_TRACE("sample" + std::to_string(d));
    std::vector<uint8_t> px;
    ASSERT_TRUE(LoadDigit(dir, d, &px));
    // Float model: pixels / 255 (the example's normalisation), batch-major [1, 28, 28].
    std::vector<float> x(px.size());
    for (size_t k = 0; k < px.size(); ++k) x[k] = static_cast<float>(px[k]) / 255.0f;
    fm.interpreter().ResetVariables();
    fm.SetInput<float>(0, x);
    ASSERT_TRUE(fm.interpreter().Invoke().ok());
    const std::vector<float> probs = fm.Output<float>(0);
    ASSERT_EQ(probs.size(), 10u);
    float sum = 0.0f;
    for (float p : probs) {
      EXPECT_TRUE(std::isfinite(p) && p >= 0.0f && p <= 1.0f) << p;
      sum += p;
    }
    EXPECT_NEAR(sum, 1.0f, 1e-4f);
    const int float_class = ArgMax(probs);
    EXPECT_EQ(float_class, d);

    // Int8 model: quantize the same normalised pixels with the input's scale / zero point.
    std::vector<int8_t> xq(px.size());
    for (size_t k = 0; k < px.size(); ++k) {
      const long q = std::lround(x[k] / qin->quant.scale) + qin->quant.zero_point;
      xq[k] = static_cast<int8_t>(q < -128 ? -128 : (q > 127 ? 127 : q));
    }
    qm.interpreter().ResetVariables();
    qm.SetInput<int8_t>(0, xq);
    ASSERT_TRUE(qm.interpreter().Invoke().ok());
    const std::vector<int8_t> qprobs = qm.Output<int8_t>(0);
    ASSERT_EQ(qprobs.size(), 10u);
    if (ArgMax(qprobs) == float_class) ++agree;
  }
  EXPECT_GE(agree, 8) << "int8 model agrees with the float model on " << agree << "/10 samples";
  EXPECT_TRUE(fm.interpreter().GuardsIntact());
  EXPECT_TRUE(qm.interpreter().GuardsIntact());
}

}  // namespace
}  // namespace tv
