// Lowering of the ops with weights: Conv (-> CONV_2D / DEPTHWISE_CONV_2D, folding a following
// BatchNormalization) and Gemm / MatMul (-> FULLY_CONNECTED, folding a constant Add).
#include <cmath>
#include <string>
#include <vector>

#include "compress/onnx_helpers.h"
#include "compress/onnx_lowerer.h"

namespace tv {
namespace compress {

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
  const std::string bias_name =
      node.input_size() > 2 && !node.input(2).empty() ? node.input(2) : out_name + "/bias";
  return EmitWeighted(std::move(op), input_tensor, wt, bias_name, std::move(bias), out_name);
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
  LOp op;
  op.code = OpCode::kFullyConnected;
  op.origin = origin;
  op.activation = act;
  return EmitWeighted(std::move(op), x.tensor, wt, bias_name, std::move(bias), out_name);
}

Status Lowerer::EmitWeighted(LOp op, int32_t input, const LTensor& weights,
                             const std::string& bias_name, std::vector<float> bias,
                             const std::string& out_name) {
  LTensor bt;
  bt.name = bias_name;
  bt.role = TensorRole::kBias;
  bt.shape = {static_cast<int32_t>(bias.size())};
  bt.values = std::move(bias);
  // The output activation is added before the weights and bias (tensor order as always).
  int32_t out_index = 0;
  TV_RETURN_IF_ERROR(NewActivation(out_name, &out_index));
  op.inputs = {input, g_->AddTensor(weights), g_->AddTensor(bt)};
  op.outputs = {out_index};
  Emit(std::move(op));
  return Status::Ok();
}

}  // namespace compress
}  // namespace tv
