#include "reference/shape_util.h"

namespace tv {
namespace ref {

std::string ShapeToString(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += shape[i] < 0 ? "?" : std::to_string(shape[i]);
  }
  return s + "]";
}

Status BroadcastShapes(const Shape& a, const Shape& b, Shape* out) {
  const size_t rank = a.size() > b.size() ? a.size() : b.size();
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1) {
      result[i] = da;
    } else if (da == 1) {
      result[i] = db;
    } else {
      return Status::Error("shapes %s and %s cannot be broadcast", ShapeToString(a).c_str(),
                           ShapeToString(b).c_str());
    }
  }
  *out = std::move(result);
  return Status::Ok();
}

Status NormalizeAxis(int64_t axis, int64_t rank, int64_t* out) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    return Status::Error("axis %lld is out of range for rank %lld", static_cast<long long>(axis),
                         static_cast<long long>(rank));
  }
  *out = a;
  return Status::Ok();
}

std::vector<int64_t> BroadcastStrides(const Shape& shape, const Shape& out_shape) {
  const size_t rank = out_shape.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    const size_t src = shape.size() - 1 - k;
    const size_t dst = rank - 1 - k;
    strides[dst] = (shape[src] == 1 && out_shape[dst] != 1) ? 0 : stride;
    stride *= shape[src];
  }
  return strides;
}

}  // namespace ref
}  // namespace tv
