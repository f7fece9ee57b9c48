#include "reference/plan.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "reference/ops/registry.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

constexpr int64_t kAlign = 64;
// Non-null stand-in for the data of empty tensors: "known but empty" must differ from unknown,
// and kernels may pass the pointer to memcpy/std::copy with a zero count.
alignas(64) uint64_t kEmptyData[8] = {};

int64_t ByteSize(DataType dtype, const Shape& shape) {
  return SaturatingMul(NumElements(shape), static_cast<int64_t>(DataTypeSize(dtype)));
}

int64_t AlignUp(int64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

// Declared shapes may leave dimensions symbolic; only static ones must agree.
bool ShapeAgrees(const Shape& declared, const Shape& inferred) {
  if (declared.size() != inferred.size()) return false;
  for (size_t i = 0; i < declared.size(); ++i) {
    if (declared[i] >= 0 && declared[i] != inferred[i]) return false;
  }
  return true;
}

}  // namespace

Status Plan::Build(const Graph& graph, const std::vector<PlanInput>& inputs, bool have_data,
                   const LoadOptions& options, std::unique_ptr<Plan>* out) {
  const int64_t max_tensor_bytes = options.max_tensor_bytes;
  auto plan = std::unique_ptr<Plan>(new Plan());
  plan->values_.resize(graph.values.size());
  for (size_t v = 0; v < graph.values.size(); ++v) {
    const ValueDef& def = graph.values[v];
    Value& value = plan->values_[v];
    value.root = static_cast<int>(v);
    if (def.initializer >= 0) {
      const Tensor& t = graph.initializers[def.initializer];
      value.source = Source::kConstant;
      value.dtype = t.dtype;
      value.shape = t.shape;
      value.constant = t.bytes.data();
    } else if (def.graph_input >= 0) {
      const PlanInput& in = inputs[def.graph_input];
      value.source = Source::kInput;
      value.dtype = in.dtype;
      value.shape = in.shape;
      value.input = def.graph_input;
    }
  }
  for (const PlanInput& in : inputs) plan->input_shapes_.push_back(in.shape);
  plan->kernels_.resize(graph.nodes.size());
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    TV_RETURN_IF_ERROR(
        plan->PrepareNode(graph, static_cast<int>(n), inputs, have_data, max_tensor_bytes));
  }
  for (int v : graph.outputs) {
    if (plan->complete_ && plan->values_[v].source == Source::kUnknown) {
      return Status::Error("graph output '%s' could not be computed", graph.values[v].name.c_str());
    }
  }
  plan->fused_.assign(graph.nodes.size(), false);
  if (plan->complete_ && options.fuse_operators) plan->FusePostOps(graph);
  plan->AssignArena(graph);
  *out = std::move(plan);
  return Status::Ok();
}

