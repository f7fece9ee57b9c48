// PAD: shares the PAD/PADV2 kernel in pad_common.h (TFLM registers one implementation for
// both; the pad value comes from the optional third input).
#include "emulator/builtin_ops.h"
#include "emulator/kernels/pad_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {

const KernelRegistration kPadRegistration = {op::kPad,     1,      4, pad::PadPrepare,
                                             pad::PadEval, nullptr};

}  // namespace kernels
}  // namespace tv
