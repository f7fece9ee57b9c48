#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/elementwise_common.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion AddOpts(tflite::ActivationFunctionType act) {
  tflite::BuiltinOptionsUnion u;
  tflite::AddOptionsT o;
  o.fused_activation_function = act;
  u.Set(o);
  return u;
}

// Builds in1 (+) in2 -> out with the given types/shapes/quantization; both inputs are graph
// inputs.
struct AddModel {
  LoadedModel m;
  Status status;
  AddModel(DataType t, std::vector<int32_t> s1, std::vector<int32_t> s2, std::vector<int32_t> so,
           QuantSpec q1 = {}, QuantSpec q2 = {}, QuantSpec qo = {},
           tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE) {
    ModelBuilder b;
    int a = b.AddTensor(t, s1, q1, "a");
    int c = b.AddTensor(t, s2, q2, "b");
    int o = b.AddTensor(t, so, qo, "out");
    b.AddOperator(op::kAdd, {a, c}, {o}, AddOpts(act));
    b.SetGraphIO({a, c}, {o});
    status = m.Load(b.Build());
  }
};

TEST(Add, FloatBroadcastAndRelu6) {
  // [2,3] + [3] with RELU6: hand-computed sums clamped to [0, 6].
  AddModel am(DataType::kFloat32, {2, 3}, {3}, {2, 3}, {}, {}, {},
              tflite::ActivationFunctionType::RELU6);
  ASSERT_TRUE(am.status.ok()) << am.status.message();
  am.m.SetInput<float>(0, {1.0f, -2.0f, 5.5f, 0.25f, 3.0f, -1.0f});
  am.m.SetInput<float>(1, {0.5f, 1.0f, 1.0f});
  ASSERT_TRUE(am.m.interpreter().Invoke().ok());
  EXPECT_EQ(am.m.Output<float>(0), (std::vector<float>{1.5f, 0.0f, 6.0f, 0.75f, 4.0f, 0.0f}));
  EXPECT_TRUE(am.m.interpreter().GuardsIntact());
}

TEST(Add, Int8HandChecked) {
  // s1 = s2 = 0.5, sO = 1, all zero points 0 except z1 = 1.
  // T = 1.0: r1 = r2 = 0.5 -> (M = 2^30, e = 0); ro = 1 / 2^20 -> (M = 2^30, e = -19).
  // a = (x1 - 1) * 2^20, a' = a / 2 exactly; raw = 2^19 * (x1 - 1 + x2); out = raw / 2^20
  // rounded half away from zero = round((x1 - 1 + x2) / 2):
  //   x1=4,x2=2 -> 5/2 = 2.5 -> 3;  x1=0,x2=-2 -> -3/2 -> -2;  x1=1,x2=0 -> 0;
  //   x1=127,x2=127 -> 253/2 -> 127 (126.5 rounds up);  x1=-128,x2=-128 -> -257/2 -> -129 ->
  //   clamped -128.
  AddModel am(DataType::kInt8, {5}, {5}, {5}, QuantSpec::PerTensor(0.5f, 1),
              QuantSpec::PerTensor(0.5f, 0), QuantSpec::PerTensor(1.0f, 0));
  ASSERT_TRUE(am.status.ok()) << am.status.message();
  am.m.SetInput<int8_t>(0, {4, 0, 1, 127, -128});
  am.m.SetInput<int8_t>(1, {2, -2, 0, 127, -128});
  ASSERT_TRUE(am.m.interpreter().Invoke().ok());
  EXPECT_EQ(am.m.Output<int8_t>(0), (std::vector<int8_t>{3, -2, 0, 127, -128}));
  EXPECT_TRUE(am.m.interpreter().GuardsIntact());
}