Status Plan::PrepareNode(const Graph& graph, int n, const std::vector<PlanInput>& inputs,
                         bool have_data, int64_t max_tensor_bytes) {
  const NodeDef& node = graph.nodes[n];
  std::unique_ptr<OpKernel> kernel;
  TV_RETURN_IF_ERROR(KernelRegistry::Global().Create(node.info, &kernel));
  kernel->set_node(&node.info);

  if (node.outputs.empty() || node.outputs[0] < 0) {
    return Status::Error("node '%s' (op %s): output 0 is missing", node.info.name.c_str(),
                         node.info.op_type.c_str());
  }
  // Every supported operator with inputs requires the first one.
  if (!node.inputs.empty() && node.inputs[0] < 0) {
    return Status::Error("node '%s' (op %s): required input 0 is missing", node.info.name.c_str(),
                         node.info.op_type.c_str());
  }
  std::vector<PrepareContext::Input> ins(node.inputs.size());
  bool all_constant = true;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const int v = node.inputs[i];
    if (v < 0) continue;
    const Value& value = values_[v];
    if (value.source == Source::kUnknown) {
      complete_ = false;  // upstream node deferred: so is this one
      return Status::Ok();
    }
    ins[i].present = true;
    ins[i].dtype = value.dtype;
    ins[i].shape = value.shape;
    if (value.source == Source::kConstant) {
      ins[i].value = value.constant ? static_cast<const void*>(value.constant) : kEmptyData;
    } else {
      all_constant = false;
      if (value.source == Source::kInput) ins[i].value = inputs[value.input].data;
    }
  }
  std::vector<bool> outs(node.outputs.size());
  for (size_t i = 0; i < node.outputs.size(); ++i) outs[i] = node.outputs[i] >= 0;
  PrepareContext ctx(&node.info, std::move(ins), std::move(outs));
  Status status = kernel->Prepare(&ctx);
  if (!status.ok()) {
    if (ctx.needed_unknown_value() && !have_data) {
      complete_ = false;  // resolved when Run() supplies the data
      return Status::Ok();
    }
    return status;
  }
  // Remember which fed inputs shape inference looked at: their values key this plan.
  for (int i : ctx.values_read()) {
    const Value& value = values_[node.inputs[i]];
    if (value.source != Source::kInput) continue;
    const uint8_t* p = static_cast<const uint8_t*>(inputs[value.input].data);
    value_keys_.emplace_back(value.input,
                             std::vector<uint8_t>(p, p + ByteSize(value.dtype, value.shape)));
  }
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    const int v = node.outputs[i];
    if (v < 0) continue;
    const auto& o = ctx.outputs()[i];
    if (!o.set) return ctx.Error("output %zu was not inferred", i);
    for (int64_t d : o.shape) {
      if (d < 0) return ctx.Error("inferred a negative dimension for output %zu", i);
    }
    if (ByteSize(o.dtype, o.shape) > max_tensor_bytes) {
      return ctx.Error("output '%s' shape %s exceeds the %lld-byte tensor limit",
                       graph.values[v].name.c_str(), ShapeToString(o.shape).c_str(),
                       static_cast<long long>(max_tensor_bytes));
    }
    const ValueDef& def = graph.values[v];
    if (def.has_declared_shape && !ShapeAgrees(def.declared_shape, o.shape)) {
      return ctx.Error("inferred shape %s for '%s' contradicts the declared shape %s",
                       ShapeToString(o.shape).c_str(), def.name.c_str(),
                       ShapeToString(def.declared_shape).c_str());
    }
    if (def.has_declared_dtype && def.declared_dtype != o.dtype) {
      return ctx.Error("inferred type %s for '%s' contradicts the declared type %s",
                       DataTypeName(o.dtype), def.name.c_str(), DataTypeName(def.declared_dtype));
    }
    Value& value = values_[v];
    value.dtype = o.dtype;
    value.shape = o.shape;
  }
  if (ctx.scratch_bytes() > max_tensor_bytes) {
    return ctx.Error("needs %lld bytes of scratch memory, over the tensor limit",
                     static_cast<long long>(ctx.scratch_bytes()));
  }
  scratch_bytes_ = std::max(scratch_bytes_, ctx.scratch_bytes());
  kernels_[n] = std::move(kernel);
  if (all_constant || kernels_[n]->NeedsOnlyInputShapes()) return FoldNode(graph, n);
  for (int v : node.outputs)
    if (v >= 0) values_[v].source = Source::kArena;
  run_nodes_.push_back(n);
  return Status::Ok();
}

// Runs a node whose inputs are all known now and keeps its outputs as constants.
Status Plan::FoldNode(const Graph& graph, int n) {
  const NodeDef& node = graph.nodes[n];
  RunContext run;
  ThreadPool serial(1);
  run.pool = &serial;
  std::vector<uint8_t> scratch(static_cast<size_t>(scratch_bytes_));
  run.scratch = scratch.data();
  for (int v : node.inputs) {
    InputView in;
    if (v >= 0) {
      in.dtype = values_[v].dtype;
      in.shape = &values_[v].shape;
      // Shape-only nodes (Shape, Size) may fold over values that have no data yet.
      if (values_[v].source == Source::kConstant) {
        in.data = values_[v].constant && NumElements(values_[v].shape) > 0
                      ? static_cast<const void*>(values_[v].constant)
                      : kEmptyData;
      }
    }
    run.inputs.push_back(in);
  }
  for (int v : node.outputs) {
    OutputView out;
    if (v >= 0) {
      Value& value = values_[v];
      constants_.emplace_back(static_cast<size_t>(ByteSize(value.dtype, value.shape)));
      value.source = Source::kConstant;
      value.constant = constants_.back().data();
      out.dtype = value.dtype;
      out.shape = &value.shape;
      out.data =
          constants_.back().empty() ? static_cast<void*>(kEmptyData) : constants_.back().data();
    }
    run.outputs.push_back(out);
  }
  return kernels_[n]->Run(&run);
}

