// `tinyverify verify --ref big.onnx --tiny model.tflite [--tiny v2.tflite] --data HELDOUT ...`
// `tinyverify verify --ref-outputs R.npy --tiny-outputs T.npy [--labels y.npy] ...`
// Thin: the pipeline (compare/verify_pipeline.h), the analysis (compare/analysis.h) and the
// report writers (reports/) do the work; this file parses options, draws progress and maps
// the outcome to exit codes (0 gates pass, 1 a gate failed, 2 error).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compare/analysis.h"
#include "compare/verify_pipeline.h"
#include "compare/verify_request.h"
#include "compare/verify_result.h"
#include "reports/report_writer.h"
#include "tools/cli_error.h"
#include "tools/commands.h"
#include "tools/common_options.h"
#include "tools/device_options.h"

namespace tv {
namespace cli {

namespace {

struct VerifyArgs {
  verify::VerifyRequest request;  // what the Python verify() takes too
  std::string report_dir;
  std::string ref_outputs;
  std::vector<std::string> tiny_outputs;
  bool no_progress = false;
  KernelOption kernels;
  DeviceOption device;
};

// One line redrawn in place on a terminal; nothing when stderr is a file or pipe.
class ProgressBar {
 public:
  ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}
  void Update(int64_t done, int64_t total) {
    if (!enabled_) return;
    if (total > 0) {
      const int width = 30, filled = static_cast<int>(width * done / total);
      std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld", filled, "##############################",
                   width - filled, "", static_cast<long long>(done), static_cast<long long>(total));
    } else {
      std::fprintf(stderr, "\r%lld samples", static_cast<long long>(done));
    }
    std::fflush(stderr);
    drawn_ = true;
  }
  void Finish() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  bool drawn_ = false;
};

int Verify(const VerifyArgs& a) {
  const verify::VerifyRequest& r = a.request;
  const bool recorded = !a.ref_outputs.empty();
  if (recorded) {
    if (a.tiny_outputs.empty()) throw CliError("--ref-outputs needs --tiny-outputs");
    if (!r.ref_path.empty() || !r.tiny_paths.empty() || !r.data_path.empty())
      throw CliError("--ref-outputs replaces --ref/--tiny/--data; do not combine them");
  } else if (r.ref_path.empty() || r.tiny_paths.empty() || r.data_path.empty()) {
    throw CliError("verify needs --ref, --tiny and --data (or --ref-outputs and --tiny-outputs)");
  }
  verify::AnalysisConfig config;
  Check(verify::LoadAnalysisConfig(r, &config), "");

  verify::PipelineInfo info;
  const int32_t variants =
      static_cast<int32_t>(recorded ? a.tiny_outputs.size() : r.tiny_paths.size());
  std::vector<std::string> class_names = config.class_names;
  // Analysis errors are about the data: the labels of recorded outputs, else the data set.
  const std::string data_subject = !recorded                ? r.data_path
                                   : !r.labels_path.empty() ? r.labels_path
                                                            : a.ref_outputs;
  verify::LazyAnalyzer analyzer(std::move(config), variants, &info, data_subject);
  const verify::SampleSink& sink = analyzer.sink();
  verify::VerifySetup setup;
  ProgressBar bar(!a.no_progress);
  if (recorded) {
    Check(verify::RunRecordedOutputs(a.ref_outputs, a.tiny_outputs, r.labels_path, r.limit, sink,
                                     &setup, &info),
          "");
  } else {
    verify::VerifyOptions o = verify::PipelineOptions(r, a.kernels.ToOptions().kernels);
    o.dataset.class_names = std::move(class_names);
    ExecutorOptions device_options;
    a.device.Apply(&device_options);
    o.target = device_options.target;
    o.device = device_options.device;
    o.progress = [&bar](int64_t done, int64_t total) { bar.Update(done, total); };
    const Status s = verify::RunVerifyPipeline(o, sink, &setup, &info);
    bar.Finish();
    Check(s, "");
  }
  for (const std::string& d : setup.decisions) std::fprintf(stderr, "decision: %s\n", d.c_str());
  for (const verify::ModelSetup& t : setup.tiny)
    if (!t.device.target.empty()) {
      std::fprintf(stderr, "device, %s: ", t.name.c_str());
      PrintDeviceSummary(t.device);
    }
  if (!analyzer.started()) throw CliError(setup.data_path + ": no samples");
  verify::VerifyResult result;
  Check(analyzer.Finish(setup, &result), "");
  if (!r.gate.empty()) Check(verify::EvaluateGates(r.gate, &result), "--gate");
  if (!a.report_dir.empty()) Check(reports::WriteAll(result, a.report_dir), a.report_dir);
  std::fputs(reports::RenderSummary(result).c_str(), stdout);
  if (!recorded) {
    std::fprintf(stderr,
                 "%lld samples in %.2f s (%.0f samples/s, %d threads; %.0f%% of thread "
                 "time inside the models)\n",
                 static_cast<long long>(info.samples), setup.seconds_total,
                 setup.seconds_total > 0 ? info.samples / setup.seconds_total : 0.0, setup.threads,
                 setup.seconds_total > 0
                     ? 100.0 * setup.seconds_models / (setup.seconds_total * setup.threads)
                     : 0.0);
  }
  if (!a.report_dir.empty()) std::fprintf(stderr, "reports written to %s\n", a.report_dir.c_str());
  return result.passed ? kExitOk : kExitGateFailed;
}

}  // namespace

