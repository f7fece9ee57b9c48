// MAXIMUM: `a > b ? a : b` on the raw stored values (see maximum_minimum_common.h).
// With float NaNs the expression's order decides: NaN in b wins, NaN in a loses.
#include "emulator/builtin_ops.h"
#include "emulator/kernels/maximum_minimum_common.h"
#include "emulator/kernels/registrations.h"

namespace tv {
namespace kernels {
namespace {

struct Pick {
  template <typename T>
  T operator()(T a, T b) const {
    return a > b ? a : b;
  }
};

}  // namespace

const KernelRegistration kMaximumRegistration = {
    op::kMaximum, 1, 4, PrepareMaximumMinimum, EvalMaximumMinimum<Pick>, nullptr};

}  // namespace kernels
}  // namespace tv
