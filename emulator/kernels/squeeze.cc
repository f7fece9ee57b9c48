// SQUEEZE: not implemented yet — Prepare refuses the op with a clear message.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  return Status::Error("operator SQUEEZE is not implemented yet");
}

Status Eval(KernelContext& ctx) { return Status::Error("operator SQUEEZE is not implemented yet"); }

}  // namespace

const KernelRegistration kSqueezeRegistration = {op::kSqueeze, 1, 2, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
