// LOGISTIC (sigmoid): float32, int8 (gemmlowp fixed point on Q4.27) and int16 (interpolated
// sigmoid table). Arithmetic: tflm-int8-arithmetic.md §9, §11. Checks and loops shared with
// TANH (sigmoid_common.h).
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
  return PrepareSigmoidLike(ctx, {"LOGISTIC", /*int8_output_zero_point_is_min=*/true,
                                  /*int16_max_pot_shift=*/0});
}

int8_t LogisticInt8(const SigmoidLikeOpData& d, int8_t x) {
  const int32_t diff = static_cast<int32_t>(x) - d.input_zero_point;
  if (diff <= -d.radius) return -128;
  if (diff >= d.radius) return 127;
  const int32_t in_q4 = qm::MBQM(diff, d.multiplier, d.shift);
  const int32_t out_q0 = fp::LogisticQ4(in_q4);
  // Q0 -> 1/256 steps, then the output zero point -128.
  return static_cast<int8_t>(qm::Clamp(qm::RDBPOT(out_q0, 23) - 128, -128, 127));
}

}  // namespace

const KernelRegistration kLogisticRegistration = {
    op::kLogistic, 1, 3, Prepare, EvalSigmoidLike<LogisticFloat, LogisticInt8, lut::LogisticInt16>,
    nullptr};

}  // namespace kernels
}  // namespace tv
