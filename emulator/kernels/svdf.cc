// SVDF: not implemented yet — Prepare refuses the op with a clear message.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

Status Prepare(KernelContext& ctx) {
  return Status::Error("operator SVDF is not implemented yet");
}

Status Eval(KernelContext& ctx) { return Status::Error("operator SVDF is not implemented yet"); }

}  // namespace

const KernelRegistration kSvdfRegistration = {op::kSvdf, 1, 4, Prepare, Eval, nullptr};

}  // namespace kernels
}  // namespace tv
