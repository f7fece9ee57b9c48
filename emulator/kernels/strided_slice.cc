// STRIDED_SLICE: float32, int8, int16, int32, bool; pure copy (tflm-int8-arithmetic.md §14).
//
// TFLM behaviour reproduced (strided_slice_common.cc, strided_slice_logic.h,
// reference/strided_slice.h): input rank ≤ 4; begin/end/strides are constant int32 tensors;
// ellipsis_mask, new_axis_mask and offset are ignored (forced to 0/false); the output shape
// is checked with StartForAxis/StopForAxis and a float ceil, while Eval pads to 5-D and
// walks StridedSliceStartForAxis/StridedSliceEndForAxis. Where those two disagree (a shrunk
// axis whose begin is out of range, an empty axis) TFLM would leave output elements
// unwritten; the emulator refuses such models instead.
#include <climits>
#include <cmath>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

constexpr int kMaxRank = 4;
constexpr int kEvalDims = 5;

struct OpData {
  int64_t start[kEvalDims] = {};
  int64_t stride[kEvalDims] = {};
  int64_t count[kEvalDims] = {};
  int64_t in_stride[kEvalDims] = {};  // element strides of the 5-D extended input
  size_t elem = 0;
};

int32_t Clamp(int32_t v, int32_t lo, int32_t hi) { return v > hi ? hi : (v < lo ? lo : v); }

bool Bit(int32_t mask, int axis) { return (mask >> axis) & 1; }

// strided_slice_logic.h StartForAxis / StopForAxis (used by TFLM's output-size check).
int32_t PrepareStart(int32_t n, int32_t begin, int32_t stride, bool begin_mask) {
  if (n == 0) return 0;
  int32_t start = begin;
  if (begin_mask) start = stride > 0 ? INT_MIN : INT_MAX;
  if (start < 0) start += n;
  return stride > 0 ? Clamp(start, 0, n) : Clamp(start, -1, n - 1);
}

int32_t PrepareStop(int32_t n, int32_t end, int32_t stride, bool end_mask, bool shrink,
                    int32_t start) {
  if (n == 0) return 0;
  if (shrink) return start + 1;
  int32_t stop = end;
  if (end_mask) stop = stride > 0 ? INT_MAX : INT_MIN;
  if (stop < 0) stop += n;
  return stride > 0 ? Clamp(stop, 0, n) : Clamp(stop, -1, n - 1);
}

// strided_slice_logic.h StridedSliceStartForAxis / StridedSliceEndForAxis (used by Eval).
int32_t EvalStart(int32_t n, int32_t begin, int32_t stride, bool begin_mask) {
  int32_t start = begin;
  if (start < 0) start += n;
  start = stride > 0 ? Clamp(start, 0, n) : Clamp(start, -1, n - 1);
  if (begin_mask) start = stride > 0 ? 0 : n - 1;
  return start;
}

int32_t EvalEnd(int32_t n, int32_t end, int32_t stride, bool end_mask, bool shrink, int32_t start) {
  if (shrink) return start >= n ? start : start + 1;
  if (end < 0) end += n;
  end = stride > 0 ? Clamp(end, 0, n) : Clamp(end, -1, n - 1);
  if (end_mask) end = stride > 0 ? n : -1;
  return end;
}

