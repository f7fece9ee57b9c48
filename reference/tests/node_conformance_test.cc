// Runs every ONNX node test shipped by Debian's libonnx-testdata. Tests whose operators are all
// in the required list (issue 4) must pass; the rest are skipped and counted. With
// TV_CONFORMANCE_OUT=<file>, one tab-separated line per test is appended there for
// scripts/onnx_conformance.py: name, status (pass/fail/skip/waived), ops, detail.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "reference/ops/registry.h"
#include "reference/tests/test_util.h"

namespace tv {
namespace ref {
namespace {

constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-7;

std::string NodeTestDir() {
  if (const char* env = std::getenv("TV_ONNX_NODE_TEST_DIR")) return env;
  return "/usr/include/onnx/backend/test/data/node";
}

// The operator list of issue 4 (plus Constant, which every exporter emits).
const std::set<std::string>& RequiredOps() {
  static const std::set<std::string> ops = {"Conv",
                                            "ConvTranspose",
                                            "Gemm",
                                            "MatMul",
                                            "Add",
                                            "Sub",
                                            "Mul",
                                            "Div",
                                            "Pow",
                                            "Sqrt",
                                            "Exp",
                                            "Log",
                                            "Neg",
                                            "Abs",
                                            "Reciprocal",
                                            "Floor",
                                            "Ceil",
                                            "Erf",
                                            "Relu",
                                            "LeakyRelu",
                                            "PRelu",
                                            "Elu",
                                            "Selu",
                                            "Clip",
                                            "Sigmoid",
                                            "HardSigmoid",
                                            "HardSwish",
                                            "Tanh",
                                            "Softmax",
                                            "LogSoftmax",
                                            "Gelu",
                                            "BatchNormalization",
                                            "LRN",
                                            "InstanceNormalization",
                                            "LayerNormalization",
                                            "MaxPool",
                                            "AveragePool",
                                            "GlobalAveragePool",
                                            "GlobalMaxPool",
                                            "Dropout",
                                            "Identity",
                                            "Flatten",
                                            "Reshape",
                                            "Transpose",
                                            "Squeeze",
                                            "Unsqueeze",
                                            "Concat",
                                            "Split",
                                            "Slice",
                                            "Gather",
                                            "Pad",
                                            "Shape",
                                            "ConstantOfShape",
                                            "Expand",
                                            "Tile",
                                            "Cast",
                                            "Where",
                                            "Equal",
                                            "Less",
                                            "Greater",
                                            "ReduceMean",
                                            "ReduceSum",
                                            "ReduceMax",
                                            "ReduceMin",
                                            "ReduceProd",
                                            "ReduceL2",
                                            "ArgMax",
                                            "Resize",
                                            "Upsample",
                                            "Sum",
                                            "Max",
                                            "Min",
                                            "Mean",
                                            "QuantizeLinear",
                                            "DequantizeLinear",
                                            "QLinearConv",
                                            "QLinearMatMul",
                                            "MatMulInteger",
                                            "ConvInteger",
                                            "DynamicQuantizeLinear",
                                            "Constant"};
  return ops;
}

// In-scope tests that cannot pass by construction, with the reason shown in the table.
const std::map<std::string, std::string>& Waivers() {
  static const std::map<std::string, std::string> waivers = {
#include "reference/tests/node_test_waivers.inc"
  };
  return waivers;
}

void Record(const std::string& name, const std::string& status, const std::vector<std::string>& ops,
            const std::string& detail) {
  const char* out = std::getenv("TV_CONFORMANCE_OUT");
  if (!out) return;
  std::ofstream file(out, std::ios::app);
  std::string op_list;
  for (const auto& op : ops) op_list += (op_list.empty() ? "" : ",") + op;
  std::string clean = detail;
  for (char& c : clean)
    if (c == '\t' || c == '\n') c = ' ';
  file << name << '\t' << status << '\t' << op_list << '\t' << clean << '\n';
}

class NodeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NodeTest, MatchesExpectedOutputs) {
  const std::string name = GetParam();
  if (name == "no_node_tests_installed") GTEST_SKIP() << "libonnx-testdata is not installed";
  const std::string dir = NodeTestDir() + "/" + name;
  std::vector<std::string> ops;
  ASSERT_TRUE(testing::ModelOps(dir + "/model.onnx", &ops).ok());
  std::string missing;
  for (const auto& op : ops) {
    if (!RequiredOps().count(op)) missing += (missing.empty() ? "" : ",") + op;
  }
  auto waiver = Waivers().find(name);
  if (missing.empty() && waiver != Waivers().end()) {
    Record(name, "waived", ops, waiver->second);
    GTEST_SKIP() << "waived: " << waiver->second;
  }
  std::vector<Tensor> inputs, expected;
  Status loaded = testing::LoadTestData(dir, &inputs, &expected);
  std::string failure =
      loaded.ok() ? testing::RunAndCompare(dir + "/model.onnx", inputs, expected, kRtol, kAtol)
                  : std::string("test data: ") + loaded.message();
  if (!missing.empty()) {
    // Out of scope: still attempted, so the table shows what happens to work already.
    Record(name, failure.empty() ? "skip-pass" : "skip", ops, missing);
    GTEST_SKIP() << "operators outside the required list: " << missing;
  }
  Record(name, failure.empty() ? "pass" : "fail", ops, failure);
  EXPECT_EQ(failure, "") << name;
}

std::vector<std::string> AllNodeTests() {
  std::vector<std::string> names = testing::ListDirs(NodeTestDir());
  if (names.empty()) names.push_back("no_node_tests_installed");
  return names;
}

INSTANTIATE_TEST_SUITE_P(Onnx, NodeTest, ::testing::ValuesIn(AllNodeTests()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace ref
}  // namespace tv