Action AddVerifyCommand(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Compare tiny model(s) against a float reference on held-out data: accuracy, "
      "agreement, divergence, saturation; reports and CI gates");
  cmd->add_option("--ref", args->request.ref_path, "Reference model (.onnx or float .tflite)");
  cmd->add_option("--tiny", args->request.tiny_paths,
                  "Tiny model(s) (.tflite); repeat to compare variants side by side");
  cmd->add_option("--data", args->request.data_path,
                  "Held-out data: .npz (x, y), .npy (+ --labels), IDX *-images-idx3-ubyte[.gz], "
                  ".csv[.gz], or a folder of class subfolders with images/.npy");
  cmd->add_option("--labels", args->request.labels_path,
                  "Labels (.npy or one per line) for .npy data or "
                  "recorded outputs");
  cmd->add_option("--ref-outputs", args->ref_outputs,
                  "Recorded reference outputs [N, ...] (.npy) instead of running models");
  cmd->add_option("--tiny-outputs", args->tiny_outputs, "Recorded tiny outputs (.npy), repeatable");
  cmd->add_option("--limit", args->request.limit, "Use only the first N samples")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--preprocess", args->request.preprocess,
                  "y = (x*scale - mean)/std, e.g. \"scale=1/255,mean=0.5,std=0.5\" (per-channel "
                  "mean=a:b:c). Default: values as stored, except uint8 pixels become 0..1 when "
                  "the tiny model's input range is 0..1 (printed as a decision)");
  cmd->add_option("--class-names", args->request.class_names_path,
                  "Text file, one class name per line");
  cmd->add_option("--slices", args->request.slices_path,
                  "CSV of sample_id,tag[,tag...] for sliced metrics");
  cmd->add_option("--gate", args->request.gate,
                  "Pass/fail gates, e.g. \"top1_drop<=1.0,agreement>=0.98\"");
  args->report_dir = "tinyverify-report";
  cmd->add_option("--report-dir", args->report_dir,
                  "Write report.json, samples.csv, report.md, report.html, junit.xml here "
                  "(\"\" = no files)")
      ->capture_default_str();
  cmd->add_option("--threads", args->request.threads, "Worker threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--csv-label-column", args->request.csv_label_column,
                  "CSV label column (default: a column named label/y/target/class, else the "
                  "last; -1 = none)");
  cmd->add_option("--worst", args->request.worst_n, "Worst samples kept in the report")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-progress", args->no_progress, "No progress bar");
  args->kernels.Register(cmd);
  args->device.Register(cmd);
  return [args] { return Verify(*args); };
}

}  // namespace cli
}  // namespace tv
