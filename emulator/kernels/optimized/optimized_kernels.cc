#include "emulator/kernels/optimized/optimized_kernels.h"

#include <new>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/optimized/packing.h"
#include "emulator/kernels/optimized/simd_plans.h"
#include "emulator/kernels/registrations.h"
#include "emulator/kernels/weighted_op_data.h"

namespace tv {
namespace optimized {

namespace {

using kernels::ConvOpData;
using kernels::DepthwiseConvOpData;
using kernels::FullyConnectedOpData;

enum { kInput = 0, kWeights = 1, kBias = 2 };

// Packed data hung on the reference op data's `optimized` slot.
struct Packed {
  GemmInt8Plan gemm;
  DepthwiseInt8Plan depthwise;
  FloatPlan flt;
  DataType type = DataType::kFloat32;
  int scratch = -1;
};

Status NewPacked(KernelContext& ctx, Packed** out) {
  uint8_t* raw = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateArray(sizeof(Packed), &raw));
  *out = new (raw) Packed();
  return Status::Ok();
}

// Constant weights (and bias, if any) are what packing needs; otherwise use the reference.
bool ConstantOperands(const KernelContext& ctx) {
  const Tensor* w = ctx.input(kWeights);
  const Tensor* b = ctx.input(kBias);
  return w && w->is_constant && w->data && (!b || (b->is_constant && b->data));
}

template <typename OpData>
Geometry WindowGeometry(const OpData& d) {
  Geometry g;
  g.batches = d.batches;
  g.in_h = d.in_h;
  g.in_w = d.in_w;
  g.in_c = d.in_c;
  g.out_h = d.out_h;
  g.out_w = d.out_w;
  g.out_c = d.out_c;
  g.f_h = d.f_h;
  g.f_w = d.f_w;
  g.stride_y = d.y.stride;
  g.stride_x = d.x.stride;
  g.dilation_y = d.y.dilation;
  g.dilation_x = d.x.dilation;
  g.pad_y = d.y.pad;
  g.pad_x = d.x.pad;
  g.direct_rows = d.f_h == 1 && d.f_w == 1 && d.y.stride == 1 && d.x.stride == 1 && d.y.pad == 0 &&
                  d.x.pad == 0;
  return g;
}

Status PrepareInt8Gemm(KernelContext& ctx, const Geometry& g, const int8_t* weights,
                       int32_t input_offset, const Multipliers& m, int32_t output_offset,
                       int32_t act_min, int32_t act_max, Packed* p) {
  const Tensor* bias = ctx.input(kBias);
  p->gemm.g = g;
  p->gemm.pad_value = static_cast<int8_t>(-input_offset);
  TV_RETURN_IF_ERROR(PackGemmInt8(ctx, weights, bias ? bias->As<int32_t>() : nullptr, g.out_c,
                                  g.f_h * g.f_w * g.in_c, input_offset, &p->gemm));
  TV_RETURN_IF_ERROR(PackRequant(ctx, g.out_c, m, output_offset, act_min, act_max, &p->gemm.rq));
  if (g.direct_rows) return Status::Ok();  // patches are the input rows: no im2col scratch
  return ctx.RequestScratch(GemmInt8ScratchBytes(p->gemm), &p->scratch);
}

// Float weights are packed the same way for all three ops; only the row length and
// whether the rows are per-channel (depthwise) differ.
Status PrepareFloat(KernelContext& ctx, const Geometry& g, float act_min, float act_max,
                    int32_t rows, int32_t row_length, bool depthwise, Packed* p) {
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* bias = ctx.input(kBias);
  p->flt.g = g;
  p->flt.act_min = act_min;
  p->flt.act_max = act_max;
  return PackFloat(ctx, weights->As<float>(), bias ? bias->As<float>() : nullptr, rows, row_length,
                   depthwise, &p->flt);
}

Status PrepareConv(KernelContext& ctx) {
  TV_RETURN_IF_ERROR(kernels::kConvRegistration.prepare(ctx));
  ConvOpData& d = *ctx.op_data<ConvOpData>();
  const DataType type = ctx.input(kInput)->type;
  if (!ConstantOperands(ctx) || d.f_c != d.in_c) return Status::Ok();
  if (type != DataType::kInt8 && type != DataType::kFloat32) return Status::Ok();
  Packed* p = nullptr;
  TV_RETURN_IF_ERROR(NewPacked(ctx, &p));
  p->type = type;
  const Geometry g = WindowGeometry(d);
  const Tensor* filter = ctx.input(kWeights);
  if (type == DataType::kInt8) {
    Multipliers m;
    m.multiplier = d.quant.multiplier;
    m.shift = d.quant.shift;
    TV_RETURN_IF_ERROR(PrepareInt8Gemm(ctx, g, d.filter ? d.filter : filter->As<int8_t>(),
                                       d.input_offset, m, d.output_offset, d.act_min, d.act_max,
                                       p));
  } else {
    TV_RETURN_IF_ERROR(
        PrepareFloat(ctx, g, d.f_min, d.f_max, d.out_c, d.f_h * d.f_w * d.f_c, false, p));
  }
  d.optimized = p;
  return Status::Ok();
}

// Conv and fully-connected both run as one int8 GEMM (or the float conv loop) over the
// packed plan; ops whose Prepare declined to pack fall back to the reference Eval.
template <typename OpData, const KernelRegistration& kReference>
Status EvalGemm(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const Packed* p = static_cast<const Packed*>(d.optimized);
  if (p == nullptr) return kReference.eval_reference(ctx);
  if (p->type == DataType::kInt8) {
    GemmInt8(p->gemm, ctx.input(kInput)->As<int8_t>(), ctx.output(0)->As<int8_t>(),
             p->scratch >= 0 ? reinterpret_cast<int16_t*>(ctx.scratch(p->scratch)) : nullptr);
  } else {
    ConvFloat(p->flt, ctx.input(kInput)->As<float>(), ctx.output(0)->As<float>());
  }
  return Status::Ok();
}

Status PrepareDepthwise(KernelContext& ctx) {
  TV_RETURN_IF_ERROR(kernels::kDepthwiseConvRegistration.prepare(ctx));
  DepthwiseConvOpData& d = *ctx.op_data<DepthwiseConvOpData>();
  const DataType type = ctx.input(kInput)->type;
  if (!ConstantOperands(ctx)) return Status::Ok();
  if (type != DataType::kInt8 && type != DataType::kFloat32) return Status::Ok();
  Packed* p = nullptr;
  TV_RETURN_IF_ERROR(NewPacked(ctx, &p));
  p->type = type;
  Geometry g = WindowGeometry(d);
  g.depth_multiplier = d.depth_multiplier;
  g.direct_rows = false;
  const Tensor* filter = ctx.input(kWeights);
  const Tensor* bias = ctx.input(kBias);
  if (type == DataType::kInt8) {
    p->depthwise.g = g;
    p->depthwise.input_offset = d.input_offset;
    TV_RETURN_IF_ERROR(PackDepthwiseInt8(ctx, d.filter ? d.filter : filter->As<int8_t>(),
                                         bias ? bias->As<int32_t>() : nullptr, d.f_h * d.f_w,
                                         d.out_c, &p->depthwise));
    Multipliers m;
    m.multiplier = d.quant.multiplier;
    m.shift = d.quant.shift;
    TV_RETURN_IF_ERROR(
        PackRequant(ctx, d.out_c, m, d.output_offset, d.act_min, d.act_max, &p->depthwise.rq));
  } else {
    TV_RETURN_IF_ERROR(PrepareFloat(ctx, g, d.f_min, d.f_max, d.out_c, d.f_h * d.f_w, true, p));
  }
  d.optimized = p;
  return Status::Ok();
}

Status EvalDepthwise(KernelContext& ctx) {
  const DepthwiseConvOpData& d = *ctx.op_data<DepthwiseConvOpData>();
  const Packed* p = static_cast<const Packed*>(d.optimized);
  if (p == nullptr) return kernels::kDepthwiseConvRegistration.eval_reference(ctx);
  if (p->type == DataType::kInt8) {
    DepthwiseInt8(p->depthwise, ctx.input(kInput)->As<int8_t>(), ctx.output(0)->As<int8_t>());
  } else {
    ConvFloat(p->flt, ctx.input(kInput)->As<float>(), ctx.output(0)->As<float>());
  }
  return Status::Ok();
}

Status PrepareFullyConnected(KernelContext& ctx) {
  TV_RETURN_IF_ERROR(kernels::kFullyConnectedRegistration.prepare(ctx));
  FullyConnectedOpData& d = *ctx.op_data<FullyConnectedOpData>();
  const Tensor* input = ctx.input(kInput);
  const Tensor* bias = ctx.input(kBias);
  if (!ConstantOperands(ctx) || d.out_channels <= 0 || d.depth <= 0) return Status::Ok();
  const DataType type = input->type;
  const bool int8 =
      type == DataType::kInt8 && d.filter_offset == 0 && (!bias || bias->type == DataType::kInt32);
  if (!int8 && type != DataType::kFloat32) return Status::Ok();
  Packed* p = nullptr;
  TV_RETURN_IF_ERROR(NewPacked(ctx, &p));
  p->type = type;
  Geometry g;
  g.batches = d.batches;
  g.in_h = g.in_w = g.out_h = g.out_w = 1;
  g.in_c = d.depth;
  g.out_c = d.out_channels;
  g.direct_rows = true;
  if (int8) {
    Multipliers m;
    if (d.per_channel) {
      m.multiplier = d.channel.multiplier;
      m.shift = d.channel.shift;
    } else {
      m.tensor_multiplier = d.multiplier;
      m.tensor_shift = d.shift;
    }
    TV_RETURN_IF_ERROR(PrepareInt8Gemm(ctx, g, d.weights, d.input_offset, m, d.output_offset,
                                       d.act_min, d.act_max, p));
  } else {
    TV_RETURN_IF_ERROR(PrepareFloat(ctx, g, d.f_min, d.f_max, d.out_channels, d.depth, false, p));
  }
  d.optimized = p;
  return Status::Ok();
}

const OptimizedKernel kKernels[] = {
    {op::kConv2D, PrepareConv, EvalGemm<ConvOpData, kernels::kConvRegistration>},
    {op::kDepthwiseConv2D, PrepareDepthwise, EvalDepthwise},
    {op::kFullyConnected, PrepareFullyConnected,
     EvalGemm<FullyConnectedOpData, kernels::kFullyConnectedRegistration>},
};

}  // namespace

const OptimizedKernel* FindOptimizedKernel(int32_t op_code) {
  for (const OptimizedKernel& k : kKernels) {
    if (k.op_code == op_code) return &k;
  }
  return nullptr;
}

const OptimizedKernel* AllOptimizedKernels(int32_t* count) {
  *count = static_cast<int32_t>(sizeof(kKernels) / sizeof(kKernels[0]));
  return kKernels;
}

}  // namespace optimized
}  // namespace tv
