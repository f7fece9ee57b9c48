// CONV_2D: not implemented yet — Prepare refuses the op with a clear message.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  return Status::Error("operator CONV_2D is not implemented yet");
}

Status Eval(KernelContext& ctx) { return Status::Error("operator CONV_2D is not implemented yet"); }

}  // namespace

const KernelRegistration kConvRegistration = {op::kConv2D, 1, 8, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
