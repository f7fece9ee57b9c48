// MINIMUM: not implemented yet — Prepare refuses the op with a clear message.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  return Status::Error("operator MINIMUM is not implemented yet");
}

Status Eval(KernelContext& ctx) { return Status::Error("operator MINIMUM is not implemented yet"); }

}  // namespace

const KernelRegistration kMinimumRegistration = {op::kMinimum, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
