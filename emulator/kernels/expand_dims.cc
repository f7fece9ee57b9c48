// EXPAND_DIMS: not implemented yet — Prepare refuses the op with a clear message.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  return Status::Error("operator EXPAND_DIMS is not implemented yet");
}

Status Eval(KernelContext& ctx) { return Status::Error("operator EXPAND_DIMS is not implemented yet"); }

}  // namespace

const KernelRegistration kExpandDimsRegistration = {op::kExpandDims, 1, 1, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
