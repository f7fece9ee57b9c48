// Per-operator lowering of the weightless ops (pooling, elementwise, activations, reshape,
// concat, pad): each handler emits TFLite-shaped ops into the LoweredGraph. Conv and
// Gemm/MatMul are in onnx_lower_weighted.cc.
#include <algorithm>
#include <string>
#include <vector>

#include "compress/onnx_helpers.h"
#include "compress/onnx_lowerer.h"

namespace tv {
namespace compress {
namespace {

int32_t NhwcAxis(int64_t onnx_axis) {
  static const int32_t kMap[4] = {0, 3, 1, 2};
  return kMap[onnx_axis];
}

}  // namespace

Status Lowerer::LowerPool(int i) {
  const auto& node = model_.graph().node(i);
  LoweredValue x;
  TV_RETURN_IF_ERROR(Value(i, node.input(0), &x));
  std::vector<int64_t> in_shape;
  TV_RETURN_IF_ERROR(OnnxShape(node.input(0), &in_shape));
  TV_CHECK_OR_RETURN(in_shape.size() == 4, "%s: only 2-D pooling is supported", Label(i).c_str());
  LOp op;
  op.code = node.op_type() == "MaxPool" ? OpCode::kMaxPool2D : OpCode::kAveragePool2D;
  op.origin = node.name().empty() ? node.op_type() : node.name();
  if (node.op_type() == "GlobalAveragePool") {
    op.filter_h = static_cast<int32_t>(in_shape[2]);
    op.filter_w = static_cast<int32_t>(in_shape[3]);
  } else {
    const std::vector<int64_t> k = AttrInts(node, "kernel_shape"), s = AttrInts(node, "strides");
    TV_CHECK_OR_RETURN(k.size() == 2, "%s: kernel_shape must have 2 entries", Label(i).c_str());
    for (int64_t d : AttrInts(node, "dilations")) {
      TV_CHECK_OR_RETURN(d == 1, "%s: dilated pooling is not supported", Label(i).c_str());
    }
    TV_CHECK_OR_RETURN(node.output_size() == 1, "%s: MaxPool indices output is not supported",
                       Label(i).c_str());
    op.filter_h = static_cast<int32_t>(k[0]);
    op.filter_w = static_cast<int32_t>(k[1]);
    op.stride_h = s.size() == 2 ? static_cast<int32_t>(s[0]) : 1;
    op.stride_w = s.size() == 2 ? static_cast<int32_t>(s[1]) : 1;
    std::vector<int64_t> pads;
    TV_RETURN_IF_ERROR(ChoosePadding(i, in_shape[2], in_shape[3], k[0], k[1], op.stride_h,
                                     op.stride_w, 1, 1, &op.same_padding, &pads));
    TV_CHECK_OR_RETURN(pads.empty(), "%s: padding that is neither VALID nor TFLite SAME",
                       Label(i).c_str());
    TV_CHECK_OR_RETURN(!op.same_padding || op.code == OpCode::kMaxPool2D ||
                           AttrInt(node, "count_include_pad", 0) == 0,
                       "%s: count_include_pad=1 with padding is not supported", Label(i).c_str());
  }
  std::string out_name = node.output(0);
  op.activation = FuseActivation(&out_name, &op.origin);
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(out_name, &out_index));
  // ceil_mode or odd shapes: the observed output must match the TFLite formula.
  const auto& os = g_->tensors[static_cast<size_t>(out_index)].shape;
  const int32_t ih = static_cast<int32_t>(in_shape[2]), iw = static_cast<int32_t>(in_shape[3]);
  const int32_t eh = op.same_padding ? (ih + op.stride_h - 1) / op.stride_h
                                     : (ih - op.filter_h + op.stride_h) / op.stride_h;
  const int32_t ew = op.same_padding ? (iw + op.stride_w - 1) / op.stride_w
                                     : (iw - op.filter_w + op.stride_w) / op.stride_w;
  TV_CHECK_OR_RETURN(os[1] == eh && os[2] == ew,
                     "%s: output size differs from TFLite pooling (ceil_mode?)", Label(i).c_str());
  op.inputs = {x.tensor};
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
}

Status Lowerer::LowerElementwise(int i) {
  const auto& node = model_.graph().node(i);
  TV_CHECK_OR_RETURN(node.input_size() == 2, "%s: expects 2 inputs", Label(i).c_str());
  LOp op;
  op.code = node.op_type() == "Add" ? OpCode::kAdd : OpCode::kMul;
  op.origin = node.name().empty() ? node.op_type() : node.name();
  TV_CHECK_OR_RETURN(!(IsConst(node.input(0)) && IsConst(node.input(1))),
                     "%s: both inputs are constant (fold them first)", Label(i).c_str());
  int32_t act_rank = 0;
  for (int k = 0; k < 2; ++k) {
    if (IsConst(node.input(k))) continue;
    LoweredValue v;
    TV_RETURN_IF_ERROR(Value(i, node.input(k), &v));
    TV_RETURN_IF_ERROR(Materialize(node.input(k), &v));
    act_rank = std::max(act_rank, v.onnx_rank);
    op.inputs.push_back(v.tensor);
  }
  for (int k = 0; k < 2; ++k) {
    if (!IsConst(node.input(k))) continue;
    LTensor c;
    c.name = node.input(k);
    c.role = TensorRole::kConstant;
    TV_RETURN_IF_ERROR(Const(i, node.input(k), &c.values));
    std::vector<int64_t> s = consts_.at(node.input(k)).shape;
    TV_CHECK_OR_RETURN(static_cast<int32_t>(s.size()) <= act_rank,
                       "%s: constant has higher rank than the activation", Label(i).c_str());
    // Before opset 7, broadcast=1 with `axis` aligns the constant's first dimension with the
    // activation's dimension `axis` (a per-channel bias is [C] with axis 1), not the last.
    const int64_t axis = AttrInt(node, "axis", -1);
    if (opset_ < 7 && AttrInt(node, "broadcast", 0) == 1 && axis >= 0) {
      TV_CHECK_OR_RETURN(axis + static_cast<int64_t>(s.size()) <= act_rank,
                         "%s: broadcast axis %lld does not fit", Label(i).c_str(),
                         static_cast<long long>(axis));
      while (static_cast<int64_t>(s.size()) + axis < act_rank) s.push_back(1);
    }
    while (static_cast<int32_t>(s.size()) < act_rank) s.insert(s.begin(), 1);
    if (s.size() == 4) {  // NCHW -> NHWC
      std::vector<float> v(c.values.size());
      const int64_t n = s[0], ch = s[1], h = s[2], w = s[3];
      for (int64_t a = 0; a < n; ++a)
        for (int64_t cc = 0; cc < ch; ++cc)
          for (int64_t y = 0; y < h; ++y)
            for (int64_t xx = 0; xx < w; ++xx)
              v[static_cast<size_t>(((a * h + y) * w + xx) * ch + cc)] =
                  c.values[static_cast<size_t>(((a * ch + cc) * h + y) * w + xx)];
      c.values = v;
    }
    c.shape = ToNhwc(s);
    const int32_t index = g_->AddTensor(c);
    op.inputs.insert(op.inputs.begin() + k, index);
  }
  std::string out_name = node.output(0);
  op.activation = FuseActivation(&out_name, &op.origin);
  return EmitTo(std::move(op), out_name);
}

Status Lowerer::LowerUnary(int i) {
  const auto& node = model_.graph().node(i);
  const std::string& t = node.op_type();
  LoweredValue x;
  TV_RETURN_IF_ERROR(Value(i, node.input(0), &x));
  TV_RETURN_IF_ERROR(Materialize(node.input(0), &x));
  LOp op;
  op.origin = node.name().empty() ? t : node.name();
  if (t == "Relu") {
    op.code = OpCode::kRelu;
  } else if (t == "Clip") {
    Activation act;
    TV_CHECK_OR_RETURN(ClipAsActivation(i, &act),
                       "%s: only Clip(0, 6) and Clip(0, inf) are "
                       "supported",
                       Label(i).c_str());
    op.code = act == Activation::kRelu6 ? OpCode::kRelu6 : OpCode::kRelu;
  } else if (t == "Sigmoid") {
    op.code = OpCode::kLogistic;
  } else {
    op.code = OpCode::kSoftmax;
    int64_t axis = AttrInt(node, "axis", opset_ >= 13 ? -1 : 1);
    if (axis < 0) axis += x.onnx_rank;
    const bool last = x.onnx_rank == 4 ? axis == 1 : axis == x.onnx_rank - 1;
    TV_CHECK_OR_RETURN(last, "%s: softmax must run over the channel (last NHWC) axis",
                       Label(i).c_str());
  }
  op.inputs = {x.tensor};
  return EmitTo(std::move(op), node.output(0));
}

Status Lowerer::LowerReshape(int i) {
  const auto& node = model_.graph().node(i);
  LoweredValue x;
  TV_RETURN_IF_ERROR(Value(i, node.input(0), &x));
  std::vector<int64_t> out_shape, in_shape;
  TV_RETURN_IF_ERROR(OnnxShape(node.output(0), &out_shape));
  TV_RETURN_IF_ERROR(OnnxShape(node.input(0), &in_shape));
  const std::vector<int32_t> in_t = g_->tensors[static_cast<size_t>(x.tensor)].shape;
  LOp op;
  op.code = OpCode::kReshape;
  op.origin = node.name().empty() ? node.op_type() : node.name();
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(node.output(0), &out_index));
  LoweredValue& out = values_[node.output(0)];
  const bool order_free =
      in_shape.size() == 4 && (in_shape[1] == 1 || in_shape[2] * in_shape[3] == 1);
  if (in_shape.size() == 4 && out_shape.size() == 2 && out_shape[0] == in_shape[0] && !order_free) {
    out.hwc_order = true;  // FULLY_CONNECTED consumers permute their weights instead
    out.source_4d = x.tensor;
    out.c = in_t[3];
    out.h = in_t[1];
    out.w = in_t[2];
  } else if (out_shape.size() == 4) {
    TV_CHECK_OR_RETURN(in_shape == out_shape, "%s: reshaping into a 4-D tensor is not supported",
                       Label(i).c_str());
  } else {
    TV_CHECK_OR_RETURN(in_shape.size() != 4 || order_free,
                       "%s: this reshape of an NCHW tensor is not supported", Label(i).c_str());
    TV_RETURN_IF_ERROR(Materialize(node.input(0), &x));
  }
  op.new_shape = g_->tensors[static_cast<size_t>(out_index)].shape;
  op.inputs = {x.tensor, AddShapeTensor(node.output(0) + "/shape", op.new_shape)};
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
}

