// Executor over the float ONNX reference (reference/). Compiled only when the reference
// library is part of the build.
#ifdef TV_HAVE_REFERENCE

#include <memory>
#include <string>
#include <vector>

#include "compare/executor.h"
#include "reference/onnx_model.h"

namespace tv {

namespace {

class OnnxExecutor : public Executor {
 public:
  OnnxExecutor(std::unique_ptr<ref::OnnxModel> model, const ExecutorOptions& options)
      : model_(std::move(model)), options_(options) {
    for (const ref::TensorInfo& t : model_->inputs()) inputs_.push_back(Spec(t));
    for (const ref::TensorInfo& t : model_->outputs()) outputs_.push_back(Spec(t));
  }

  const std::vector<TensorSpec>& inputs() const override { return inputs_; }
  const std::vector<TensorSpec>& outputs() const override { return outputs_; }

  Status Invoke(const std::vector<const HostTensor*>& in, std::vector<HostTensor>* out,
                const TensorSink* dump) override {
    TV_CHECK_OR_RETURN(dump == nullptr, "--dump-all is not supported for ONNX models yet");
    std::vector<ref::Tensor> rin(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      rin[i].dtype = in[i]->dtype;
      rin[i].shape = in[i]->shape;
      rin[i].bytes = in[i]->bytes;
    }
    std::vector<ref::Tensor> rout;
    TV_RETURN_IF_ERROR(model_->Run(rin, &rout, options_.threads));
    out->resize(rout.size());
    for (size_t j = 0; j < rout.size(); ++j) {
      (*out)[j].dtype = rout[j].dtype;
      (*out)[j].shape = std::move(rout[j].shape);
      (*out)[j].bytes = std::move(rout[j].bytes);
    }
    return Status::Ok();
  }

  Status Inspect(ModelInfo* info) const override {
    ref::ModelSummary s;
    TV_RETURN_IF_ERROR(model_->Inspect(&s));
    *info = ModelInfo();
    info->format = "onnx";
    info->file_bytes = file_bytes_;
    info->description = s.producer;
    info->parameters = static_cast<uint64_t>(s.parameter_count);
    info->weight_bytes = static_cast<uint64_t>(s.parameter_bytes);
    info->total_macs = s.total_flops / 2;
    int32_t index = 0;
    for (const ref::NodeSummary& n : s.nodes) {
      OpInfoRow row;
      row.index = index++;
      row.op = n.domain == "ai.onnx" ? n.op_type : n.domain + "." + n.op_type;
      row.macs = n.flops / 2;
      info->ops.push_back(row);
    }
    for (const auto& [domain, version] : s.opsets)
      info->metadata.push_back("opset " + domain + " " + std::to_string(version));
    int32_t t = 0;
    for (const ref::TensorInfo& ti : s.inputs) {
      TensorInfoRow row;
      row.index = t;
      row.name = ti.name;
      row.dtype = ti.dtype;
      row.shape = ti.shape;
      info->inputs.push_back(t++);
      info->tensors.push_back(row);
    }
    for (const ref::TensorInfo& ti : s.outputs) {
      TensorInfoRow row;
      row.index = t;
      row.name = ti.name;
      row.dtype = ti.dtype;
      row.shape = ti.shape;
      info->outputs.push_back(t++);
      info->tensors.push_back(row);
    }
    return Status::Ok();
  }

  uint64_t file_bytes_ = 0;

 private:
  static TensorSpec Spec(const ref::TensorInfo& t) {
    TensorSpec s;
    s.name = t.name;
    s.dtype = t.dtype;
    s.shape = t.shape;
    return s;
  }

  std::unique_ptr<ref::OnnxModel> model_;
  ExecutorOptions options_;
  std::vector<TensorSpec> inputs_, outputs_;
};

}  // namespace

Status OpenOnnxExecutor(const std::string& path, const ExecutorOptions& options,
                        std::unique_ptr<Executor>* out) {
  std::unique_ptr<ref::OnnxModel> model;
  TV_RETURN_IF_ERROR(ref::OnnxModel::Load(path, &model));
  auto exec = std::make_unique<OnnxExecutor>(std::move(model), options);
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f != nullptr) {
    std::fseek(f, 0, SEEK_END);
    exec->file_bytes_ = static_cast<uint64_t>(std::ftell(f));
    std::fclose(f);
  }
  *out = std::move(exec);
  return Status::Ok();
}

}  // namespace tv

#endif  // TV_HAVE_REFERENCE
