// Per-operator lowering: each handler emits TFLite-shaped ops into the LoweredGraph.
#include <cmath>

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

Status Lowerer::LowerConv(int i) {
  const auto& node = model_.graph().node(i);
  LoweredValue x;
  TV_RETURN_IF_ERROR(Value(i, node.input(0), &x));
  std::vector<int64_t> in_shape;
  TV_RETURN_IF_ERROR(OnnxShape(node.input(0), &in_shape));
  TV_CHECK_OR_RETURN(in_shape.size() == 4, "%s: only 2-D convolutions (NCHW input) are supported",
                     Label(i).c_str());
  std::vector<float> w, bias;
  TV_RETURN_IF_ERROR(Const(i, node.input(1), &w));
  const std::vector<int64_t>& ws = consts_.at(node.input(1)).shape;
  TV_CHECK_OR_RETURN(ws.size() == 4, "%s: weights must be 4-D", Label(i).c_str());
  const int64_t cout = ws[0], cin_g = ws[1], kh = ws[2], kw = ws[3], cin = in_shape[1];
  const int64_t group = AttrInt(node, "group", 1);
  const bool depthwise = group > 1 && group == cin && cin_g == 1 && cout % cin == 0;
  TV_CHECK_OR_RETURN(group == 1 || depthwise,
                     "%s: grouped convolution (group %lld) is not supported; only group 1 and "
                     "depthwise",
                     Label(i).c_str(), static_cast<long long>(group));
  TV_CHECK_OR_RETURN(group != 1 || cin_g == cin, "%s: weights do not match %lld input channels",
                     Label(i).c_str(), static_cast<long long>(cin));
  bias.assign(static_cast<size_t>(cout), 0.0f);
  if (node.input_size() > 2 && !node.input(2).empty()) {
    TV_RETURN_IF_ERROR(Const(i, node.input(2), &bias));
    TV_CHECK_OR_RETURN(static_cast<int64_t>(bias.size()) == cout, "%s: bias size mismatch",
                       Label(i).c_str());
  }
  std::string out_name = node.output(0);
  std::string origin = node.name().empty() ? node.op_type() : node.name();
  // BatchNormalization folding: w' = w * g / sqrt(v + eps), b' = (b - m) * g / sqrt(v + eps) +
  // beta.
  const int bn = SoleConsumer(out_name);
  if (bn >= 0 && model_.graph().node(bn).op_type() == "BatchNormalization") {
    const auto& bn_node = model_.graph().node(bn);
    std::vector<float> gamma, beta, mean, var;
    TV_RETURN_IF_ERROR(Const(bn, bn_node.input(1), &gamma));
    TV_RETURN_IF_ERROR(Const(bn, bn_node.input(2), &beta));
    TV_RETURN_IF_ERROR(Const(bn, bn_node.input(3), &mean));
    TV_RETURN_IF_ERROR(Const(bn, bn_node.input(4), &var));
    const size_t c = static_cast<size_t>(cout);
    TV_CHECK_OR_RETURN(gamma.size() == c && beta.size() == c && mean.size() == c && var.size() == c,
                       "%s: parameter sizes do not match %zu channels", Label(bn).c_str(), c);
    const float eps = AttrFloat(bn_node, "epsilon", 1e-5f);
    const size_t per_channel = w.size() / c;
    for (size_t o = 0; o < c; ++o) {
      const float k = gamma[o] / std::sqrt(var[o] + eps);
      for (size_t j = 0; j < per_channel; ++j) w[o * per_channel + j] *= k;
      bias[o] = (bias[o] - mean[o]) * k + beta[o];
    }
    done_[static_cast<size_t>(bn)] = true;
    out_name = bn_node.output(0);
    origin += "+BatchNormalization";
  }
  const Activation act = FuseActivation(&out_name, &origin);

  const std::vector<int64_t> strides = AttrInts(node, "strides"), dil = AttrInts(node, "dilations");
  const int64_t sh = strides.size() == 2 ? strides[0] : 1,
                sw = strides.size() == 2 ? strides[1] : 1;
  const int64_t dh = dil.size() == 2 ? dil[0] : 1, dw = dil.size() == 2 ? dil[1] : 1;
  bool same = false;
  std::vector<int64_t> pads;
  TV_RETURN_IF_ERROR(
      ChoosePadding(i, in_shape[2], in_shape[3], kh, kw, sh, sw, dh, dw, &same, &pads));
  int32_t input_tensor = x.tensor;
  if (!pads.empty()) {  // asymmetric padding TFLite SAME cannot express: explicit PAD first
    LTensor padded = g_->tensors[static_cast<size_t>(x.tensor)];
    padded.name = node.input(0) + "/padded";
    padded.shape[1] += static_cast<int32_t>(pads[0] + pads[2]);
    padded.shape[2] += static_cast<int32_t>(pads[1] + pads[3]);
    const int32_t padded_index = g_->AddTensor(padded);
    LOp pad;
    pad.code = OpCode::kPad;
    pad.origin = origin + " (padding)";
    LTensor p;
    p.name = node.input(0) + "/paddings";
    p.role = TensorRole::kShape;
    p.type = DataType::kInt32;
    p.shape = {4, 2};
    p.int_data = {0,
                  0,
                  static_cast<int32_t>(pads[0]),
                  static_cast<int32_t>(pads[2]),
                  static_cast<int32_t>(pads[1]),
                  static_cast<int32_t>(pads[3]),
                  0,
                  0};
    pad.inputs = {x.tensor, g_->AddTensor(p)};
    pad.outputs = {padded_index};
    Emit(pad);
    input_tensor = padded_index;
  }
  // Weights to TFLite layout: conv [O, KH, KW, I]; depthwise [1, KH, KW, O].
  LTensor wt;
  wt.name = node.input(1);
  wt.role = TensorRole::kWeight;
  wt.values.resize(w.size());
  const int64_t ci = cin_g;
  for (int64_t o = 0; o < cout; ++o)
    for (int64_t c = 0; c < ci; ++c)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t xx = 0; xx < kw; ++xx) {
          const float v = w[static_cast<size_t>(((o * ci + c) * kh + y) * kw + xx)];
          const int64_t dst =
              depthwise ? (y * kw + xx) * cout + o : ((o * kh + y) * kw + xx) * ci + c;
          wt.values[static_cast<size_t>(dst)] = v;
        }
  if (depthwise) {
    wt.shape = {1, static_cast<int32_t>(kh), static_cast<int32_t>(kw), static_cast<int32_t>(cout)};
    wt.channel_axis = 3;
  } else {
    wt.shape = {static_cast<int32_t>(cout), static_cast<int32_t>(kh), static_cast<int32_t>(kw),
                static_cast<int32_t>(ci)};
    wt.channel_axis = 0;
  }
  LTensor bt;
  bt.name = (node.input_size() > 2 && !node.input(2).empty() ? node.input(2) : out_name + "/bias");
  bt.role = TensorRole::kBias;
  bt.shape = {static_cast<int32_t>(cout)};
  bt.values = bias;
  LOp op;
  op.code = depthwise ? OpCode::kDepthwiseConv2D : OpCode::kConv2D;
  op.origin = origin;
  op.activation = act;
  op.same_padding = same;
  op.stride_h = static_cast<int32_t>(sh);
  op.stride_w = static_cast<int32_t>(sw);
  op.dilation_h = static_cast<int32_t>(dh);
  op.dilation_w = static_cast<int32_t>(dw);
  op.depth_multiplier = depthwise ? static_cast<int32_t>(cout / cin) : 1;
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(out_name, &out_index));
  op.inputs = {input_tensor, g_->AddTensor(wt), g_->AddTensor(bt)};
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
}

