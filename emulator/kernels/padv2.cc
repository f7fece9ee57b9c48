// PADV2: not implemented yet — Prepare refuses the op with a clear message.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  return Status::Error("operator PADV2 is not implemented yet");
}

Status Eval(KernelContext& ctx) { return Status::Error("operator PADV2 is not implemented yet"); }

}  // namespace

const KernelRegistration kPadv2Registration = {op::kPadV2, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
