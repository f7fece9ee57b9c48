#include "compress/onnx_fold.h"

#include <algorithm>
#include <cstring>

#include "compress/onnx_helpers.h"
#include "reference/tensor_proto.h"

namespace tv {
namespace compress {

namespace {

constexpr int64_t kMaxFoldedBytes = int64_t{1} << 30;

const ref::Tensor* Find(const std::map<std::string, ref::Tensor>& consts, const std::string& n) {
  auto it = consts.find(n);
  return it == consts.end() ? nullptr : &it->second;
}

// The node's axes: the attribute (older opsets) or a constant second input (newer ones).
Status Axes(const onnx::NodeProto& node, const std::map<std::string, ref::Tensor>& consts,
            const std::string& label, std::vector<int64_t>* axes) {
  *axes = AttrInts(node, "axes");
  if (node.input_size() > 1 && !node.input(1).empty()) {
    const ref::Tensor* t = Find(consts, node.input(1));
    TV_CHECK_OR_RETURN(t != nullptr, "%s: axes must be a constant", label.c_str());
    TV_RETURN_IF_ERROR(ToInts(*t, label + ": axes", axes));
  }
  return Status::Ok();
}

// ONNX Reshape semantics: 0 copies the input's dimension, -1 takes what is left.
Status ReshapeTo(const std::vector<int64_t>& in, std::vector<int64_t> spec,
                 const std::string& label, std::vector<int64_t>* out) {
  int64_t elements = 1, known = 1;
  for (int64_t d : in) elements *= d;
  int infer = -1;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] == 0) {
      TV_CHECK_OR_RETURN(i < in.size(), "%s: shape copies dimension %zu of a rank-%zu input",
                         label.c_str(), i, in.size());
      spec[i] = in[i];
    }
    if (spec[i] == -1) {
      TV_CHECK_OR_RETURN(infer < 0, "%s: more than one -1 in the new shape", label.c_str());
      infer = static_cast<int>(i);
      continue;
    }
    TV_CHECK_OR_RETURN(spec[i] > 0 && spec[i] <= elements, "%s: bad dimension %lld", label.c_str(),
                       static_cast<long long>(spec[i]));
    known *= spec[i];
  }
  if (infer >= 0) {
    TV_CHECK_OR_RETURN(known > 0 && elements % known == 0, "%s: cannot infer the -1 dimension",
                       label.c_str());
    spec[static_cast<size_t>(infer)] = elements / known;
    known = elements;
  }
  TV_CHECK_OR_RETURN(known == elements, "%s: %lld elements cannot be reshaped to %lld",
                     label.c_str(), static_cast<long long>(elements),
                     static_cast<long long>(known));
  *out = std::move(spec);
  return Status::Ok();
}

// Output shape of a shape-only op on a constant; false when `op` is not one.
Status FoldedShape(const onnx::NodeProto& node, const ref::Tensor& in,
                   const std::map<std::string, ref::Tensor>& consts, const std::string& label,
                   std::vector<int64_t>* shape) {
  const std::string& op = node.op_type();
  const int64_t rank = static_cast<int64_t>(in.shape.size());
  if (op == "Identity" || op == "Dropout") {
    *shape = in.shape;
  } else if (op == "Reshape") {
    std::vector<int64_t> spec = AttrInts(node, "shape");  // opset < 5
    if (node.input_size() > 1) {
      const ref::Tensor* s = Find(consts, node.input(1));
      TV_CHECK_OR_RETURN(s != nullptr, "%s: the new shape must be a constant", label.c_str());
      TV_RETURN_IF_ERROR(ToInts(*s, label + ": shape", &spec));
    }
    TV_RETURN_IF_ERROR(ReshapeTo(in.shape, spec, label, shape));
  } else if (op == "Flatten") {
    int64_t axis = AttrInt(node, "axis", 1);
    if (axis < 0) axis += rank;
    TV_CHECK_OR_RETURN(axis >= 0 && axis <= rank, "%s: axis out of range", label.c_str());
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d) (d < axis ? outer : inner) *= in.shape[d];
    *shape = {outer, inner};
  } else if (op == "Squeeze" || op == "Unsqueeze") {
    std::vector<int64_t> axes;
    TV_RETURN_IF_ERROR(Axes(node, consts, label, &axes));
    const int64_t out_rank = op == "Squeeze" ? rank : rank + static_cast<int64_t>(axes.size());
    for (int64_t& a : axes) {
      if (a < 0) a += out_rank;
      TV_CHECK_OR_RETURN(a >= 0 && a < out_rank, "%s: axis out of range", label.c_str());
    }
    shape->clear();
    if (op == "Squeeze") {
      for (int64_t d = 0; d < rank; ++d) {
        const bool listed = std::find(axes.begin(), axes.end(), d) != axes.end();
        if ((axes.empty() && in.shape[d] == 1) || (listed && in.shape[d] == 1)) continue;
        TV_CHECK_OR_RETURN(!listed, "%s: squeezed dimension %lld is not 1", label.c_str(),
                           static_cast<long long>(d));
        shape->push_back(in.shape[d]);
      }
    } else {
      size_t next = 0;
      for (int64_t d = 0; d < out_rank; ++d) {
        const bool listed = std::find(axes.begin(), axes.end(), d) != axes.end();
        TV_CHECK_OR_RETURN(listed || next < in.shape.size(), "%s: bad axes", label.c_str());
        shape->push_back(listed ? 1 : in.shape[next++]);
      }
    }
  }
  return Status::Ok();
}