void Plan::FusePostOps(const Graph& graph) {
  std::vector<int> readers(values_.size(), 0);
  for (const NodeDef& node : graph.nodes) {
    for (int v : node.inputs)
      if (v >= 0) ++readers[v];
  }
  std::vector<bool> runs(graph.nodes.size(), false);
  for (int n : run_nodes_) runs[n] = true;
  std::vector<int> owner(graph.nodes.size(), -1);  // node that does a fused node's work
  for (int n : run_nodes_) {
    const NodeDef& node = graph.nodes[n];
    PostOp op;
    if (node.inputs.empty() || !kernels_[n]->AsPostOp(&op)) continue;
    const int v = node.inputs[0];
    const ValueDef& def = graph.values[v];
    if (readers[v] != 1 || def.is_graph_output || def.producer < 0 || !runs[def.producer]) continue;
    const NodeDef& producer = graph.nodes[def.producer];
    if (producer.outputs.empty() || producer.outputs[0] != v) continue;
    const int target = owner[def.producer] >= 0 ? owner[def.producer] : def.producer;
    if (!kernels_[target]->FusePostOp(op)) continue;
    owner[n] = target;
    fused_[n] = true;
  }
}

// Greedy first-fit over the run order; a block is released after its last reader ran, and
// outputs are placed before inputs are released so kernels never see overlapping buffers.
void Plan::AssignArena(const Graph& graph) {
  const int end_of_time = std::numeric_limits<int>::max();
  std::vector<int> last_use(values_.size(), -1);
  for (size_t k = 0; k < run_nodes_.size(); ++k) {
    const NodeDef& node = graph.nodes[run_nodes_[k]];
    if ((kernels_[run_nodes_[k]]->OutputAliasesInput() || fused_[run_nodes_[k]]) &&
        node.outputs[0] >= 0 && node.inputs[0] >= 0) {
      values_[node.outputs[0]].root = values_[node.inputs[0]].root;
    }
    for (int v : node.inputs)
      if (v >= 0) last_use[values_[v].root] = static_cast<int>(k);
    for (int v : node.outputs) {
      if (v >= 0)
        last_use[values_[v].root] = std::max(last_use[values_[v].root], static_cast<int>(k));
    }
  }
  for (int v : graph.outputs) last_use[values_[v].root] = end_of_time;

  std::vector<std::pair<int64_t, int64_t>> live;  // (offset, size), sorted by offset
  std::vector<std::vector<int>> release_at(run_nodes_.size());
  for (size_t k = 0; k < run_nodes_.size(); ++k) {
    const NodeDef& node = graph.nodes[run_nodes_[k]];
    for (int v : node.outputs) {
      if (v < 0 || values_[v].root != v) continue;
      const int64_t size =
          std::max<int64_t>(AlignUp(ByteSize(values_[v].dtype, values_[v].shape)), kAlign);
      int64_t offset = 0;
      auto it = live.begin();
      for (; it != live.end(); ++it) {
        if (it->first - offset >= size) break;
        offset = std::max(offset, it->first + it->second);
      }
      live.insert(it, {offset, size});
      values_[v].offset = offset;
      arena_bytes_ = std::max(arena_bytes_, offset + size);
      if (last_use[v] != end_of_time) release_at[last_use[v]].push_back(v);
    }
    for (int v : release_at[k]) {
      auto it = std::find(
          live.begin(), live.end(),
          std::make_pair(
              values_[v].offset,
              std::max<int64_t>(AlignUp(ByteSize(values_[v].dtype, values_[v].shape)), kAlign)));
      if (it != live.end()) live.erase(it);
    }
  }
  // Aliases inherit where their root lives.
  for (size_t v = 0; v < values_.size(); ++v) {
    Value& value = values_[v];
    if (value.root == static_cast<int>(v) || value.source != Source::kArena) continue;
    const Value& root = values_[value.root];
    value.source = root.source;
    value.offset = root.offset;
    value.constant = root.constant;
    value.input = root.input;
  }
}