TEST(Add, Int8ReluUsesOutputZeroPoint) {
  // sO = 1, zO = -10, RELU -> act_min = zO = -10. x1 + x2 (scales 0.5 each, z 0) -> sum/2 - 10.
  AddModel am(DataType::kInt8, {1, 3}, {1, 1}, {1, 3}, QuantSpec::PerTensor(0.5f, 0),
              QuantSpec::PerTensor(0.5f, 0), QuantSpec::PerTensor(1.0f, -10),
              tflite::ActivationFunctionType::RELU);
  ASSERT_TRUE(am.status.ok()) << am.status.message();
  am.m.SetInput<int8_t>(0, {-40, 10, 100});
  am.m.SetInput<int8_t>(1, {20});
  ASSERT_TRUE(am.m.interpreter().Invoke().ok());
  // (-40+20)/2 - 10 = -20 -> -10;  (10+20)/2 - 10 = 5;  (100+20)/2 - 10 = 50.
  EXPECT_EQ(am.m.Output<int8_t>(0), (std::vector<int8_t>{-10, 5, 50}));
}

// Independent per-element reference of §8.1 (ADD multipliers in double) used for random tests.
int32_t RefAdd(int32_t x1, int32_t x2, float s1, int32_t z1, float s2, int32_t z2, float so,
               int32_t zo, int shift_l, int32_t lo, int32_t hi) {
  const double t = 2.0 * static_cast<double>(s1 > s2 ? s1 : s2);
  int32_t m1, m2, mo;
  int e1, e2, eo;
  qm::QuantizeMultiplier(static_cast<double>(s1) / t, &m1, &e1);
  qm::QuantizeMultiplier(static_cast<double>(s2) / t, &m2, &e2);
  qm::QuantizeMultiplier(t / (static_cast<double>(1 << shift_l) * so), &mo, &eo);
  const int32_t a = qm::RDBPOT(qm::SRDHM((x1 - z1) * (1 << shift_l), m1), -e1);
  const int32_t b = qm::RDBPOT(qm::SRDHM((x2 - z2) * (1 << shift_l), m2), -e2);
  const int32_t o = qm::RDBPOT(qm::SRDHM(a + b, mo), -eo) + zo;
  return o < lo ? lo : (o > hi ? hi : o);
}

TEST(Add, Int8RandomBroadcastMatchesReference) {
  const uint32_t seed = 12345;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int iter = 0; iter < 20; ++iter) {
    std::uniform_real_distribution<float> sd(0.001f, 0.2f);
    std::uniform_int_distribution<int> zd(-128, 127), vd(-128, 127);
    const float s1 = sd(rng), s2 = sd(rng), so = sd(rng);
    const int z1 = zd(rng), z2 = zd(rng), zo = zd(rng);
    // [2,1,3,4] + [1,5,1,4] -> [2,5,3,4]
    AddModel am(DataType::kInt8, {2, 1, 3, 4}, {1, 5, 1, 4}, {2, 5, 3, 4},
                QuantSpec::PerTensor(s1, z1), QuantSpec::PerTensor(s2, z2),
                QuantSpec::PerTensor(so, zo));
    ASSERT_TRUE(am.status.ok()) << am.status.message();
    std::vector<int8_t> a(24), b(20);
    for (auto& v : a) v = static_cast<int8_t>(vd(rng));
    for (auto& v : b) v = static_cast<int8_t>(vd(rng));
    am.m.SetInput<int8_t>(0, a);
    am.m.SetInput<int8_t>(1, b);
    ASSERT_TRUE(am.m.interpreter().Invoke().ok());
    const auto out = am.m.Output<int8_t>(0);
    for (int n = 0; n < 2; ++n)
      for (int h = 0; h < 5; ++h)
        for (int w = 0; w < 3; ++w)
          for (int c = 0; c < 4; ++c) {
            const int32_t want =
                RefAdd(a[(n * 3 + w) * 4 + c], b[h * 4 + c], s1, z1, s2, z2, so, zo, 20, -128, 127);
            ASSERT_EQ(out[((n * 5 + h) * 3 + w) * 4 + c], want)
                << "iter " << iter << " at " << n << "," << h << "," << w << "," << c;
          }
  }
}

TEST(Add, Int16GeneralPath) {
  // int16 uses the general path with left shift 15 even for power-of-two scales (§8.1).
  // s1 = s2 = 2^-10, sO = 2^-9: out = round((x1 + x2) / 2) (ties away from zero).
  AddModel am(DataType::kInt16, {4}, {4}, {4}, QuantSpec::PerTensor(1.0f / 1024, 0),
              QuantSpec::PerTensor(1.0f / 1024, 0), QuantSpec::PerTensor(1.0f / 512, 0));
  ASSERT_TRUE(am.status.ok()) << am.status.message();
  am.m.SetInput<int16_t>(0, {3, -3, 32767, -32768});
  am.m.SetInput<int16_t>(1, {0, 0, 32767, -32768});
  ASSERT_TRUE(am.m.interpreter().Invoke().ok());
  EXPECT_EQ(am.m.Output<int16_t>(0), (std::vector<int16_t>{2, -2, 32767, -32768}));
}

