// PAD and PADV2 share one kernel, as in TFLM (pad.cc registers the same Prepare/Eval for
// both): the op with a third input pads with that scalar, otherwise with the output zero
// point (int8) or 0 (float32, int16, int32). Pure copy, tflm-int8-arithmetic.md §14.
//
// TFLM rules reproduced (pad_common.cc, reference/pad.h): input rank ≤ 5; input, output and
// constant_values share one type; constant_values has exactly one element; paddings is a
// constant int32 tensor with 2·rank(output) values and output dim i = input dim i +
// before + after; int8 without constant_values needs a zero point inside [-128, 127]; int8
// constant_values must carry the output's exact scale and zero point.
#ifndef TINYVERIFY_EMULATOR_KERNELS_PAD_COMMON_H_
#define TINYVERIFY_EMULATOR_KERNELS_PAD_COMMON_H_

#include <cstdint>
#include <cstring>

#include "emulator/kernels/copy_common.h"

namespace tv {
namespace kernels {
namespace pad {

constexpr int kPadMaxDims = 5;

struct PadData {
  // Shapes extended to 5-D by prepending 1s, and the matching paddings (0 for the prefix).
  int32_t out_dims[kPadMaxDims] = {1, 1, 1, 1, 1};
  int32_t before[kPadMaxDims] = {0, 0, 0, 0, 0};
  int32_t after[kPadMaxDims] = {0, 0, 0, 0, 0};
  size_t elem = 0;
  uint32_t default_pad = 0;  // raw bits of the pad value used when there is no constant input
};

inline Status PadPrepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 || ctx.num_inputs() == 3,
                     "expects 2 or 3 inputs, got %d", ctx.num_inputs());
  TV_CHECK_OR_RETURN(ctx.num_outputs() == 1, "expects 1 output, got %d", ctx.num_outputs());
  const Tensor* input = nullptr;
  const Tensor* paddings = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "paddings", &paddings));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  const Tensor* constant = ctx.num_inputs() == 3 ? ctx.input(2) : nullptr;
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16 || input->type == DataType::kInt32,
                     "input '%s' has type %s; expected float32, int8, int16 or int32", input->name,
                     DataTypeName(input->type));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *output));
  const int rank = input->shape.rank;
  TV_CHECK_OR_RETURN(rank <= kPadMaxDims, "input '%s' has rank %d; at most %d supported",
                     input->name, rank, kPadMaxDims);
  TV_CHECK_OR_RETURN(output->shape.rank == rank, "output '%s' has rank %d, input '%s' rank %d",
                     output->name, output->shape.rank, input->name, rank);
  if (constant != nullptr) {
    TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *constant));
    TV_CHECK_OR_RETURN(constant->shape.NumElements() == 1,
                       "constant_values '%s' must hold exactly one element", constant->name);
  }
  const int32_t* pads = nullptr;
  int64_t count = 0;
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*paddings, "paddings", &pads, &count));
  TV_CHECK_OR_RETURN(count == 2 * int64_t{rank}, "paddings '%s' has %lld values; expected %d",
                     paddings->name, static_cast<long long>(count), 2 * rank);

  PadData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->elem = DataTypeSize(input->type);
  const int lead = kPadMaxDims - rank;
  for (int i = 0; i < rank; ++i) {
    const int32_t lo = pads[2 * i], hi = pads[2 * i + 1];
    // Negative paddings (cropping) are not valid TensorFlow PAD; TFLM's reference loop would
    // read the input out of order, so refuse them.
    TV_CHECK_OR_RETURN(lo >= 0 && hi >= 0, "paddings '%s' has negative entry [%d, %d] for axis %d",
                       paddings->name, lo, hi, i);
    const int64_t expected = int64_t{input->shape.dims[i]} + lo + hi;
    char a[96];
    TV_CHECK_OR_RETURN(output->shape.dims[i] == expected,
                       "output '%s' %s: dim %d is %d, expected %lld (input %d + %d + %d)",
                       output->name, copy::ShapeStr(output->shape, a, sizeof(a)), i,
                       output->shape.dims[i], static_cast<long long>(expected),
                       input->shape.dims[i], lo, hi);
    d->out_dims[lead + i] = output->shape.dims[i];
    d->before[lead + i] = lo;
    d->after[lead + i] = hi;
  }
  if (input->type == DataType::kInt8) {
    if (constant == nullptr) {
      const int32_t zp = output->quant.zero_point;
      TV_CHECK_OR_RETURN(zp >= -128 && zp <= 127, "output '%s' zero point %d is outside int8",
                         output->name, zp);
      d->default_pad = static_cast<uint8_t>(static_cast<int8_t>(zp));
    } else {
      // TFLM compares the raw params (0 / 0.0 when unquantized) with exact equality.
      TV_CHECK_OR_RETURN(constant->quant.zero_point == output->quant.zero_point &&
                             constant->quant.scale == output->quant.scale,
                         "constant_values '%s' (scale %g, zero point %d) must have the output's "
                         "scale %g and zero point %d",
                         constant->name, static_cast<double>(constant->quant.scale),
                         constant->quant.zero_point, static_cast<double>(output->quant.scale),
                         output->quant.zero_point);
    }
  }
  // int16, int32 and float32 pad with 0 (all-zero bits) even when the output has a zero point.
  return Status::Ok();
}