Status Lowerer::LowerGemm(int i) {
  const auto& node = model_.graph().node(i);
  const bool gemm = node.op_type() == "Gemm";
  LoweredValue x;
  TV_RETURN_IF_ERROR(Value(i, node.input(0), &x));
  TV_CHECK_OR_RETURN(x.onnx_rank == 2, "%s: input must be 2-D [N, K] (add a Flatten)",
                     Label(i).c_str());
  TV_CHECK_OR_RETURN(!gemm || AttrInt(node, "transA", 0) == 0, "%s: transA is not supported",
                     Label(i).c_str());
  std::vector<float> b;
  TV_RETURN_IF_ERROR(Const(i, node.input(1), &b));
  const std::vector<int64_t>& bs = consts_.at(node.input(1)).shape;
  TV_CHECK_OR_RETURN(bs.size() == 2, "%s: weights must be 2-D", Label(i).c_str());
  const bool trans_b = gemm && AttrInt(node, "transB", 0) != 0;
  const int64_t k = trans_b ? bs[1] : bs[0], cout = trans_b ? bs[0] : bs[1];
  const float alpha = gemm ? AttrFloat(node, "alpha", 1.0f) : 1.0f;
  const float beta = gemm ? AttrFloat(node, "beta", 1.0f) : 1.0f;
  std::vector<float> bias(static_cast<size_t>(cout), 0.0f);
  std::string out_name = node.output(0);
  std::string origin = node.name().empty() ? node.op_type() : node.name();
  std::string bias_name = out_name + "/bias";
  auto read_bias = [&](int n, const std::string& name, float factor) -> Status {
    std::vector<float> c;
    TV_RETURN_IF_ERROR(Const(n, name, &c));
    TV_CHECK_OR_RETURN(c.size() == 1 || static_cast<int64_t>(c.size()) == cout,
                       "%s: bias must have 1 or %lld elements", Label(n).c_str(),
                       static_cast<long long>(cout));
    for (size_t o = 0; o < bias.size(); ++o) bias[o] += factor * c[c.size() == 1 ? 0 : o];
    bias_name = name;
    return Status::Ok();
  };
  if (gemm && node.input_size() > 2 && !node.input(2).empty()) {
    TV_RETURN_IF_ERROR(read_bias(i, node.input(2), beta));
  }
  if (!gemm) {  // MatMul + Add(constant) -> one FULLY_CONNECTED with bias
    const int add = SoleConsumer(out_name);
    if (add >= 0 && model_.graph().node(add).op_type() == "Add") {
      const auto& add_node = model_.graph().node(add);
      const std::string other =
          add_node.input(0) == out_name ? add_node.input(1) : add_node.input(0);
      if (IsConst(other)) {
        TV_RETURN_IF_ERROR(read_bias(add, other, 1.0f));
        done_[static_cast<size_t>(add)] = true;
        out_name = add_node.output(0);
        origin += "+Add";
      }
    }
  }
  const Activation act = FuseActivation(&out_name, &origin);
  TV_CHECK_OR_RETURN(g_->tensors[static_cast<size_t>(x.tensor)].shape.back() == k || x.hwc_order,
                     "%s: weights expect K=%lld inputs", Label(i).c_str(),
                     static_cast<long long>(k));
  LTensor wt;
  wt.name = node.input(1);
  wt.role = TensorRole::kWeight;
  wt.shape = {static_cast<int32_t>(cout), static_cast<int32_t>(k)};
  wt.channel_axis = 0;
  wt.values.resize(b.size());
  for (int64_t o = 0; o < cout; ++o) {
    for (int64_t j = 0; j < k; ++j) {
      // Column j of the TFLite weights multiplies TFLite input element j; with (h, w, c)
      // input order that element is ONNX element (c, h, w).
      int64_t src_j = j;
      if (x.hwc_order) {
        const int64_t c = j % x.c, hw = j / x.c;
        src_j = c * x.h * x.w + hw;
      }
      wt.values[static_cast<size_t>(o * k + j)] =
          alpha * b[static_cast<size_t>(trans_b ? o * k + src_j : src_j * cout + o)];
    }
  }
  if (x.hwc_order) g_->notes.push_back(origin + ": weight columns permuted for NHWC flatten order");
  LTensor bt;
  bt.name = bias_name;
  bt.role = TensorRole::kBias;
  bt.shape = {static_cast<int32_t>(cout)};
  bt.values = bias;
  LOp op;
  op.code = OpCode::kFullyConnected;
  op.origin = origin;
  op.activation = act;
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(out_name, &out_index));
  op.inputs = {x.tensor, g_->AddTensor(wt), g_->AddTensor(bt)};
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
}

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
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(out_name, &out_index));
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
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
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(node.output(0), &out_index));
  op.inputs = {x.tensor};
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
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
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(out_name, &out_index));
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
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
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(node.output(0), &out_index));
  op.inputs = {x.tensor, p};
  op.outputs = {out_index};
  Emit(op);
  return Status::Ok();
}

}  // namespace compress
}  // namespace tv