TEST(Add, Int32WrapsAndIgnoresActivation) {
  AddModel am(DataType::kInt32, {3}, {1}, {3}, {}, {}, {}, tflite::ActivationFunctionType::RELU);
  ASSERT_TRUE(am.status.ok()) << am.status.message();
  am.m.SetInput<int32_t>(0, {-5, 2147483647, 7});
  am.m.SetInput<int32_t>(1, {1});
  ASSERT_TRUE(am.m.interpreter().Invoke().ok());
  EXPECT_EQ(am.m.Output<int32_t>(0), (std::vector<int32_t>{-4, -2147483647 - 1, 8}));
}

TEST(Add, RejectsBadOperands) {
  {
    AddModel am(DataType::kFloat32, {2, 3}, {2}, {2, 3});
    ASSERT_FALSE(am.status.ok());
    EXPECT_NE(std::string(am.status.message()).find("ADD"), std::string::npos)
        << am.status.message();
    EXPECT_NE(std::string(am.status.message()).find("broadcast"), std::string::npos);
  }
  {
    AddModel am(DataType::kFloat32, {2, 3}, {3}, {3, 3});
    ASSERT_FALSE(am.status.ok());
    EXPECT_NE(std::string(am.status.message()).find("output 'out'"), std::string::npos)
        << am.status.message();
  }
  {
    // int8 without quantization parameters.
    AddModel am(DataType::kInt8, {2}, {2}, {2});
    ASSERT_FALSE(am.status.ok());
    EXPECT_NE(std::string(am.status.message()).find("quantization"), std::string::npos)
        << am.status.message();
  }
  {
    ModelBuilder b;
    int a = b.AddTensor(DataType::kFloat32, {2}, {}, "a");
    int c = b.AddTensor(DataType::kInt32, {2}, {}, "b");
    int o = b.AddTensor(DataType::kFloat32, {2}, {}, "out");
    b.AddOperator(op::kAdd, {a, c}, {o});
    b.SetGraphIO({a, c}, {o});
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("input 'b' has type int32"), std::string::npos)
        << s.message();
  }
}

// ---- TFLM seanet int16 integration models (../shared), skipped when absent. ----
std::string SharedDir() {
  const char* env = std::getenv("TV_SHARED_DIR");
  std::string dir = env ? env : "";
  if (dir.empty()) {
    const std::string here = __FILE__;  // <root>/emulator/kernels/add_test.cc
    dir = here.substr(0, here.rfind("/emulator/")) + "/../shared";
  }
  std::ifstream probe(dir + "/models/tflm-seanet/add/add0.tflite");
  return probe.good() ? dir : "";
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::vector<int16_t> ReadCsv16(const std::string& path) {
  std::ifstream f(path);
  std::vector<int16_t> v;
  std::string item;
  while (std::getline(f, item, ',')) {
    if (item.find_first_not_of(" \r\n\t") != std::string::npos)
      v.push_back(static_cast<int16_t>(std::stol(item)));
  }
  return v;
}

TEST(Add, SeanetInt16MatchesTflm) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not available";
  for (int k = 0; k < 4; ++k) {
    const std::string base = shared + "/models/tflm-seanet/add/add" + std::to_string(k);
    SCOPED_TRACE(base);
    LoadedModel m;
    Status s = m.Load(ReadBytes(base + ".tflite"));
    ASSERT_TRUE(s.ok()) << s.message();
    m.SetInput<int16_t>(0, ReadCsv16(base + "_input0_int16.csv"));
    m.SetInput<int16_t>(1, ReadCsv16(base + "_input1_int16.csv"));
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    const auto golden = ReadCsv16(base + "_golden_int16.csv");
    ASSERT_EQ(m.Output<int16_t>(0), golden);
  }
}

}  // namespace
}  // namespace tv
