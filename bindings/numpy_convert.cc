#include "bindings/numpy_convert.h"

#include <atomic>
#include <string>
#include <utility>

#include "bindings/errors.h"
#include "compare/npy.h"

namespace py = pybind11;

namespace tv {
namespace py_bindings {

namespace {

std::atomic<int64_t> g_copies{0};

bool IsFloat(DataType t) {
  return t == DataType::kFloat32 || t == DataType::kFloat64 || t == DataType::kFloat16;
}

}  // namespace

py::dtype NumpyDtype(DataType t) {
  const std::string descr = NpyDescr(t);
  if (descr.empty())
    throw InputError(std::string("tensor type ") + DataTypeName(t) + " has no numpy equivalent");
  return py::dtype(descr);
}

bool DataTypeOf(const py::dtype& d, DataType* out) {
  // Native byte order is little-endian on every host tinyverify supports; '=' means native.
  std::string descr = py::str(d.attr("str"));
  if (!descr.empty() && descr[0] == '=') descr[0] = '<';
  for (int code = 0; code <= static_cast<int>(DataType::kBFloat16); ++code) {
    const DataType t = static_cast<DataType>(code);
    const std::string candidate = NpyDescr(t);
    if (!candidate.empty() && candidate == descr) {
      *out = t;
      return true;
    }
  }
  return false;
}

void BorrowInputs(const py::args& objects, const std::vector<TensorSpec>& specs,
                  BorrowedInputs* out) {
  out->arrays.clear();
  out->views.clear();
  for (size_t i = 0; i < objects.size(); ++i) {
    py::handle obj = objects[i];
    const bool has_spec = i < specs.size();
    bool converted = false;
    py::array arr;
    if (py::isinstance<py::array>(obj)) {
      arr = py::reinterpret_borrow<py::array>(obj);
    } else {
      // Lists, scalars, other buffers: numpy picks the dtype, then the rules below apply.
      arr = py::array::ensure(py::module_::import("numpy").attr("asarray")(obj));
      converted = true;
    }
    if (!arr) throw InputError("input " + std::to_string(i) + ": not convertible to an array");
    DataType have = DataType::kFloat32;
    const bool known = DataTypeOf(arr.dtype(), &have);
    if (has_spec && (!known || have != specs[i].dtype)) {
      const py::dtype want = NumpyDtype(specs[i].dtype);
      // Value-preserving casts only: float precision, or the same type in another byte order.
      const bool float_to_float = known && IsFloat(have) && IsFloat(specs[i].dtype);
      const bool byte_order_only =
          arr.dtype().kind() == want.kind() && arr.dtype().itemsize() == want.itemsize();
      if (float_to_float || byte_order_only) {
        arr = py::array::ensure(arr.attr("astype")(want));
        converted = true;
      } else if (!known) {
        throw InputError("input " + std::to_string(i) + " '" + specs[i].name + "': numpy dtype " +
                         std::string(py::str(arr.dtype())) + " is not supported (expected " +
                         DataTypeName(specs[i].dtype) + ")");
      }
      // Otherwise keep the array's own dtype: CheckInputs() names the mismatch.
    }
    if (!arr) throw InputError("input " + std::to_string(i) + ": not convertible to an array");
    if (!(arr.flags() & py::array::c_style)) {
      arr = py::array::ensure(py::module_::import("numpy").attr("ascontiguousarray")(arr));
      converted = true;
    }
    if (converted) ++g_copies;
    TensorView v;
    DataType t = DataType::kFloat32;
    if (!DataTypeOf(arr.dtype(), &t))
      throw InputError("input " + std::to_string(i) + ": numpy dtype " +
                       std::string(py::str(arr.dtype())) + " is not supported");
    v.dtype = t;
    for (py::ssize_t d = 0; d < arr.ndim(); ++d) v.shape.push_back(arr.shape(d));
    v.data = static_cast<const uint8_t*>(arr.data());
    v.size = static_cast<size_t>(arr.nbytes());
    out->arrays.push_back(arr);
    out->views.push_back(std::move(v));
  }
}

int64_t CopiesMade() { return g_copies.load(); }

py::array ToNumpy(HostTensor&& t) {
  auto* owned = new std::vector<uint8_t>(std::move(t.bytes));
  py::capsule release(owned, [](void* p) { delete static_cast<std::vector<uint8_t>*>(p); });
  const py::dtype dtype = NumpyDtype(t.dtype);
  std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
  return py::array(dtype, shape, owned->data(), release);
}

py::tuple ShapeTuple(const std::vector<int64_t>& shape) {
  py::tuple out(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) out[i] = py::int_(shape[i]);
  return out;
}

}  // namespace py_bindings
}  // namespace tv
