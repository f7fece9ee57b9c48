// TANH: float32, int8 (gemmlowp fixed point on Q4.27) and int16 (interpolated sigmoid table,
// tanh(x) = 2 sigmoid(2x) - 1). Arithmetic: tflm-int8-arithmetic.md §9, §11. Checks and loops
// shared with LOGISTIC (sigmoid_common.h).
#include <cmath>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/fixedpoint.h"
#include "emulator/kernels/kernel_util.h"
#include "emulator/kernels/lut_common.h"
#include "emulator/kernels/registrations.h"
#include "emulator/kernels/sigmoid_common.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  // TFLM checks nothing about the int8 output: zero point 0 and scale 1/128 are assumed.
  return PrepareSigmoidLike(ctx, {"TANH", /*int8_output_zero_point_is_min=*/false,
                                  /*int16_max_pot_shift=*/1});
}

float TanhFloat(float x) { return std::tanh(x); }

int8_t TanhInt8(const SigmoidLikeOpData& d, int8_t x) {
  const int32_t diff = static_cast<int32_t>(x) - d.input_zero_point;
  if (diff <= -d.radius) return -128;
  if (diff >= d.radius) return 127;
  const int32_t in_q4 = qm::MBQM(diff, d.multiplier, d.shift);
  const int32_t out_q0 = fp::TanhQ4(in_q4);
  // Q0 -> 1/128 steps; no output offset.
  return static_cast<int8_t>(qm::Clamp(qm::RDBPOT(out_q0, 24), -128, 127));
}

}  // namespace

const KernelRegistration kTanhRegistration = {
    op::kTanh, 1, 3, Prepare, EvalSigmoidLike<TanhFloat, TanhInt8, lut::TanhInt16>, nullptr};

}  // namespace kernels
}  // namespace tv
