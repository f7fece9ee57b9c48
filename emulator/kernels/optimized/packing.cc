#include "emulator/kernels/optimized/packing.h"

#include <cstring>

namespace tv {
namespace optimized {

namespace {

template <typename T>
Status Allocate(KernelContext& ctx, int64_t count, T** out) {
  TV_CHECK_OR_RETURN(count >= 0 && count < (int64_t{1} << 31), "packed buffer too large (%lld)",
                     static_cast<long long>(count));
  return ctx.AllocateArray(static_cast<size_t>(count), out);
}

}  // namespace

Status PackRequant(KernelContext& ctx, int32_t channels, const Multipliers& m,
                   int32_t output_offset, int32_t act_min, int32_t act_max, Requant* rq) {
  const int32_t padded = RoundUpToBlock(channels);
  int32_t *mult = nullptr, *left = nullptr, *right = nullptr, *mask = nullptr, *half = nullptr;
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &mult));
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &left));
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &right));
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &mask));
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &half));
  for (int32_t c = 0; c < channels; ++c) {
    const int32_t shift = m.shift ? m.shift[c] : m.tensor_shift;
    TV_CHECK_OR_RETURN(shift >= -31 && shift <= 31, "shift %d out of range", shift);
    mult[c] = m.shift ? m.multiplier[c] : m.tensor_multiplier;
    // SRDHM saturates only for INT32_MIN x INT32_MIN; the vector code relies on that.
    TV_CHECK_OR_RETURN(mult[c] != INT32_MIN, "multiplier of channel %d is INT32_MIN", c);
    left[c] = shift > 0 ? shift : 0;
    right[c] = shift > 0 ? 0 : -shift;
    mask[c] = static_cast<int32_t>((int64_t{1} << right[c]) - 1);
    half[c] = mask[c] >> 1;
  }
  rq->multiplier = mult;
  rq->left_shift = left;
  rq->right_shift = right;
  rq->round_mask = mask;
  rq->round_half = half;
  rq->output_offset = output_offset;
  rq->act_min = act_min;
  rq->act_max = act_max;
  return Status::Ok();
}

Status PackGemmInt8(KernelContext& ctx, const int8_t* weights, const int32_t* bias, int32_t out_c,
                    int32_t depth, int32_t input_offset, GemmInt8Plan* plan) {
  const int32_t padded = RoundUpToBlock(out_c);
  const int32_t pairs = (depth + 1) / 2;
  int16_t* packed = nullptr;
  int32_t* folded = nullptr;
  TV_RETURN_IF_ERROR(Allocate(ctx, int64_t{padded} * pairs * 2, &packed));
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &folded));
  for (int32_t oc = 0; oc < out_c; ++oc) {
    const int8_t* row = weights + int64_t{oc} * depth;
    int16_t* dst = packed + int64_t{oc / kBlock} * pairs * kBlock * 2 + (oc % kBlock) * 2;
    uint32_t sum = 0;
    for (int32_t k = 0; k < depth; ++k) {
      dst[int64_t{k / 2} * kBlock * 2 + k % 2] = row[k];
      sum += static_cast<uint32_t>(static_cast<int32_t>(row[k]));
    }
    // sum(w * (x + offset)) + bias == sum(w * x) + (bias + offset * sum(w)) modulo 2^32.
    const uint32_t b = bias ? static_cast<uint32_t>(bias[oc]) : 0u;
    folded[oc] = static_cast<int32_t>(b + static_cast<uint32_t>(input_offset) * sum);
  }
  plan->weights = packed;
  plan->depth = depth;
  plan->depth_pairs = pairs;
  plan->rq.bias = folded;
  return Status::Ok();
}

Status PackDepthwiseInt8(KernelContext& ctx, const int8_t* weights, const int32_t* bias,
                         int32_t taps, int32_t out_c, DepthwiseInt8Plan* plan) {
  const int32_t padded = RoundUpToBlock(out_c);
  int32_t* packed = nullptr;
  int32_t* padded_bias = nullptr;
  TV_RETURN_IF_ERROR(Allocate(ctx, int64_t{taps} * padded, &packed));
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &padded_bias));
  for (int32_t t = 0; t < taps; ++t) {
    for (int32_t c = 0; c < out_c; ++c) {
      packed[int64_t{t} * padded + c] = weights[int64_t{t} * out_c + c];
    }
  }
  if (bias) std::memcpy(padded_bias, bias, static_cast<size_t>(out_c) * sizeof(int32_t));
  plan->weights = packed;
  plan->bias = padded_bias;
  return Status::Ok();
}

Status PackFloat(KernelContext& ctx, const float* weights, const float* bias, int32_t out_c,
                 int32_t depth, bool depthwise, FloatPlan* plan) {
  const int32_t padded = RoundUpToBlock(out_c);
  float* packed = nullptr;
  float* padded_bias = nullptr;
  TV_RETURN_IF_ERROR(Allocate(ctx, int64_t{padded} * depth, &packed));
  TV_RETURN_IF_ERROR(Allocate(ctx, padded, &padded_bias));
  for (int32_t oc = 0; oc < out_c; ++oc) {
    for (int32_t k = 0; k < depth; ++k) {
      if (depthwise) {  // depth = taps; source [taps][out_c]
        packed[int64_t{k} * padded + oc] = weights[int64_t{k} * out_c + oc];
      } else {
        packed[(int64_t{oc / kBlock} * depth + k) * kBlock + oc % kBlock] =
            weights[int64_t{oc} * depth + k];
      }
    }
  }
  if (bias) std::memcpy(padded_bias, bias, static_cast<size_t>(out_c) * sizeof(float));
  plan->weights = packed;
  plan->bias = padded_bias;
  plan->depthwise = depthwise;
  return Status::Ok();
}

}  // namespace optimized
}  // namespace tv