// Number of indices start, start+stride, ... strictly before `end` in the stride direction.
int64_t IterCount(int64_t start, int64_t end, int64_t stride) {
  const int64_t span = stride > 0 ? end - start : start - end;
  const int64_t step = stride > 0 ? stride : -stride;
  return span <= 0 ? 0 : (span + step - 1) / step;
}

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 4 && ctx.num_outputs() == 1,
                     "expects 4 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor *input = nullptr, *begin_t = nullptr, *end_t = nullptr, *strides_t = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "begin", &begin_t));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 2, "end", &end_t));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 3, "strides", &strides_t));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  const DataType t = input->type;
  TV_CHECK_OR_RETURN(t == DataType::kFloat32 || t == DataType::kInt8 || t == DataType::kInt16 ||
                         t == DataType::kInt32 || t == DataType::kBool,
                     "input '%s' has type %s; expected float32, int8, int16, int32 or bool",
                     input->name, DataTypeName(t));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *output));
  const int rank = input->shape.rank;
  TV_CHECK_OR_RETURN(rank <= kMaxRank, "input '%s' has rank %d; TFLM supports at most %d",
                     input->name, rank, kMaxRank);
  const int32_t *begin = nullptr, *end = nullptr, *strides = nullptr;
  int64_t nb = 0, ne = 0, ns = 0;
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*begin_t, "begin", &begin, &nb));
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*end_t, "end", &end, &ne));
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*strides_t, "strides", &strides, &ns));
  TV_CHECK_OR_RETURN(nb >= rank && ne >= rank && ns >= rank,
                     "begin/end/strides hold %lld/%lld/%lld values; input '%s' has rank %d",
                     static_cast<long long>(nb), static_cast<long long>(ne),
                     static_cast<long long>(ns), input->name, rank);
  const auto opts = OptionsOrZero<tflite::StridedSliceOptionsT>(
      ctx.op()->builtin_options_as_StridedSliceOptions());

  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->elem = DataTypeSize(t);
  Shape expected;
  const int lead = kEvalDims - rank;
  for (int i = 0; i < lead; ++i) {  // padded axes: the whole size-1 axis
    d->start[i] = 0;
    d->stride[i] = 1;
    d->count[i] = 1;
  }
  for (int i = 0; i < rank; ++i) {
    const int32_t n = input->shape.dims[i];
    const int32_t s = strides[i];
    TV_CHECK_OR_RETURN(s != 0, "stride for axis %d is 0", i);
    const bool bm = Bit(opts.begin_mask, i), em = Bit(opts.end_mask, i);
    const bool shrink = Bit(opts.shrink_axis_mask, i);
    // Output size as TFLM's Prepare computes it.
    const int32_t pb = PrepareStart(n, begin[i], s, bm);
    int32_t pe = PrepareStop(n, end[i], s, em, shrink, pb);
    if (shrink) pe = pb + 1;
    int32_t dim =
        static_cast<int32_t>(std::ceil(static_cast<float>(pe - pb) / static_cast<float>(s)));
    if (dim < 0) dim = 0;
    // What TFLM's Eval actually iterates.
    const int32_t eb = EvalStart(n, begin[i], s, bm);
    const int32_t ee = EvalEnd(n, end[i], s, em, shrink, eb);
    const int64_t iters = IterCount(eb, ee, s);
    TV_CHECK_OR_RETURN(iters == (shrink ? 1 : dim),
                       "axis %d (size %d, begin %d, end %d, stride %d%s) would produce %lld "
                       "elements in TFLM's Eval but %d in its output shape; refusing a slice "
                       "TFLM would not fill",
                       i, n, begin[i], end[i], s, shrink ? ", shrunk" : "",
                       static_cast<long long>(iters), shrink ? 1 : dim);
    if (!shrink) expected.dims[expected.rank++] = dim;
    d->start[lead + i] = eb;
    d->stride[lead + i] = s;
    d->count[lead + i] = iters;
  }
  TV_RETURN_IF_ERROR(copy::RequireShape(*output, expected));
  int64_t st = 1;
  for (int i = kEvalDims - 1; i >= 0; --i) {
    d->in_stride[i] = st;
    st *= i >= lead ? input->shape.dims[i - lead] : 1;
  }
  return Status::Ok();
}

template <typename T>
void Slice(const OpData& d, const T* in, T* out) {
  const int64_t* c = d.count;
  for (int64_t i0 = 0; i0 < c[0]; ++i0) {
    const int64_t o0 = (d.start[0] + i0 * d.stride[0]) * d.in_stride[0];
    for (int64_t i1 = 0; i1 < c[1]; ++i1) {
      const int64_t o1 = o0 + (d.start[1] + i1 * d.stride[1]) * d.in_stride[1];
      for (int64_t i2 = 0; i2 < c[2]; ++i2) {
        const int64_t o2 = o1 + (d.start[2] + i2 * d.stride[2]) * d.in_stride[2];
        for (int64_t i3 = 0; i3 < c[3]; ++i3) {
          const T* row = in + o2 + (d.start[3] + i3 * d.stride[3]) * d.in_stride[3] + d.start[4];
          for (int64_t i4 = 0; i4 < c[4]; ++i4) *out++ = row[i4 * d.stride[4]];
        }
      }
    }
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const uint8_t* in = ctx.input(0)->data;
  Tensor* output = ctx.output(0);
  if (output->bytes == 0) return Status::Ok();  // some axis is empty: nothing to copy
  uint8_t* out = output->data;
  switch (d.elem) {
    case 1:
      Slice(d, in, out);
      break;
    case 2:
      Slice(d, reinterpret_cast<const uint16_t*>(in), reinterpret_cast<uint16_t*>(out));
      break;
    case 4:
      Slice(d, reinterpret_cast<const uint32_t*>(in), reinterpret_cast<uint32_t*>(out));
      break;
    default:
      return Status::Error("unsupported element size %zu", d.elem);
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kStridedSliceRegistration = {op::kStridedSlice, 1,    8,
                                                      Prepare,           Eval, nullptr};

}  // namespace kernels
}  // namespace tv