template <typename T>
void PadRows(const PadData& d, const T* in, T pad, T* out) {
  const int32_t* o = d.out_dims;
  const int32_t depth = o[4];
  const int32_t inner_lo = d.before[4];
  const int32_t inner_n = depth - d.before[4] - d.after[4];
  for (int32_t b = 0; b < o[0]; ++b) {
    const bool pb = b < d.before[0] || b >= o[0] - d.after[0];
    for (int32_t p = 0; p < o[1]; ++p) {
      const bool pp = pb || p < d.before[1] || p >= o[1] - d.after[1];
      for (int32_t h = 0; h < o[2]; ++h) {
        const bool ph = pp || h < d.before[2] || h >= o[2] - d.after[2];
        for (int32_t w = 0; w < o[3]; ++w) {
          const bool pw = ph || w < d.before[3] || w >= o[3] - d.after[3];
          if (pw) {
            for (int32_t c = 0; c < depth; ++c) *out++ = pad;
            continue;
          }
          for (int32_t c = 0; c < inner_lo; ++c) *out++ = pad;
          for (int32_t c = 0; c < inner_n; ++c) *out++ = *in++;
          for (int32_t c = inner_lo + inner_n; c < depth; ++c) *out++ = pad;
        }
      }
    }
  }
}

inline Status PadEval(KernelContext& ctx) {
  const PadData& d = *ctx.op_data<PadData>();
  const Tensor* input = ctx.input(0);
  const Tensor* constant = ctx.num_inputs() == 3 ? ctx.input(2) : nullptr;
  Tensor* output = ctx.output(0);
  uint32_t pad_bits = d.default_pad;
  if (constant != nullptr) std::memcpy(&pad_bits, constant->data, d.elem);  // little-endian
  switch (d.elem) {
    case 1:
      PadRows<uint8_t>(d, input->As<uint8_t>(), static_cast<uint8_t>(pad_bits),
                       output->As<uint8_t>());
      break;
    case 2:
      PadRows<uint16_t>(d, input->As<uint16_t>(), static_cast<uint16_t>(pad_bits),
                        output->As<uint16_t>());
      break;
    case 4:
      PadRows<uint32_t>(d, input->As<uint32_t>(), pad_bits, output->As<uint32_t>());
      break;
    default:
      return Status::Error("unsupported element size %zu", d.elem);
  }
  return Status::Ok();
}

}  // namespace pad
}  // namespace kernels
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_PAD_COMMON_H_
