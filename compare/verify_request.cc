#include "compare/verify_request.h"

#include <utility>

#include "compare/slices.h"
#include "compare/verify_files.h"

namespace tv {
namespace verify {

VerifyOptions PipelineOptions(const VerifyRequest& request, KernelFlavor kernels) {
  VerifyOptions o;
  o.ref_path = request.ref_path;
  o.tiny_paths = request.tiny_paths;
  o.data_path = request.data_path;
  o.dataset.labels_path = request.labels_path;
  o.dataset.csv_label_column = request.csv_label_column;
  o.limit = request.limit;
  o.preprocess = request.preprocess;
  o.threads = request.threads;
  o.kernels = kernels;
  return o;
}

Status LoadAnalysisConfig(const VerifyRequest& request, AnalysisConfig* config) {
  config->worst_n = request.worst_n;
  if (!request.class_names_path.empty()) {
    TV_RETURN_IF_ERROR(ReadClassNames(request.class_names_path, &config->class_names));
    config->class_names_source = request.class_names_path;
  }
  if (!request.slices_path.empty())
    TV_RETURN_IF_ERROR(LoadSlices(request.slices_path, &config->slices));
  return Status::Ok();
}

LazyAnalyzer::LazyAnalyzer(AnalysisConfig config, int32_t variants, const PipelineInfo* info,
                           const std::string& data_path)
    : config_(std::move(config)), variants_(variants), info_(info) {
  if (config_.class_names_source.empty()) config_.class_names_source = "--class-names";
  sink_ = [this, data_path](const SampleOutputs& s) {
    if (!analyzer_) {
      if (config_.class_names.empty() && !info_->class_names.empty()) {
        config_.class_names = info_->class_names;
        config_.class_names_source = data_path;
      }
      if (config_.task == TaskKind::kAuto) config_.task = info_->task;
      if (config_.expected_samples < 0) config_.expected_samples = info_->expected_samples;
      const int32_t k = ClassCount(config_, s);
      if (k > 0) TV_RETURN_IF_ERROR(CheckClassNames(config_, k));
      analyzer_ = std::make_unique<Analyzer>(config_, variants_);
    }
    // The analysis finds problems of the data (a label outside the classes, ...): name it.
    Status st = analyzer_->Add(s);
    return data_path.empty() ? st : st.Prefixed(data_path.c_str());
  };
}

Status LazyAnalyzer::Finish(const VerifySetup& setup, VerifyResult* result) {
  TV_CHECK_OR_RETURN(analyzer_ != nullptr, "no samples");
  return analyzer_->Finish(setup, result);
}

}  // namespace verify
}  // namespace tv
