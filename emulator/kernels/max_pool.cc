// MAX_POOL_2D: float32, int8, int16. No requantization: the maximum over the clipped window,
// then the fused-activation clamp (tflm-int8-arithmetic.md §7).
#include <limits>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/pooling_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

using pool::PoolData;
using pool::Window;

// T = int8_t / int16_t (act range as int32) or float.
template <typename T, typename Bound>
void EvalMax(const PoolData& d, const T* in, T* out, Bound lo, Bound hi) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const Window w = pool::WindowAt(d, oy, ox);
        T* op = out + ((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.channels;
        for (int32_t c = 0; c < d.channels; ++c) {
          // TFLM starts at the type's lowest value and keeps std::max(max, v); a NaN input
          // never replaces the running maximum.
          T max = std::numeric_limits<T>::lowest();
          for (int32_t ky = w.ky0; ky < w.ky1; ++ky) {
            const T* row = in + ((int64_t{b} * d.in_h + w.iy0 + ky) * d.in_w + w.ix0) * d.channels;
            for (int32_t kx = w.kx0; kx < w.kx1; ++kx) {
              const T v = row[int64_t{kx} * d.channels + c];
              if (max < v) max = v;
            }
          }
          // std::max(max, lo) then std::min(·, hi), as TFLM applies the activation.
          Bound m = static_cast<Bound>(max);
          if (m < lo) m = lo;
          if (hi < m) m = hi;
          op[c] = static_cast<T>(m);
        }
      }
    }
  }
}

Status Eval(KernelContext& ctx) {
  const PoolData& d = *ctx.op_data<PoolData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32:
      EvalMax<float, float>(d, input->As<float>(), output->As<float>(), d.f_min, d.f_max);
      return Status::Ok();
    case DataType::kInt8:
      EvalMax<int8_t, int32_t>(d, input->As<int8_t>(), output->As<int8_t>(), d.act_min, d.act_max);
      return Status::Ok();
    case DataType::kInt16:
      EvalMax<int16_t, int32_t>(d, input->As<int16_t>(), output->As<int16_t>(), d.act_min,
                                d.act_max);
      return Status::Ok();
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kMaxPoolRegistration = {op::kMaxPool2D, 1,    3,
                                                 pool::Prepare,  Eval, nullptr};

}  // namespace kernels
}  // namespace tv
