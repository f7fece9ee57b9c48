// Protobuf-free, validated view of an ONNX graph: values in SSA form, nodes topologically
// sorted, attributes and initializers decoded. Built once per model.
#ifndef TINYVERIFY_REFERENCE_GRAPH_H_
#define TINYVERIFY_REFERENCE_GRAPH_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "emulator/status.h"
#include "reference/kernel.h"
#include "reference/onnx_model.h"

namespace onnx {
class ModelProto;
}

namespace tv {
namespace ref {

struct ValueDef {
  std::string name;
  int producer = -1;     // node index, or -1 for graph inputs and initializers
  int graph_input = -1;  // position in Graph::inputs when the caller feeds it
  int initializer = -1;  // index into Graph::initializers
  bool is_graph_output = false;
  bool has_declared_shape = false;  // a type with a shape was declared (input/output/value_info)
  bool has_declared_dtype = false;
  DataType declared_dtype = DataType::kFloat32;
  Shape declared_shape;  // -1 for symbolic dimensions
};

struct NodeDef {
  NodeInfo info;
  std::vector<int> inputs;   // value ids, -1 for an omitted optional input
  std::vector<int> outputs;  // value ids, -1 for an omitted optional output
};

class Graph {
 public:
  static Status Build(const onnx::ModelProto& model, const std::string& base_dir,
                      const LoadOptions& options, std::unique_ptr<Graph>* out);

  std::vector<ValueDef> values;
  std::vector<NodeDef> nodes;  // topological order
  std::vector<int> inputs;     // value ids fed by the caller
  std::vector<int> outputs;    // value ids returned to the caller
  std::vector<Tensor> initializers;
  std::vector<TensorInfo> input_infos;
  std::vector<TensorInfo> output_infos;
  int64_t ir_version = 0;
  std::string producer;
  std::vector<std::pair<std::string, int64_t>> opsets;

 private:
  Status AddValue(const std::string& name, int* id);
  Status SortNodes();
  std::unordered_map<std::string, int> value_ids_;
};

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_GRAPH_H_
