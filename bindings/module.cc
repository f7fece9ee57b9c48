// The compiled part of the `tinyverify` Python package (tinyverify/_core).
#include <pybind11/pybind11.h>

#include "bindings/errors.h"
#include "bindings/model.h"
#include "bindings/numpy_convert.h"

namespace tv {
namespace py_bindings {
void RegisterVerify(pybind11::module_& m);  // verify.cc
}  // namespace py_bindings
}  // namespace tv

PYBIND11_MODULE(_core, m) {
  m.doc() = "tinyverify's C++ core: models, runs and fidelity verification.";
  tv::py_bindings::RegisterErrors(m);
  tv::py_bindings::RegisterModel(m);
  tv::py_bindings::RegisterVerify(m);
  m.def("_input_copies", &tv::py_bindings::CopiesMade,
        "Number of input arrays converted (copied) so far; for tests.");
}
