#include "reference/graph.h"

#include <map>
#include <set>

#include "reference/onnx_proto.h"
#include "reference/tensor_proto.h"

namespace tv {
namespace ref {
namespace {

std::string CanonicalDomain(const std::string& domain) {
  return domain.empty() ? "ai.onnx" : domain;
}

// Reads the element type and shape declared by a ValueInfoProto, if it is a tensor type.
void ReadDeclaredType(const onnx::ValueInfoProto& info, ValueDef* value) {
  if (!info.has_type() || !info.type().has_tensor_type()) return;
  const auto& tensor_type = info.type().tensor_type();
  DataType dtype;
  if (tensor_type.has_elem_type() && DataTypeFromOnnx(tensor_type.elem_type(), &dtype)) {
    value->has_declared_dtype = true;
    value->declared_dtype = dtype;
  }
  if (!tensor_type.has_shape()) return;
  value->has_declared_shape = true;
  value->declared_shape.clear();
  for (const auto& dim : tensor_type.shape().dim()) {
    value->declared_shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0 ? dim.dim_value()
                                                                                : -1);
  }
}

Status DecodeAttribute(const onnx::AttributeProto& attr, const std::string& base_dir,
                       const LoadOptions& options, AttributeValue* out) {
  using A = onnx::AttributeProto;
  // Old exporters leave `type` unset; infer it from the populated field.
  A::AttributeType type = attr.type();
  if (type == A::UNDEFINED) {
    if (attr.has_f())
      type = A::FLOAT;
    else if (attr.has_i())
      type = A::INT;
    else if (attr.has_s())
      type = A::STRING;
    else if (attr.has_t())
      type = A::TENSOR;
    else if (attr.floats_size())
      type = A::FLOATS;
    else if (attr.ints_size())
      type = A::INTS;
    else if (attr.strings_size())
      type = A::STRINGS;
  }
  switch (type) {
    case A::FLOAT:
      out->kind = AttributeValue::kFloat;
      out->f = attr.f();
      break;
    case A::INT:
      out->kind = AttributeValue::kInt;
      out->i = attr.i();
      break;
    case A::STRING:
      out->kind = AttributeValue::kString;
      out->s = attr.s();
      break;
    case A::FLOATS:
      out->kind = AttributeValue::kFloats;
      out->floats.assign(attr.floats().begin(), attr.floats().end());
      break;
    case A::INTS:
      out->kind = AttributeValue::kInts;
      out->ints.assign(attr.ints().begin(), attr.ints().end());
      break;
    case A::STRINGS:
      out->kind = AttributeValue::kStrings;
      out->strings.assign(attr.strings().begin(), attr.strings().end());
      break;
    case A::TENSOR:
      out->kind = AttributeValue::kTensor;
      return DecodeTensorProto(attr.t(), base_dir, options.max_tensor_bytes, &out->tensor)
          .Prefixed(("attribute '" + attr.name() + "'").c_str());
    default:
      out->kind = AttributeValue::kOther;
      break;  // graphs, sparse tensors, type protos
  }
  return Status::Ok();
}

}  // namespace

Status Graph::AddValue(const std::string& name, int* id) {
  auto it = value_ids_.find(name);
  if (it != value_ids_.end()) {
    *id = it->second;
    return Status::Ok();
  }
  *id = static_cast<int>(values.size());
  value_ids_.emplace(name, *id);
  values.emplace_back();
  values.back().name = name;
  return Status::Ok();
}

Status Graph::Build(const onnx::ModelProto& model, const std::string& base_dir,
                    const LoadOptions& options, std::unique_ptr<Graph>* out) {
  auto g = std::make_unique<Graph>();
  g->ir_version = model.ir_version();
  g->producer = model.producer_name();
  if (!model.producer_version().empty()) g->producer += " " + model.producer_version();
  std::map<std::string, int64_t> opset_of;
  for (const auto& op : model.opset_import()) {
    opset_of[CanonicalDomain(op.domain())] = op.version();
    g->opsets.emplace_back(CanonicalDomain(op.domain()), op.version());
  }
  // IR version 1/2 models predate opset_import; they mean ai.onnx opset 1.
  if (!opset_of.count("ai.onnx") && model.opset_import_size() == 0) opset_of["ai.onnx"] = 1;
  if (!model.has_graph()) return Status::Error("model has no graph");
  const onnx::GraphProto& graph = model.graph();

  // Initializers first: they are constants even when (IR < 4) also listed as graph inputs.
  for (const auto& init : graph.initializer()) {
    if (init.name().empty()) return Status::Error("an initializer has no name");
    int id;
    TV_RETURN_IF_ERROR(g->AddValue(init.name(), &id));
    if (g->values[id].initializer >= 0) {
      return Status::Error("initializer '%s' is defined twice", init.name().c_str());
    }
    g->values[id].initializer = static_cast<int>(g->initializers.size());
    g->initializers.emplace_back();
    TV_RETURN_IF_ERROR(
        DecodeTensorProto(init, base_dir, options.max_tensor_bytes, &g->initializers.back()));
  }
  for (const auto& input : graph.input()) {
    int id;
    TV_RETURN_IF_ERROR(g->AddValue(input.name(), &id));
    ValueDef& v = g->values[id];
    if (v.initializer >= 0) continue;
    if (v.graph_input >= 0)
      return Status::Error("graph input '%s' is listed twice", input.name().c_str());
    if (input.name().empty()) return Status::Error("a graph input has no name");
    ReadDeclaredType(input, &v);
    if (!input.has_type() || !input.type().has_tensor_type()) {
      return Status::Error("graph input '%s' is not a tensor", input.name().c_str());
    }
    if (!v.has_declared_dtype) {
      return Status::Error("graph input '%s' has unsupported element type %s", input.name().c_str(),
                           OnnxTypeName(input.type().tensor_type().elem_type()));
    }
    v.graph_input = static_cast<int>(g->inputs.size());
    g->inputs.push_back(id);
    g->input_infos.push_back({v.name, v.declared_dtype, v.declared_shape});
  }
  for (const auto& info : graph.value_info()) {
    auto it = g->value_ids_.find(info.name());
    if (it != g->value_ids_.end() && g->values[it->second].graph_input >= 0) continue;
    int id;
    TV_RETURN_IF_ERROR(g->AddValue(info.name(), &id));
    ReadDeclaredType(info, &g->values[id]);
  }

  // Nodes: every output is defined exactly once.
  g->nodes.resize(graph.node_size());
  for (int n = 0; n < graph.node_size(); ++n) {
    const onnx::NodeProto& proto = graph.node(n);
    NodeDef& node = g->nodes[n];
    node.info.op_type = proto.op_type();
    node.info.domain = CanonicalDomain(proto.domain());
    node.info.name =
        proto.name().empty() ? proto.op_type() + "_" + std::to_string(n) : proto.name();
    auto opset = opset_of.find(node.info.domain);
    if (opset == opset_of.end()) {
      return Status::Error("node '%s' (op %s) uses domain '%s', which the model does not import",
                           node.info.name.c_str(), node.info.op_type.c_str(),
                           node.info.domain.c_str());
    }
    node.info.opset = static_cast<int>(opset->second);
    for (const auto& attr : proto.attribute()) {
      AttributeValue value;
      TV_RETURN_IF_ERROR(DecodeAttribute(attr, base_dir, options, &value)
                             .Prefixed(("node '" + node.info.name + "'").c_str()));
      node.info.attrs.Set(attr.name(), std::move(value));
    }
    for (const auto& name : proto.output()) {
      int id = -1;
      if (!name.empty()) {
        TV_RETURN_IF_ERROR(g->AddValue(name, &id));
        ValueDef& v = g->values[id];
        if (v.producer >= 0 || v.initializer >= 0 || v.graph_input >= 0) {
          return Status::Error("node '%s' (op %s) output '%s' is already defined elsewhere",
                               node.info.name.c_str(), node.info.op_type.c_str(), name.c_str());
        }
        v.producer = n;
      }
      node.outputs.push_back(id);
    }
  }
  for (int n = 0; n < graph.node_size(); ++n) {
    NodeDef& node = g->nodes[n];
    for (const auto& name : graph.node(n).input()) {
      if (name.empty()) {
        node.inputs.push_back(-1);
        continue;
      }
      auto it = g->value_ids_.find(name);
      const ValueDef* v = it == g->value_ids_.end() ? nullptr : &g->values[it->second];
      if (!v || (v->producer < 0 && v->initializer < 0 && v->graph_input < 0)) {
        return Status::Error(
            "node '%s' (op %s) input '%s' is not produced by any node, "
            "initializer or graph input",
            node.info.name.c_str(), node.info.op_type.c_str(), name.c_str());
      }
      node.inputs.push_back(it->second);
    }
  }
  for (const auto& output : graph.output()) {
    auto it = g->value_ids_.find(output.name());
    if (it == g->value_ids_.end()) {
      return Status::Error("graph output '%s' is not produced by any node", output.name().c_str());
    }
    ValueDef& v = g->values[it->second];
    ReadDeclaredType(output, &v);
    v.is_graph_output = true;
    g->outputs.push_back(it->second);
    DataType dtype = v.has_declared_dtype ? v.declared_dtype : DataType::kFloat32;
    if (v.initializer >= 0) dtype = g->initializers[v.initializer].dtype;
    g->output_infos.push_back({v.name, dtype, v.declared_shape});
  }
  TV_RETURN_IF_ERROR(g->SortNodes());
  *out = std::move(g);
  return Status::Ok();
}

// Kahn's algorithm; nodes left over sit on (or behind) a cycle.
Status Graph::SortNodes() {
  const int n = static_cast<int>(nodes.size());
  std::vector<int> pending(n, 0);
  std::vector<std::vector<int>> users(n);
  for (int i = 0; i < n; ++i) {
    std::set<int> producers;
    for (int v : nodes[i].inputs) {
      if (v >= 0 && values[v].producer >= 0) producers.insert(values[v].producer);
    }
    for (int p : producers) users[p].push_back(i);
    pending[i] = static_cast<int>(producers.size());
  }
  std::vector<int> order;
  order.reserve(n);
  for (int i = 0; i < n; ++i)
    if (pending[i] == 0) order.push_back(i);
  for (size_t k = 0; k < order.size(); ++k) {
    for (int u : users[order[k]])
      if (--pending[u] == 0) order.push_back(u);
  }
  if (static_cast<int>(order.size()) != n) {
    for (int i = 0; i < n; ++i) {
      if (pending[i] > 0) {
        return Status::Error(
            "graph has a cycle: node '%s' (op %s) is on or behind a cycle of nodes that feed each "
            "other",
            nodes[i].info.name.c_str(), nodes[i].info.op_type.c_str());
      }
    }
  }
  std::vector<int> new_index(n);
  for (int k = 0; k < n; ++k) new_index[order[k]] = k;
  std::vector<NodeDef> sorted(n);
  for (int k = 0; k < n; ++k) sorted[k] = std::move(nodes[order[k]]);
  nodes = std::move(sorted);
  for (ValueDef& v : values)
    if (v.producer >= 0) v.producer = new_index[v.producer];
  return Status::Ok();
}

}  // namespace ref
}  // namespace tv
