// TRANSPOSE: float32, int8, int16 (the types TFLM's transpose.cc handles); pure copy
// (tflm-int8-arithmetic.md §14). TFLM rules (transpose_common.cc): input rank 1..5, output
// type = input type, perm a constant 1-D int32 tensor of length rank with entries in
// [0, rank). The emulator also refuses repeated perm entries and an output shape other than
// the permuted input shape (TFLM does not check either and would read out of bounds).
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

constexpr int kMaxRank = 5;

struct OpData {
  int rank = 0;
  int32_t out_dims[kMaxRank] = {};
  int64_t in_stride[kMaxRank] = {};  // input element stride for each OUTPUT axis
  size_t elem = 0;
};

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 2 && ctx.num_outputs() == 1,
                     "expects 2 inputs and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor *input = nullptr, *perm_t = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 1, "perm", &perm_t));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_CHECK_OR_RETURN(input->type == DataType::kFloat32 || input->type == DataType::kInt8 ||
                         input->type == DataType::kInt16,
                     "input '%s' has type %s; expected float32, int8 or int16", input->name,
                     DataTypeName(input->type));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *output));
  const int rank = input->shape.rank;
  TV_CHECK_OR_RETURN(rank >= 1 && rank <= kMaxRank, "input '%s' has rank %d; expected 1 to %d",
                     input->name, rank, kMaxRank);
  const int32_t* perm = nullptr;
  int64_t n = 0;
  TV_RETURN_IF_ERROR(copy::ConstantInt32(*perm_t, "perm", &perm, &n));
  TV_CHECK_OR_RETURN(perm_t->shape.rank == 1 && n == rank, "perm '%s' must be 1-D with %d entries",
                     perm_t->name, rank);
  OpData* d = nullptr;
  TV_RETURN_IF_ERROR(ctx.AllocateOpData(&d));
  d->rank = rank;
  d->elem = DataTypeSize(input->type);
  int64_t stride[kMaxRank];
  int64_t s = 1;
  for (int i = rank - 1; i >= 0; --i) {
    stride[i] = s;
    s *= input->shape.dims[i];
  }
  bool used[kMaxRank] = {};
  Shape expected;
  expected.rank = rank;
  for (int i = 0; i < rank; ++i) {
    const int32_t p = perm[i];
    TV_CHECK_OR_RETURN(p >= 0 && p < rank && !used[p],
                       "perm '%s' is not a permutation of 0..%d (entry %d is %d)", perm_t->name,
                       rank - 1, i, p);
    used[p] = true;
    expected.dims[i] = input->shape.dims[p];
    d->out_dims[i] = input->shape.dims[p];
    d->in_stride[i] = stride[p];
  }
  return copy::RequireShape(*output, expected);
}

// Walks the output in row-major order, keeping one input offset per output axis.
template <typename T>
void Permute(const OpData& d, const T* in, T* out) {
  int32_t idx[kMaxRank] = {};
  int64_t off[kMaxRank + 1] = {};  // off[k] = input offset of idx[0..k-1]
  const int last = d.rank - 1;
  const int32_t n_last = d.out_dims[last];
  const int64_t s_last = d.in_stride[last];
  for (int k = 0; k < last; ++k) {
    if (d.out_dims[k] == 0) return;
  }
  while (true) {
    const T* row = in + off[last];
    for (int32_t i = 0; i < n_last; ++i) *out++ = row[i * s_last];
    int k = last - 1;
    while (k >= 0 && ++idx[k] == d.out_dims[k]) idx[k--] = 0;
    if (k < 0) return;
    off[k + 1] = off[k] + idx[k] * d.in_stride[k];
    for (int j = k + 1; j < last; ++j) off[j + 1] = off[j];
  }
}

Status Eval(KernelContext& ctx) {
  const OpData& d = *ctx.op_data<OpData>();
  const uint8_t* in = ctx.input(0)->data;
  uint8_t* out = ctx.output(0)->data;
  switch (d.elem) {
    case 1:
      Permute(d, in, out);
      break;
    case 2:
      Permute(d, reinterpret_cast<const uint16_t*>(in), reinterpret_cast<uint16_t*>(out));
      break;
    case 4:
      Permute(d, reinterpret_cast<const uint32_t*>(in), reinterpret_cast<uint32_t*>(out));
      break;
    default:
      return Status::Error("unsupported element size %zu", d.elem);
  }
  return Status::Ok();
}

}  // namespace

const KernelRegistration kTransposeRegistration = {op::kTranspose, 1, 6, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
