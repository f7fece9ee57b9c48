// SQUEEZE: byte copy of any element type (tflm-int8-arithmetic.md §14). Validation follows
// TFLM squeeze.cc: at most 8 input dims; listed squeeze_dims (negative += rank) must name
// size-1 dims, an empty list squeezes every size-1 dim; the kept dims must fit the output's
// stored shape and the byte sizes must agree.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/copy_common.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

constexpr int kMaxSqueezeDims = 8;

Status Prepare(KernelContext& ctx) {
  TV_CHECK_OR_RETURN(ctx.num_inputs() == 1 && ctx.num_outputs() == 1,
                     "expects 1 input and 1 output, got %d and %d", ctx.num_inputs(),
                     ctx.num_outputs());
  const Tensor* input = nullptr;
  Tensor* output = nullptr;
  TV_RETURN_IF_ERROR(copy::RequireInput(ctx, 0, "input", &input));
  TV_RETURN_IF_ERROR(copy::RequireOutput(ctx, 0, &output));
  TV_RETURN_IF_ERROR(copy::RequireSameType(*input, *output));
  const int rank = input->shape.rank;
  TV_CHECK_OR_RETURN(rank <= kMaxSqueezeDims, "input '%s' has rank %d; at most %d supported",
                     input->name, rank, kMaxSqueezeDims);

  // Read the list straight from the flatbuffer (absent table or vector = empty list).
  const tflite::SqueezeOptions* opts = ctx.op()->builtin_options_as_SqueezeOptions();
  const flatbuffers::Vector<int32_t>* dims = opts ? opts->squeeze_dims() : nullptr;
  const uint32_t num_dims = dims ? dims->size() : 0;
  TV_CHECK_OR_RETURN(num_dims <= static_cast<uint32_t>(kMaxSqueezeDims),
                     "squeeze_dims lists %u axes; at most %d supported", num_dims, kMaxSqueezeDims);
  bool squeeze[kMaxSqueezeDims] = {};
  if (num_dims == 0) {
    for (int i = 0; i < rank; ++i) squeeze[i] = input->shape.dims[i] == 1;
  } else {
    for (uint32_t k = 0; k < num_dims; ++k) {
      const int32_t d = dims->Get(k);
      const int64_t axis = d < 0 ? int64_t{d} + rank : d;
      TV_CHECK_OR_RETURN(axis >= 0 && axis < rank && input->shape.dims[axis] == 1,
                         "squeeze_dims entry %d does not name a size-1 dimension of input '%s' "
                         "(rank %d)",
                         d, input->name, rank);
      squeeze[axis] = true;
    }
  }
  Shape expected;
  for (int i = 0; i < rank; ++i) {
    if (!squeeze[i]) expected.dims[expected.rank++] = input->shape.dims[i];
  }
  // TFLM only requires each kept dim to fit the stored output dim, plus equal byte sizes.
  char a[96], b[96];
  bool fits = expected.rank <= output->shape.rank;
  for (int i = 0; fits && i < expected.rank; ++i) fits = output->shape.dims[i] >= expected.dims[i];
  TV_CHECK_OR_RETURN(fits && output->bytes == input->bytes, "output '%s' has shape %s, expected %s",
                     output->name, copy::ShapeStr(output->shape, a, sizeof(a)),
                     copy::ShapeStr(expected, b, sizeof(b)));
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (input->data != output->data) copy::CopyElements(output->data, input->data, 1, output->bytes);
  return Status::Ok();
}

}  // namespace

const KernelRegistration kSqueezeRegistration = {op::kSqueeze, 1, 2, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
