#include "compress/onnx_helpers.h"

#include <cstring>

#include "reference/tensor_proto.h"

namespace tv {
namespace compress {

const onnx::AttributeProto* FindAttr(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

int64_t AttrInt(const onnx::NodeProto& node, const std::string& name, int64_t fallback) {
  const auto* a = FindAttr(node, name);
  return a ? a->i() : fallback;
}

float AttrFloat(const onnx::NodeProto& node, const std::string& name, float fallback) {
  const auto* a = FindAttr(node, name);
  return a ? a->f() : fallback;
}

std::string AttrString(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = FindAttr(node, name);
  return a ? a->s() : std::string();
}

std::vector<int64_t> AttrInts(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = FindAttr(node, name);
  if (!a) return {};
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::string NodeLabel(const onnx::NodeProto& node, int index) {
  const std::string name =
      node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
  return "node '" + name + "' (" + node.op_type() + ")";
}

Status CollectConstants(const onnx::ModelProto& model, std::map<std::string, ref::Tensor>* out) {
  constexpr int64_t kMaxBytes = int64_t{1} << 30;
  for (const auto& init : model.graph().initializer()) {
    ref::Tensor t;
    TV_RETURN_IF_ERROR(ref::DecodeTensorProto(init, "", kMaxBytes, &t));
    (*out)[init.name()] = std::move(t);
  }
  for (int i = 0; i < model.graph().node_size(); ++i) {
    const auto& node = model.graph().node(i);
    if (node.op_type() != "Constant" || node.output_size() != 1) continue;
    const auto* value = FindAttr(node, "value");
    if (!value || !value->has_t()) {
      return Status::Error("%s: only tensor-valued Constant nodes are supported",
                           NodeLabel(node, i).c_str());
    }
    ref::Tensor t;
    TV_RETURN_IF_ERROR(ref::DecodeTensorProto(value->t(), "", kMaxBytes, &t));
    (*out)[node.output(0)] = std::move(t);
  }
  return Status::Ok();
}

Status ToFloats(const ref::Tensor& t, const std::string& what, std::vector<float>* out) {
  TV_CHECK_OR_RETURN(t.dtype == DataType::kFloat32, "%s must be float32", what.c_str());
  out->resize(static_cast<size_t>(t.NumElements()));
  if (!out->empty()) std::memcpy(out->data(), t.bytes.data(), out->size() * sizeof(float));
  return Status::Ok();
}

Status ToInts(const ref::Tensor& t, const std::string& what, std::vector<int64_t>* out) {
  const int64_t n = t.NumElements();
  out->resize(static_cast<size_t>(n));
  if (t.dtype == DataType::kInt64) {
    if (n > 0) std::memcpy(out->data(), t.bytes.data(), static_cast<size_t>(n) * 8);
  } else if (t.dtype == DataType::kInt32) {
    for (int64_t i = 0; i < n; ++i) (*out)[static_cast<size_t>(i)] = t.data<int32_t>()[i];
  } else {
    return Status::Error("%s must be int32 or int64", what.c_str());
  }
  return Status::Ok();
}

int64_t DefaultOpset(const onnx::ModelProto& model) {
  for (const auto& o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") return o.version();
  }
  return 1;
}

}  // namespace compress
}  // namespace tv
