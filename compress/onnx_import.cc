#include "compress/onnx_import.h"

#include <cmath>

#include "compress/onnx_fold.h"
#include "compress/onnx_helpers.h"
#include "compress/onnx_lowerer.h"

namespace tv {
namespace compress {

std::vector<int32_t> ToNhwc(const std::vector<int64_t>& s) {
  if (s.size() == 4) {
    return {static_cast<int32_t>(s[0]), static_cast<int32_t>(s[2]), static_cast<int32_t>(s[3]),
            static_cast<int32_t>(s[1])};
  }
  std::vector<int32_t> out;
  for (int64_t d : s) out.push_back(static_cast<int32_t>(d));
  return out;
}

std::string Lowerer::Label(int i) const { return NodeLabel(model_.graph().node(i), i); }

Status Lowerer::OnnxShape(const std::string& name, std::vector<int64_t>* shape) const {
  auto it = stats_.find(name);
  TV_CHECK_OR_RETURN(it != stats_.end(), "tensor '%s' is not a float tensor seen in calibration",
                     name.c_str());
  *shape = it->second.shape;
  TV_CHECK_OR_RETURN(shape->size() <= 4, "tensor '%s' has rank %zu (at most 4 supported)",
                     name.c_str(), shape->size());
  return Status::Ok();
}

Status Lowerer::NewActivation(const std::string& onnx_name, int32_t* index) {
  std::vector<int64_t> shape;
  TV_RETURN_IF_ERROR(OnnxShape(onnx_name, &shape));
  LTensor t;
  t.name = onnx_name;
  t.shape = ToNhwc(shape);
  t.range_of = onnx_name;
  *index = g_->AddTensor(std::move(t));
  LoweredValue v;
  v.tensor = *index;
  v.onnx_rank = static_cast<int32_t>(shape.size());
  values_[onnx_name] = v;
  return Status::Ok();
}

Status Lowerer::Value(int i, const std::string& name, LoweredValue* out) {
  auto it = values_.find(name);
  if (it == values_.end()) {
    if (IsConst(name)) {
      return Status::Error("%s: input '%s' is a constant where an activation is expected",
                           Label(i).c_str(), name.c_str());
    }
    return Status::Error("%s: input '%s' is not produced by a supported node", Label(i).c_str(),
                         name.c_str());
  }
  *out = it->second;
  return Status::Ok();
}

// TRANSPOSE back to NCHW, then RESHAPE: the ONNX element order for consumers that need it.
Status Lowerer::Materialize(const std::string& name, LoweredValue* v) {
  if (!v->hwc_order) return Status::Ok();
  const LTensor src = g_->tensors[static_cast<size_t>(v->source_4d)];
  LTensor nchw;
  nchw.name = name + "/nchw";
  nchw.shape = {src.shape[0], v->c, v->h, v->w};
  nchw.range_of = src.range_of;
  const int32_t nchw_index = g_->AddTensor(nchw);
  LOp transpose;
  transpose.code = OpCode::kTranspose;
  transpose.origin = name + " (layout)";
  transpose.inputs = {v->source_4d, AddShapeTensor(name + "/perm", {0, 3, 1, 2})};
  transpose.outputs = {nchw_index};
  Emit(transpose);
  LTensor flat = g_->tensors[static_cast<size_t>(v->tensor)];
  flat.name = name + "/chw";
  const int32_t flat_index = g_->AddTensor(flat);
  LOp reshape;
  reshape.code = OpCode::kReshape;
  reshape.origin = name + " (layout)";
  reshape.new_shape = flat.shape;
  reshape.inputs = {nchw_index, AddShapeTensor(name + "/chw_shape", flat.shape)};
  reshape.outputs = {flat_index};
  Emit(reshape);
  v->tensor = flat_index;
  v->hwc_order = false;
  values_[name] = *v;
  g_->notes.push_back("'" + name + "': TRANSPOSE inserted to keep ONNX's (c, h, w) flatten order");
  return Status::Ok();
}

Status Lowerer::Const(int i, const std::string& name, std::vector<float>* out) const {
  auto it = consts_.find(name);
  TV_CHECK_OR_RETURN(it != consts_.end(), "%s: '%s' must be a constant (initializer)",
                     Label(i).c_str(), name.c_str());
  return ToFloats(it->second, Label(i) + ": '" + name + "'", out);
}

Status Lowerer::ConstInts(int i, const std::string& name, std::vector<int64_t>* out) const {
  auto it = consts_.find(name);
  TV_CHECK_OR_RETURN(it != consts_.end(), "%s: '%s' must be a constant (initializer)",
                     Label(i).c_str(), name.c_str());
  return ToInts(it->second, Label(i) + ": '" + name + "'", out);
}

int Lowerer::SoleConsumer(const std::string& name) const {
  if (graph_outputs_.count(name)) return -1;
  auto it = consumers_.find(name);
  if (it == consumers_.end() || it->second.size() != 1) return -1;
  return it->second[0];
}

bool Lowerer::ClipAsActivation(int n, Activation* act) const {
  const auto& node = model_.graph().node(n);
  float lo = -INFINITY, hi = INFINITY;
  if (opset_ < 11) {
    lo = AttrFloat(node, "min", lo);
    hi = AttrFloat(node, "max", hi);
  } else {
    std::vector<float> v;
    if (node.input_size() > 1 && !node.input(1).empty()) {
      if (!Const(n, node.input(1), &v).ok() || v.size() != 1) return false;
      lo = v[0];
    }
    if (node.input_size() > 2 && !node.input(2).empty()) {
      if (!Const(n, node.input(2), &v).ok() || v.size() != 1) return false;
      hi = v[0];
    }
  }
  if (lo != 0.0f) return false;
  if (hi == 6.0f)
    *act = Activation::kRelu6;
  else if (std::isinf(hi) && hi > 0)
    *act = Activation::kRelu;
  else
    return false;
  return true;
}

Activation Lowerer::FuseActivation(std::string* output_name, std::string* origin) {
  const int n = SoleConsumer(*output_name);
  if (n < 0) return Activation::kNone;
  const auto& node = model_.graph().node(n);
  Activation act = Activation::kNone;
  if (node.op_type() == "Relu")
    act = Activation::kRelu;
  else if (node.op_type() != "Clip" || !ClipAsActivation(n, &act))
    return Activation::kNone;
  done_[static_cast<size_t>(n)] = true;
  *output_name = node.output(0);
  *origin += "+" + node.op_type();
  return act;
}

int32_t Lowerer::AddShapeTensor(const std::string& name, std::vector<int32_t> values) {
  LTensor t;
  t.name = name;
  t.role = TensorRole::kShape;
  t.shape = {static_cast<int32_t>(values.size())};
  t.int_data = std::move(values);
  t.type = DataType::kInt32;
  return g_->AddTensor(std::move(t));
}

Status Lowerer::ChoosePadding(int i, int64_t in_h, int64_t in_w, int64_t k_h, int64_t k_w,
                              int64_t s_h, int64_t s_w, int64_t d_h, int64_t d_w, bool* same,
                              std::vector<int64_t>* explicit_pads) const {
  const auto& node = model_.graph().node(i);
  const std::string auto_pad = AttrString(node, "auto_pad");
  std::vector<int64_t> pads = AttrInts(node, "pads");
  if (pads.empty()) pads.assign(4, 0);
  TV_CHECK_OR_RETURN(pads.size() == 4, "%s: expected 4 pads", Label(i).c_str());
  // TFLite SAME: pad_before = total / 2, the extra cell at the end.
  int64_t same_pads[4];
  const int64_t in[2] = {in_h, in_w}, k[2] = {k_h, k_w}, s[2] = {s_h, s_w}, d[2] = {d_h, d_w};
  for (int a = 0; a < 2; ++a) {
    const int64_t out = (in[a] + s[a] - 1) / s[a];
    const int64_t total = std::max<int64_t>(0, (out - 1) * s[a] + (k[a] - 1) * d[a] + 1 - in[a]);
    same_pads[a] = total / 2;
    same_pads[a + 2] = total - total / 2;
    if (auto_pad == "SAME_LOWER") {
      pads[static_cast<size_t>(a)] = total - total / 2;
      pads[static_cast<size_t>(a) + 2] = total / 2;
    } else if (auto_pad == "SAME_UPPER") {
      pads[static_cast<size_t>(a)] = same_pads[a];
      pads[static_cast<size_t>(a) + 2] = same_pads[a + 2];
    }
  }
  if (auto_pad == "VALID") pads.assign(4, 0);
  explicit_pads->clear();
  if (pads == std::vector<int64_t>(4, 0)) {
    *same = false;
  } else if (pads == std::vector<int64_t>(same_pads, same_pads + 4)) {
    *same = true;
  } else {
    *same = false;
    *explicit_pads = pads;
  }
  return Status::Ok();
}

Status Lowerer::Run() {
  const auto& graph = model_.graph();
  opset_ = DefaultOpset(model_);
  TV_RETURN_IF_ERROR(CollectConstants(model_, &consts_));
  TV_RETURN_IF_ERROR(FoldConstants(model_, &consts_, &done_));
  for (const auto& o : graph.output()) graph_outputs_.insert(o.name());
  for (int i = 0; i < graph.node_size(); ++i) {
    if (done_[static_cast<size_t>(i)]) continue;  // folded: consumes constants only
    for (const auto& in : graph.node(i).input()) consumers_[in].push_back(i);
  }
  for (const auto& in : graph.input()) {
    if (IsConst(in.name())) continue;
    int32_t index = 0;
    TV_RETURN_IF_ERROR(NewActivation(in.name(), &index));
    g_->inputs.push_back(index);
  }
  TV_CHECK_OR_RETURN(g_->inputs.size() == 1, "the model must have exactly one input");
  if (g_->tensors[static_cast<size_t>(g_->inputs[0])].shape.size() == 4) {
    g_->notes.push_back("input '" + graph.input(0).name() +
                        "' is NCHW in ONNX and NHWC in the .tflite (feed [N, H, W, C])");
  }
  for (int i = 0; i < graph.node_size(); ++i) {
    if (done_[static_cast<size_t>(i)]) continue;
    done_[static_cast<size_t>(i)] = true;
    const auto& node = graph.node(i);
    const std::string& op = node.op_type();
    TV_CHECK_OR_RETURN(node.domain().empty() || node.domain() == "ai.onnx",
                       "%s: domain '%s' is not supported", Label(i).c_str(), node.domain().c_str());
    Status s;
    if (op == "Constant") continue;
    if (op == "Conv")
      s = LowerConv(i);
    else if (op == "Gemm" || op == "MatMul")
      s = LowerGemm(i);
    else if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool")
      s = LowerPool(i);
    else if (op == "Add" || op == "Mul")
      s = LowerElementwise(i);
    else if (op == "Relu" || op == "Clip" || op == "Sigmoid" || op == "Softmax")
      s = LowerUnary(i);
    else if (op == "Reshape" || op == "Flatten")
      s = LowerReshape(i);
    else if (op == "Concat")
      s = LowerConcat(i);
    else if (op == "Pad")
      s = LowerPad(i);
    else if (op == "Identity" || op == "Dropout") {
      LoweredValue v;
      TV_RETURN_IF_ERROR(Value(i, node.input(0), &v));
      values_[node.output(0)] = v;
    } else if (op == "BatchNormalization") {
      s = Status::Error(
          "%s: BatchNormalization is only supported directly after a Conv whose "
          "output feeds nothing else",
          Label(i).c_str());
    } else {
      s = Status::Error("%s: operator '%s' is not supported by compress", Label(i).c_str(),
                        op.c_str());
    }
    TV_RETURN_IF_ERROR(s);
  }
  for (const auto& o : graph.output()) {
    auto it = values_.find(o.name());
    TV_CHECK_OR_RETURN(it != values_.end(), "graph output '%s' is not produced by a lowered node",
                       o.name().c_str());
    TV_RETURN_IF_ERROR(Materialize(o.name(), &it->second));
    g_->outputs.push_back(it->second.tensor);
  }
  return Status::Ok();
}

Status LowerOnnx(const onnx::ModelProto& model, const CalibrationStats& stats, LoweredGraph* out) {
  Lowerer lowerer(model, stats, out);
  return lowerer.Run();
}

}  // namespace compress
}  // namespace tv
