#include "reference/onnx_model.h"

#include <fstream>
#include <limits>

#include "reference/graph.h"
#include "reference/onnx_proto.h"
#include "reference/ops/registry.h"
#include "reference/plan.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

int64_t Tensor::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

OnnxModel::OnnxModel() = default;
OnnxModel::~OnnxModel() = default;

Status OnnxModel::Load(const std::string& path, std::unique_ptr<OnnxModel>* out,
                       const LoadOptions& options) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) return Status::Error("cannot open the file");
  const std::streamoff size = file.tellg();
  if (size < 0 || size > std::numeric_limits<int>::max()) {
    return Status::Error(
        "file size %lld is not supported (protobuf limit is 2 GiB; store "
        "weights as external data)",
        static_cast<long long>(size));
  }
  std::vector<uint8_t> data(static_cast<size_t>(size));
  file.seekg(0);
  if (size > 0 && !file.read(reinterpret_cast<char*>(data.data()), size)) {
    return Status::Error("reading the file failed");
  }
  return LoadFromBytes(data.data(), data.size(), DirectoryOf(path), out, options);
}

Status OnnxModel::LoadFromBytes(const uint8_t* data, size_t size, const std::string& base_dir,
                                std::unique_ptr<OnnxModel>* out, const LoadOptions& options) {
  std::unique_ptr<OnnxModel> model(new OnnxModel());
  TV_RETURN_IF_ERROR(model->Init(data, size, base_dir, options));
  *out = std::move(model);
  return Status::Ok();
}

Status OnnxModel::Init(const uint8_t* data, size_t size, const std::string& base_dir,
                       const LoadOptions& options) {
  options_ = options;
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::Error("model of %zu bytes exceeds the 2 GiB protobuf limit", size);
  }
  onnx::ModelProto proto;
  if (!proto.ParseFromArray(data, static_cast<int>(size))) {
    return Status::Error("not a valid ONNX model (protobuf parsing failed)");
  }
  TV_RETURN_IF_ERROR(Graph::Build(proto, base_dir, options, &graph_));
  // Unsupported operators are reported at load time, before any shape reasoning.
  bool all_shapes_declared = true;
  for (int v : graph_->inputs) all_shapes_declared &= graph_->values[v].has_declared_shape;
  for (const NodeDef& node : graph_->nodes) {
    std::unique_ptr<OpKernel> kernel;
    TV_RETURN_IF_ERROR(KernelRegistry::Global().Create(node.info, &kernel));
  }
  // Plan once with symbolic dimensions bound to 1: catches unsupported ops and shape
  // contradictions at load time and usually is the plan Run() needs.
  std::vector<PlanInput> inputs;
  for (const TensorInfo& info : graph_->input_infos) {
    PlanInput in;
    in.dtype = info.dtype;
    for (int64_t d : info.shape) in.shape.push_back(d < 0 ? 1 : d);
    inputs.push_back(in);
  }
  Status planned = Plan::Build(*graph_, inputs, false, options_, &plan_);
  // An input without a declared shape was planned as a scalar guess; Run() replans.
  if (!planned.ok() && !all_shapes_declared) {
    plan_.reset();
    return Status::Ok();
  }
  return planned;
}

const std::vector<TensorInfo>& OnnxModel::inputs() const { return graph_->input_infos; }
const std::vector<TensorInfo>& OnnxModel::outputs() const { return graph_->output_infos; }

Status OnnxModel::Run(const std::vector<Tensor>& inputs, std::vector<Tensor>* outputs,
                      int threads) {
  const auto& infos = graph_->input_infos;
  if (inputs.size() != infos.size()) {
    return Status::Error("the model takes %zu inputs, got %zu", infos.size(), inputs.size());
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const TensorInfo& info = infos[i];
    const Tensor& t = inputs[i];
    if (t.dtype != info.dtype) {
      return Status::Error("input '%s' must be %s, got %s", info.name.c_str(),
                           DataTypeName(info.dtype), DataTypeName(t.dtype));
    }
    bool agrees = info.shape.size() == t.shape.size();
    for (size_t d = 0; agrees && d < t.shape.size(); ++d) {
      agrees = t.shape[d] >= 0 && (info.shape[d] < 0 || info.shape[d] == t.shape[d]);
    }
    if (!agrees && !(info.shape.empty() && t.shape.empty())) {
      return Status::Error("input '%s' must have shape %s, got %s", info.name.c_str(),
                           ShapeToString(info.shape).c_str(), ShapeToString(t.shape).c_str());
    }
    const int64_t want = t.NumElements() * static_cast<int64_t>(DataTypeSize(t.dtype));
    if (static_cast<int64_t>(t.bytes.size()) != want) {
      return Status::Error("input '%s' holds %zu bytes, shape %s of %s needs %lld",
                           info.name.c_str(), t.bytes.size(), ShapeToString(t.shape).c_str(),
                           DataTypeName(t.dtype), static_cast<long long>(want));
    }
  }
  if (!plan_ || !plan_->Matches(inputs)) {
    std::vector<PlanInput> plan_inputs;
    static const uint64_t kEmpty = 0;  // stands in for the data of empty tensors
    for (const Tensor& t : inputs) {
      plan_inputs.push_back(
          {t.dtype, t.shape, t.bytes.empty() ? static_cast<const void*>(&kEmpty) : t.bytes.data()});
    }
    plan_.reset();
    TV_RETURN_IF_ERROR(Plan::Build(*graph_, plan_inputs, true, options_, &plan_));
  }
  if (threads < 1) threads = 1;
  if (!pool_ || pool_->threads() != threads) pool_ = std::make_unique<ThreadPool>(threads);
  return plan_->Execute(*graph_, inputs, pool_.get(), outputs);
}

Status OnnxModel::Inspect(ModelSummary* out) const {
  *out = ModelSummary();
  out->ir_version = graph_->ir_version;
  out->producer = graph_->producer;
  out->opsets = graph_->opsets;
  out->inputs = graph_->input_infos;
  out->outputs = graph_->output_infos;
  for (size_t n = 0; n < graph_->nodes.size(); ++n) {
    const NodeInfo& info = graph_->nodes[n].info;
    NodeSummary node{info.name, info.op_type, info.domain,
                     plan_ ? plan_->NodeFlops(static_cast<int>(n)) : 0};
    out->total_flops += node.flops;
    out->nodes.push_back(std::move(node));
  }
  if (plan_) plan_->CountParameters(*graph_, &out->parameter_count, &out->parameter_bytes);
  return Status::Ok();
}

}  // namespace ref
}  // namespace tv
