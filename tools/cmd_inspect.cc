// `tinyverify inspect MODEL [--json]`: operators, tensors, weights, planned arena, MACs.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "compare/executor.h"
#include "compare/npy.h"
#include "compare/tflite_executor.h"
#include "reports/model_info_json.h"
#include "tools/cli_error.h"
#include "tools/commands.h"
#include "tools/common_options.h"

namespace tv {
namespace cli {

namespace {

struct InspectArgs {
  std::string model;
  bool json = false;
  KernelOption kernels;
};

// Huffman-coded bits per element of a constant tensor (0 when not computed).
double BitsPerWeight(const TensorInfoRow& t) {
  int64_t n = 1;
  for (int64_t d : t.shape) n *= d;
  return n > 0 ? static_cast<double>(t.huffman_bits) / static_cast<double>(n) : 0.0;
}

std::string QuantText(const TensorInfoRow& t) {
  if (t.scales.empty()) return "";
  char buf[96];
  if (t.quantized_dimension >= 0) {
    std::snprintf(buf, sizeof(buf), "per-channel axis %d (%zu scales)", t.quantized_dimension,
                  t.scales.size());
  } else {
    std::snprintf(buf, sizeof(buf), "s=%.8g zp=%d", t.scales[0], t.zero_points[0]);
  }
  return buf;
}

void PrintText(const std::string& path, const ModelInfo& info) {
  std::printf("%s: %s model, %llu bytes, %d subgraph(s)\n", path.c_str(), info.format.c_str(),
              static_cast<unsigned long long>(info.file_bytes), info.subgraphs);
  std::printf("\nOperators (%zu):\n", info.ops.size());
  std::printf("  %4s  %-28s %3s  %14s\n", "#", "op", "ver", "MACs");
  for (const OpInfoRow& op : info.ops) {
    std::printf("  %4d  %-28s %3d  %14lld\n", op.index, op.op.c_str(), op.version,
                static_cast<long long>(op.macs));
  }
  std::printf("\nTensors (%zu):\n", info.tensors.size());
  for (const TensorInfoRow& t : info.tensors) {
    std::printf("  %4d  %-8s %-18s %9llu B %-5s %s  %s\n", t.index, DataTypeName(t.dtype),
                ShapeToString(t.shape).c_str(), static_cast<unsigned long long>(t.bytes),
                t.is_constant ? "const" : (t.is_variable ? "var" : ""), QuantText(t).c_str(),
                t.name.c_str());
  }
  uint64_t huffman_bits = 0;
  bool header = false;
  for (const TensorInfoRow& t : info.tensors) {
    if (!t.is_constant || t.huffman_bits == 0) continue;
    if (!header) {
      std::printf("\nWeights (constant tensors):\n  %4s  %9s %7s %11s  %s\n", "#", "sparsity",
                  "unique", "bits/weight", "name");
      header = true;
    }
    huffman_bits += t.huffman_bits;
    std::printf("  %4d  %8.1f%% %7lld %11.2f  %s\n", t.index, 100.0 * t.sparsity,
                static_cast<long long>(t.unique_values), BitsPerWeight(t), t.name.c_str());
  }
  std::printf("\nSummary:\n");
  std::printf("  parameters        %llu\n", static_cast<unsigned long long>(info.parameters));
  std::printf("  weight bytes      %llu\n", static_cast<unsigned long long>(info.weight_bytes));
  if (huffman_bits > 0) {
    std::printf("  Huffman-coded     %llu bytes (entropy-coded constant tensors)\n",
                static_cast<unsigned long long>((huffman_bits + 7) / 8));
  }
  std::printf("  planned arena     %llu bytes\n",
              static_cast<unsigned long long>(info.arena_bytes));
  std::printf("  op data (prepare) %llu bytes\n",
              static_cast<unsigned long long>(info.persistent_bytes));
  std::printf("  MACs / inference  %lld\n", static_cast<long long>(info.total_macs));
}

int Inspect(const InspectArgs& a) {
  std::unique_ptr<Executor> exec;
  ModelInfo info;
  const Status opened = OpenExecutor(a.model, a.kernels.ToOptions(), &exec);
  if (opened.ok()) {
    Check(exec->Inspect(&info), a.model);
  } else if (!InspectUnpreparedTflite(a.model, &info).ok()) {
    Check(opened, a.model);  // not a well-formed .tflite either
  }
  // A well-formed file TFLM cannot prepare (custom or hybrid operators) is still shown as
  // stored (no arena or MACs), then the error says why it cannot run: exit 2 either way.
  if (a.json) {
    std::printf("%s\n", reports::ModelInfoToJson(info).c_str());
  } else {
    PrintText(a.model, info);
  }
  Check(opened, a.model);
  return kExitOk;
}

}  // namespace

Action AddInspectCommand(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand("inspect",
                                     "Show a model's operators, tensors, weights, "
                                     "planned arena and MACs");
  cmd->add_option("model", args->model, "Model file (.tflite or .onnx)")->required();
  cmd->add_flag("--json", args->json, "Print JSON instead of text");
  args->kernels.Register(cmd);
  return [args] { return Inspect(*args); };
}

}  // namespace cli
}  // namespace tv