bool IsShapeOnly(const std::string& op) {
  return op == "Identity" || op == "Dropout" || op == "Reshape" || op == "Flatten" ||
         op == "Squeeze" || op == "Unsqueeze";
}

}  // namespace

Status FoldConstants(const onnx::ModelProto& model, std::map<std::string, ref::Tensor>* consts,
                     std::vector<bool>* folded) {
  const auto& graph = model.graph();
  folded->assign(static_cast<size_t>(graph.node_size()), false);
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto& node = graph.node(i);
    const std::string& op = node.op_type();
    const std::string label = NodeLabel(node, i);
    if (node.output_size() < 1 || node.output(0).empty()) continue;
    if (op == "ConstantOfShape") {
      const ref::Tensor* s = node.input_size() > 0 ? Find(*consts, node.input(0)) : nullptr;
      if (s == nullptr) continue;
      ref::Tensor t;
      std::vector<int64_t> shape;
      TV_RETURN_IF_ERROR(ToInts(*s, label + ": shape", &shape));
      const auto* value = FindAttr(node, "value");
      if (value != nullptr && value->has_t()) {
        TV_RETURN_IF_ERROR(
            ref::DecodeTensorProto(value->t(), "", kMaxFoldedBytes, &t).Prefixed(label.c_str()));
        TV_CHECK_OR_RETURN(t.NumElements() == 1, "%s: value must hold one element", label.c_str());
      } else {
        t.dtype = DataType::kFloat32;
        t.bytes.assign(4, 0);
      }
      int64_t n = 1;
      for (int64_t d : shape) {
        TV_CHECK_OR_RETURN(d >= 0 && (d == 0 || n <= kMaxFoldedBytes / d), "%s: shape too large",
                           label.c_str());
        n *= d;
      }
      const size_t size = DataTypeSize(t.dtype);
      TV_CHECK_OR_RETURN(n <= kMaxFoldedBytes / static_cast<int64_t>(size), "%s: shape too large",
                         label.c_str());
      const std::vector<uint8_t> one = t.bytes;
      t.shape = shape;
      t.bytes.resize(static_cast<size_t>(n) * size);
      for (int64_t k = 0; k < n; ++k) std::memcpy(t.bytes.data() + k * size, one.data(), size);
      (*consts)[node.output(0)] = std::move(t);
      (*folded)[static_cast<size_t>(i)] = true;
      continue;
    }
    if (!IsShapeOnly(op) || node.input_size() < 1) continue;
    const ref::Tensor* in = Find(*consts, node.input(0));
    if (in == nullptr) continue;
    ref::Tensor t;
    TV_RETURN_IF_ERROR(FoldedShape(node, *in, *consts, label, &t.shape));
    t.dtype = in->dtype;
    t.bytes = in->bytes;
    (*consts)[node.output(0)] = std::move(t);
    (*folded)[static_cast<size_t>(i)] = true;
  }
  return Status::Ok();
}

}  // namespace compress
}  // namespace tv