Status Lowerer::LowerConcat(int i) {
  const auto& node = model_.graph().node(i);
  LOp op;
  op.code = OpCode::kConcatenation;
  op.origin = node.name().empty() ? node.op_type() : node.name();
  int32_t rank = 0;
  for (const auto& in : node.input()) {
    LoweredValue v;
    TV_RETURN_IF_ERROR(Value(i, in, &v));
    TV_RETURN_IF_ERROR(Materialize(in, &v));
    rank = v.onnx_rank;
    op.inputs.push_back(v.tensor);
  }
  int64_t axis = AttrInt(node, "axis", 1);
  if (axis < 0) axis += rank;
  TV_CHECK_OR_RETURN(axis >= 0 && axis < rank, "%s: bad axis", Label(i).c_str());
  op.axis = rank == 4 ? NhwcAxis(axis) : static_cast<int32_t>(axis);
  std::string out_name = node.output(0);
  op.activation = FuseActivation(&out_name, &op.origin);
  TV_CHECK_OR_RETURN(op.activation == Activation::kNone,
                     "%s: activation after Concat is not "
                     "supported",
                     Label(i).c_str());
  return EmitTo(std::move(op), out_name);
}

Status Lowerer::LowerPad(int i) {
  const auto& node = model_.graph().node(i);
  LoweredValue x;
  TV_RETURN_IF_ERROR(Value(i, node.input(0), &x));
  TV_RETURN_IF_ERROR(Materialize(node.input(0), &x));
  const std::string mode = AttrString(node, "mode");
  TV_CHECK_OR_RETURN(mode.empty() || mode == "constant", "%s: only constant padding is supported",
                     Label(i).c_str());
  std::vector<int64_t> pads;
  if (opset_ < 11) {
    pads = AttrInts(node, "pads");
    TV_CHECK_OR_RETURN(AttrFloat(node, "value", 0.0f) == 0.0f, "%s: pad value must be 0",
                       Label(i).c_str());
  } else {
    TV_RETURN_IF_ERROR(ConstInts(i, node.input(1), &pads));
    if (node.input_size() > 2 && !node.input(2).empty()) {
      std::vector<float> value;
      TV_RETURN_IF_ERROR(Const(i, node.input(2), &value));
      TV_CHECK_OR_RETURN(value.size() == 1 && value[0] == 0.0f, "%s: pad value must be 0",
                         Label(i).c_str());
    }
  }
  const size_t rank = static_cast<size_t>(x.onnx_rank);
  TV_CHECK_OR_RETURN(pads.size() == 2 * rank, "%s: expected %zu pads", Label(i).c_str(), 2 * rank);
  std::vector<int32_t> paddings(2 * rank);
  for (size_t a = 0; a < rank; ++a) {
    TV_CHECK_OR_RETURN(pads[a] >= 0 && pads[a + rank] >= 0, "%s: negative pads are not supported",
                       Label(i).c_str());
    const size_t dst = rank == 4 ? static_cast<size_t>(NhwcAxis(static_cast<int64_t>(a))) : a;
    paddings[2 * dst] = static_cast<int32_t>(pads[a]);
    paddings[2 * dst + 1] = static_cast<int32_t>(pads[a + rank]);
  }
  LOp op;
  op.code = OpCode::kPad;
  op.origin = node.name().empty() ? node.op_type() : node.name();
  const int32_t p = AddShapeTensor(node.output(0) + "/paddings", paddings);
  g_->tensors[static_cast<size_t>(p)].shape = {static_cast<int32_t>(rank), 2};
  op.inputs = {x.tensor, p};
  return EmitTo(std::move(op), node.output(0));
}

Status Lowerer::EmitTo(LOp op, const std::string& out_name) {
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(out_name, &out_index));
  op.outputs = {out_index};
  Emit(std::move(op));
  return Status::Ok();
}

}  // namespace compress
}  // namespace tv
