// `tinyverify compress --onnx big.onnx --calib DATA --out tiny.tflite [...]`: int8 post-training
// quantization (optionally pruned / weight-shared) into a TFLM-loadable .tflite.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "compare/dataset.h"
#include "compare/executor.h"
#include "compare/file_io.h"
#include "compare/input_mapping.h"
#include "compress/compress.h"
#include "tools/cli_error.h"
#include "tools/commands.h"

namespace tv {
namespace cli {

namespace {

struct CompressArgs {
  std::string onnx, calib, out, activations = "minmax", preprocess;
  int64_t calib_limit = 500;
  bool per_tensor = false, per_channel = false;
  double prune = 0.0;
  int cluster = 0;
};

// Calibration samples: any dataset `verify` reads (npy/npz/IDX/CSV/folders), mapped to the
// float model input exactly as verify maps it (layout, --preprocess).
std::vector<HostTensor> ReadCalibration(const CompressArgs& a, std::vector<std::string>* notes) {
  std::unique_ptr<verify::Dataset> data;
  Check(verify::OpenDataset(a.calib, verify::DatasetOptions(), &data), "");
  verify::Preprocess pre;
  Check(verify::ParsePreprocess(a.preprocess, &pre), "--preprocess");
  std::unique_ptr<Executor> ref;
  Check(OpenExecutor(a.onnx, ExecutorOptions(), &ref), a.onnx);
  if (ref->inputs().size() != 1) throw CliError(a.onnx + ": compress supports one model input");
  verify::InputMapper mapper;
  Check(mapper.Plan(data->sample_shape(), ref->inputs()[0], pre, /*channels_first_hint=*/true,
                    a.onnx, notes),
        a.calib);
  if (data->integer_pixels() && !pre.given) {
    notes->push_back("warning: integer pixel data without --preprocess: values stay 0..255");
  }
  std::vector<HostTensor> samples;
  int64_t clipped = 0;
  while (static_cast<int64_t>(samples.size()) < a.calib_limit) {
    verify::Sample sample;
    bool done = false;
    Check(data->Next(&sample, &done), a.calib);
    if (done) break;
    HostTensor x;
    mapper.Map(sample.x, &x, &clipped);
    samples.push_back(std::move(x));
  }
  if (samples.empty()) throw CliError(a.calib + ": no calibration samples");
  return samples;
}

int Run(const CompressArgs& a) {
  if (a.per_tensor && a.per_channel) throw CliError("--per-channel and --per-tensor conflict");
  compress::CompressOptions options;
  options.per_channel = !a.per_tensor;
  options.prune_sparsity = a.prune;
  options.cluster_k = a.cluster;
  options.base_dir = std::filesystem::path(a.onnx).parent_path().string();
  Check(compress::ParseRangeMethod(a.activations, &options), "");
  if (a.calib_limit < 1) throw CliError("--calib-limit must be at least 1");
  FileBytes onnx;
  Check(ReadFileBytes(a.onnx, &onnx), a.onnx);
  std::vector<std::string> decisions;
  const std::vector<HostTensor> calib = ReadCalibration(a, &decisions);
  std::string tflite;
  compress::CompressReport report;
  Check(compress::Compress(std::string(reinterpret_cast<const char*>(onnx.data()), onnx.size()),
                           calib, options, &tflite, &report),
        a.onnx);
  Check(WriteFileBytes(a.out, tflite.data(), tflite.size()), a.out);
  // The emulator must accept what we wrote (flatbuffer verifier, loader, kernel Prepare).
  std::unique_ptr<Executor> check;
  Check(OpenExecutor(a.out, ExecutorOptions(), &check), a.out + " (self-check)");

  std::printf(
      "wrote %s: %zu bytes (ONNX %zu bytes, %.1f%%), %d operators, %zu calibration "
      "samples\n",
      a.out.c_str(), tflite.size(), onnx.size(),
      100.0 * static_cast<double>(tflite.size()) / static_cast<double>(onnx.size()),
      report.operators, calib.size());
  for (const std::string& d : decisions) std::printf("  input: %s\n", d.c_str());
  for (const std::string& note : report.notes) std::printf("  note: %s\n", note.c_str());
  std::printf("  %-40s %9s %9s %7s %11s %9s\n", "weight tensor", "elements", "sparsity", "unique",
              "bits/weight", "entropy");
  int64_t elements = 0;
  for (const auto& w : report.weights) {
    elements += w.elements;
    std::printf(
        "  %-40.40s %9lld %8.1f%% %7lld %11.2f %9.2f\n", w.tensor.c_str(),
        static_cast<long long>(w.elements), 100.0 * w.sparsity,
        static_cast<long long>(w.unique_values),
        w.elements ? static_cast<double>(w.huffman_bits) / static_cast<double>(w.elements) : 0,
        w.elements ? w.entropy_bits / static_cast<double>(w.elements) : 0);
  }
  std::printf(
      "  weights: float %lld bytes -> int8 %lld bytes; Huffman-coded int8 weights "
      "%.0f bytes (%.2f bits/weight)\n",
      static_cast<long long>(report.float_weight_bytes),
      static_cast<long long>(report.int8_weight_bytes),
      static_cast<double>(report.huffman_weight_bits) / 8.0,
      elements ? static_cast<double>(report.huffman_weight_bits) / static_cast<double>(elements)
               : 0);
  return kExitOk;
}

}  // namespace

Action AddCompressCommand(CLI::App& app) {
  auto args = std::make_shared<CompressArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compress",
      "Quantize a float ONNX model to an int8 .tflite (TFLM-loadable), optionally "
      "pruned and weight-shared");
  cmd->add_option("--onnx", args->onnx, "Float ONNX model")->required();
  cmd->add_option("--calib", args->calib,
                  "Calibration data: float32 .npy [N, ...input shape], preprocessed like the "
                  "model input")
      ->required();
  cmd->add_option("--calib-limit", args->calib_limit, "Use at most this many samples")
      ->default_val(500);
  cmd->add_option("--preprocess", args->preprocess,
                  "Input mapping as in verify, e.g. scale=1/255,mean=0.5,std=0.25");
  cmd->add_option("--out", args->out, "Output .tflite")->required();
  cmd->add_flag("--per-channel", args->per_channel, "Per-channel weight scales (default)");
  cmd->add_flag("--per-tensor", args->per_tensor, "One weight scale per tensor");
  cmd->add_option("--prune", args->prune, "Global magnitude pruning to this sparsity (0..1)")
      ->default_val(0.0);
  cmd->add_option("--cluster", args->cluster,
                  "k-means weight sharing: at most K distinct int8 values per tensor")
      ->default_val(0);
  cmd->add_option("--activations", args->activations,
                  "Activation ranges: minmax | percentile:99.99 | mse")
      ->default_val("minmax");
  return [args] { return Run(*args); };
}

}  // namespace cli
}  // namespace tv