bool Plan::Matches(const std::vector<Tensor>& inputs) const {
  if (!complete_ || inputs.size() != input_shapes_.size()) return false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].shape != input_shapes_[i]) return false;
  }
  for (const auto& key : value_keys_) {
    if (inputs[key.first].bytes != key.second) return false;
  }
  return true;
}

const void* Plan::DataOf(int v, const std::vector<Tensor>& inputs) const {
  const Value& value = values_[v];
  const void* data = nullptr;
  switch (value.source) {
    case Source::kConstant:
      data = value.constant;
      break;
    case Source::kInput:
      data = inputs[value.input].bytes.data();
      break;
    case Source::kArena:
      data = arena_.data() + value.offset;
      break;
    default:
      return nullptr;
  }
  return data && NumElements(value.shape) > 0 ? data : kEmptyData;
}

Status Plan::Execute(const Graph& graph, const std::vector<Tensor>& inputs, ThreadPool* pool,
                     std::vector<Tensor>* outputs) {
  if (!complete_) return Status::Error("internal: executing an unresolved plan");
  if (static_cast<int64_t>(arena_.size()) < arena_bytes_) arena_.resize(arena_bytes_);
  if (static_cast<int64_t>(scratch_.size()) < scratch_bytes_) scratch_.resize(scratch_bytes_);
  RunContext run;
  run.pool = pool;
  run.scratch = scratch_.data();
  for (int n : run_nodes_) {
    if (fused_[n]) continue;
    const NodeDef& node = graph.nodes[n];
    run.inputs.assign(node.inputs.size(), InputView());
    run.outputs.assign(node.outputs.size(), OutputView());
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const int v = node.inputs[i];
      if (v < 0) continue;
      run.inputs[i] = {values_[v].dtype, &values_[v].shape, DataOf(v, inputs)};
    }
    for (size_t i = 0; i < node.outputs.size(); ++i) {
      const int v = node.outputs[i];
      if (v < 0) continue;
      run.outputs[i] = {values_[v].dtype, &values_[v].shape, const_cast<void*>(DataOf(v, inputs))};
    }
    TV_RETURN_IF_ERROR(kernels_[n]->Run(&run));
  }
  outputs->clear();
  for (int v : graph.outputs) {
    Tensor t;
    t.dtype = values_[v].dtype;
    t.shape = values_[v].shape;
    const uint8_t* p = static_cast<const uint8_t*>(DataOf(v, inputs));
    t.bytes.assign(p, p + ByteSize(t.dtype, t.shape));
    outputs->push_back(std::move(t));
  }
  return Status::Ok();
}

int64_t Plan::NodeFlops(int node) const {
  if (!kernels_[node]) return 0;
  if (std::find(run_nodes_.begin(), run_nodes_.end(), node) == run_nodes_.end()) return 0;
  return kernels_[node]->Flops();
}

void Plan::CountParameters(const Graph& graph, int64_t* count, int64_t* bytes) const {
  std::vector<bool> counted(values_.size(), false);
  *count = 0;
  *bytes = 0;
  for (int n : run_nodes_) {
    for (int v : graph.nodes[n].inputs) {
      if (v < 0 || counted[v] || values_[v].source != Source::kConstant) continue;
      counted[v] = true;
      *count += NumElements(values_[v].shape);
      *bytes += ByteSize(values_[v].dtype, values_[v].shape);
    }
  }
}

}  // namespace ref
}  // namespace tv
