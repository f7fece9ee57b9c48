// AVERAGE_POOL_2D: float32, int8, int16. Padding cells are not counted; the integer average
// rounds half away from zero (tflm-int8-arithmetic.md §7, §17).
#include "emulator/builtin_ops.h"
#include "emulator/kernels/pooling_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

using pool::PoolData;
using pool::Window;

template <typename T>
Status EvalQuantized(const PoolData& d, const T* in, T* out) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const Window w = pool::WindowAt(d, oy, ox);
        const int32_t count = (w.ky1 - w.ky0) * (w.kx1 - w.kx0);
        if (w.ky1 <= w.ky0 || w.kx1 <= w.kx0) {
          return Status::Error("pooling window at (%d, %d) holds no input cell", oy, ox);
        }
        T* op = out + ((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.channels;
        for (int32_t c = 0; c < d.channels; ++c) {
          uint32_t sum = 0;  // TFLM's int32 sum (wrapping; no zero-point subtraction)
          for (int32_t ky = w.ky0; ky < w.ky1; ++ky) {
            const T* row = in + ((int64_t{b} * d.in_h + w.iy0 + ky) * d.in_w + w.ix0) * d.channels;
            for (int32_t kx = w.kx0; kx < w.kx1; ++kx) {
              sum += static_cast<uint32_t>(static_cast<int32_t>(row[int64_t{kx} * d.channels + c]));
            }
          }
          const int64_t acc = static_cast<int32_t>(sum);
          // Integer n/2 and C truncating division: round half away from zero.
          const int32_t avg =
              static_cast<int32_t>(acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count);
          op[c] = static_cast<T>(qm::Clamp(avg, d.act_min, d.act_max));
        }
      }
    }
  }
  return Status::Ok();
}

Status EvalFloat(const PoolData& d, const float* in, float* out) {
  for (int32_t b = 0; b < d.batches; ++b) {
    for (int32_t oy = 0; oy < d.out_h; ++oy) {
      for (int32_t ox = 0; ox < d.out_w; ++ox) {
        const Window w = pool::WindowAt(d, oy, ox);
        if (w.ky1 <= w.ky0 || w.kx1 <= w.kx0) {
          return Status::Error("pooling window at (%d, %d) holds no input cell", oy, ox);
        }
        float* op = out + ((int64_t{b} * d.out_h + oy) * d.out_w + ox) * d.channels;
        for (int32_t c = 0; c < d.channels; ++c) {
          float total = 0.0f;  // §17: Σ over (ky, kx), then / count
          float count = 0.0f;
          for (int32_t ky = w.ky0; ky < w.ky1; ++ky) {
            const float* row =
                in + ((int64_t{b} * d.in_h + w.iy0 + ky) * d.in_w + w.ix0) * d.channels;
            for (int32_t kx = w.kx0; kx < w.kx1; ++kx) {
              total += row[int64_t{kx} * d.channels + c];
              count += 1.0f;
            }
          }
          op[c] = qm::ClampFloat(total / count, d.f_min, d.f_max);
        }
      }
    }
  }
  return Status::Ok();
}

Status Eval(KernelContext& ctx) {
  const PoolData& d = *ctx.op_data<PoolData>();
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat32:
      return EvalFloat(d, input->As<float>(), output->As<float>());
    case DataType::kInt8:
      return EvalQuantized<int8_t>(d, input->As<int8_t>(), output->As<int8_t>());
    case DataType::kInt16:
      return EvalQuantized<int16_t>(d, input->As<int16_t>(), output->As<int16_t>());
    default:
      return Status::Error("unsupported input type %s", DataTypeName(input->type));
  }
}

}  // namespace

const KernelRegistration kAveragePoolRegistration = {op::kAveragePool2D, 1,    3,
                                                     pool::Prepare,      Eval, nullptr};

}  // namespace kernels
}  // namespace tv
