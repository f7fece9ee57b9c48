// `tinyverify run MODEL --input a.npy[,b.npy] --out-dir DIR [--dump-all] [--keep-state]
//  [--target cortex-m4|cortex-m7|cortex-m55 [--count-instructions] [--flash-kb N] ...]`
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "compare/file_io.h"
#include "compare/npy.h"
#include "compare/parallel_run.h"
#include "compare/tensor_dump.h"
#include "tools/cli_error.h"
#include "tools/commands.h"
#include "tools/common_options.h"
#include "tools/device_options.h"

namespace tv {
namespace cli {

namespace {

struct RunArgs {
  std::string model;
  std::vector<std::string> inputs;
  std::string out_dir;
  bool dump_all = false;
  bool keep_state = false;
  int threads = 1;
  KernelOption kernels;
  DeviceOption device;
};

// Tensor names become file names: keep [A-Za-z0-9._-], replace the rest.
std::string SafeFileName(const std::string& name) {
  std::string s;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    s += ok ? c : '_';
  }
  if (s.size() > 120) s.resize(120);
  return s;
}

void MakeDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw CliError(dir + ": cannot create directory: " + ec.message());
}

// A model input of [1, d...] fed [N, d...] (how datasets are usually saved) is N samples: the
// file becomes [N, 1, d...], the documented batch form ([N] + the input's shape). Only the
// shape changes; the note says so.
void FoldBatchIntoLeadingOne(const Executor& exec, std::vector<HostTensor>* inputs) {
  for (size_t i = 0; i < inputs->size() && i < exec.inputs().size(); ++i) {
    const std::vector<int64_t>& spec = exec.inputs()[i].shape;
    std::vector<int64_t>& shape = (*inputs)[i].shape;
    if (spec.size() < 2 || spec[0] != 1 || shape.size() != spec.size() || shape[0] <= 1) continue;
    bool rest_matches = true;
    for (size_t d = 1; d < spec.size(); ++d)
      rest_matches = rest_matches && (spec[d] < 0 || spec[d] == shape[d]);
    if (!rest_matches) continue;
    const std::string was = ShapeToString(shape);
    shape.insert(shape.begin() + 1, 1);
    std::fprintf(stderr, "note: input %zu %s read as %lld samples of the model's %s\n", i,
                 was.c_str(), static_cast<long long>(shape[0]), ShapeToString(spec).c_str());
  }
}

int Run(const RunArgs& a) {
  std::unique_ptr<Executor> exec;
  ExecutorOptions options = a.kernels.ToOptions();
  a.device.Apply(&options);
  if (!a.device.is_host() && a.dump_all)
    throw CliError("--dump-all needs --target host (the device returns only model outputs)");
  Check(OpenExecutor(a.model, options, &exec), a.model);
  std::vector<HostTensor> inputs(a.inputs.size());
  for (size_t i = 0; i < a.inputs.size(); ++i) Check(ReadNpy(a.inputs[i], &inputs[i]), a.inputs[i]);
  FoldBatchIntoLeadingOne(*exec, &inputs);

  TensorDump dump;
  std::vector<HostTensor> outputs;
  if (a.dump_all || !a.device.is_host()) {
    Check(RunBatched(*exec, inputs, a.keep_state, &outputs, a.dump_all ? &dump.sink() : nullptr),
          a.model);
  } else {
    Check(RunBatchedParallel(*exec, a.model, options, inputs, a.keep_state, a.threads, &outputs),
          a.model);
  }

  MakeDir(a.out_dir);
  for (size_t j = 0; j < outputs.size(); ++j) {
    const std::string path = a.out_dir + "/output_" + std::to_string(j) + ".npy";
    Check(WriteNpy(path, outputs[j]), path);
  }
  if (a.dump_all) {
    const bool batched =
        !inputs.empty() && inputs[0].shape.size() == exec->inputs()[0].shape.size() + 1;
    const std::string dir = a.out_dir + "/tensors";
    MakeDir(dir);
    if (batched) dump.AddBatchAxis();
    for (auto& [index, d] : dump.tensors()) {
      const std::string path =
          dir + "/" + std::to_string(index) + "_" + SafeFileName(d.name) + ".npy";
      Check(WriteNpy(path, d.tensor), path);
    }
  }
  if (const DeviceStats* st = exec->device_stats()) {
    PrintDeviceSummary(*st);
    const std::string path = a.out_dir + "/device.json";
    const std::string text = DeviceStatsJson(*st).dump(2) + "\n";
    Check(WriteFileBytes(path, text.data(), text.size()), path);
  }
  std::fprintf(stderr, "wrote %zu output(s) to %s\n", outputs.size(), a.out_dir.c_str());
  return kExitOk;
}

}  // namespace

Action AddRunCommand(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run",
                                     "Run a .tflite (emulator) or .onnx (reference) model "
                                     "on .npy inputs");
  cmd->add_option("model", args->model, "Model file (.tflite or .onnx)")->required();
  cmd->add_option(
         "--input,-i", args->inputs,
         "Input .npy per model input (comma-separated). Shape = the input's shape, or "
         "[N] + shape for N independent invocations; an input of [1, ...] also takes [N, ...]")
      ->required()
      ->delimiter(',');
  cmd->add_option("--out-dir,-o", args->out_dir, "Directory for output_<j>.npy")->required();
  cmd->add_flag("--dump-all", args->dump_all,
                "Also write every intermediate tensor to DIR/tensors/<index>_<name>.npy");
  cmd->add_flag("--keep-state", args->keep_state,
                "Keep recurrent state (LSTM/SVDF variables) between batch samples");
  cmd->add_option("--threads", args->threads,
                  "Worker threads for a batch (0 = all cores; host target, no --dump-all/"
                  "--keep-state); outputs are identical for any count")
      ->check(CLI::NonNegativeNumber)
      ->default_val(1);
  args->kernels.Register(cmd);
  args->device.Register(cmd);
  return [args] { return Run(*args); };
}

}  // namespace cli
}  // namespace tv
