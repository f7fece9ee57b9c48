// Conversions between numpy arrays and the library's tensors. Arrays whose dtype and layout
// already match the model are borrowed (TensorView), never copied.
#ifndef TINYVERIFY_BINDINGS_NUMPY_CONVERT_H_
#define TINYVERIFY_BINDINGS_NUMPY_CONVERT_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <vector>

#include "compare/executor.h"
#include "compare/host_tensor.h"

namespace tv {
namespace py_bindings {

// numpy dtype of a tensor type; throws InputError when numpy has none.
pybind11::dtype NumpyDtype(DataType t);
// Tensor type of a numpy dtype (native or little-endian only); false when there is none.
bool DataTypeOf(const pybind11::dtype& d, DataType* out);

// Holds the arrays a run borrows from, so the views stay valid while the GIL is released.
struct BorrowedInputs {
  std::vector<pybind11::array> arrays;
  std::vector<TensorView> views;
};

// Turns the caller's objects into views for `specs`. Arrays with the spec's dtype and C layout
// are borrowed as they are; other array-likes are converted once (counted by CopiesMade()).
// A numpy array of another dtype is converted only float->float; otherwise its own dtype is
// kept and CheckInputs() reports the mismatch with the CLI's message.
void BorrowInputs(const pybind11::args& objects, const std::vector<TensorSpec>& specs,
                  BorrowedInputs* out);

// Number of input conversions made so far (tests check that matching arrays are not copied).
int64_t CopiesMade();

// Moves the tensor's bytes into a new numpy array (no copy).
pybind11::array ToNumpy(HostTensor&& t);

// Tensor shape as a Python tuple.
pybind11::tuple ShapeTuple(const std::vector<int64_t>& shape);

}  // namespace py_bindings
}  // namespace tv

#endif  // TINYVERIFY_BINDINGS_NUMPY_CONVERT_H_
