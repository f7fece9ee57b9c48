// Internal to onnx_import.cc / onnx_lower_ops.cc / onnx_lower_weighted.cc: the lowering
// state machine.
#ifndef TINYVERIFY_COMPRESS_ONNX_LOWERER_H_
#define TINYVERIFY_COMPRESS_ONNX_LOWERER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compress/calibration.h"
#include "compress/lowered_graph.h"
#include "emulator/status.h"
#include "reference/onnx_model.h"
#include "reference/onnx_proto.h"

namespace tv {
namespace compress {

// An ONNX activation as it exists in the lowered graph.
struct LoweredValue {
  int32_t tensor = -1;
  int32_t onnx_rank = 0;
  // Set when a Flatten of an NHWC tensor made the TFLite element order (h, w, c) differ from
  // ONNX's (c, h, w): consumers either permute their weights or ask for Materialize().
  bool hwc_order = false;
  int32_t source_4d = -1;  // the NHWC tensor before flattening
  int32_t c = 0, h = 0, w = 0;
};

class Lowerer {
 public:
  Lowerer(const onnx::ModelProto& model, const CalibrationStats& stats, LoweredGraph* g)
      : model_(model), stats_(stats), g_(g) {}
  Status Run();

 private:
  // Per-op handlers. `i` = node index. Ops with weights (onnx_lower_weighted.cc):
  Status LowerConv(int i);
  Status LowerGemm(int i);
  // The others (onnx_lower_ops.cc):
  Status LowerPool(int i);
  Status LowerElementwise(int i);
  Status LowerUnary(int i);
  Status LowerReshape(int i);
  Status LowerConcat(int i);
  Status LowerPad(int i);

  // Helpers (onnx_import.cc).
  std::string Label(int i) const;
  Status Value(int i, const std::string& name, LoweredValue* out);
  Status Materialize(const std::string& name, LoweredValue* v);
  Status OnnxShape(const std::string& name, std::vector<int64_t>* shape) const;
  Status NewActivation(const std::string& onnx_name, int32_t* index);
  Status Const(int i, const std::string& name, std::vector<float>* out) const;
  Status ConstInts(int i, const std::string& name, std::vector<int64_t>* out) const;
  bool IsConst(const std::string& name) const { return consts_.count(name) != 0; }
  // The node that alone consumes `name` (and `name` is no graph output), else -1.
  int SoleConsumer(const std::string& name) const;
  // Folds a following Relu / Clip(0, 6) into the op; advances *output_name.
  Activation FuseActivation(std::string* output_name, std::string* origin);
  bool ClipAsActivation(int node, Activation* act) const;
  void Emit(LOp op) { g_->ops.push_back(std::move(op)); }
  // Emits `op` writing a new activation for ONNX value `out_name` (onnx_lower_ops.cc).
  Status EmitTo(LOp op, const std::string& out_name);
  // Emits a weighted op: [input, weights, bias] -> new activation `out_name`
  // (onnx_lower_weighted.cc).
  Status EmitWeighted(LOp op, int32_t input, const LTensor& weights, const std::string& bias_name,
                      std::vector<float> bias, const std::string& out_name);
  int32_t AddShapeTensor(const std::string& name, std::vector<int32_t> values);
  // SAME / VALID decision for conv and pool windows; *explicit_pads when neither fits.
  Status ChoosePadding(int i, int64_t in_h, int64_t in_w, int64_t k_h, int64_t k_w, int64_t s_h,
                       int64_t s_w, int64_t d_h, int64_t d_w, bool* same,
                       std::vector<int64_t>* explicit_pads) const;

  const onnx::ModelProto& model_;
  const CalibrationStats& stats_;
  LoweredGraph* g_;
  std::map<std::string, ref::Tensor> consts_;
  std::map<std::string, LoweredValue> values_;
  std::map<std::string, std::vector<int>> consumers_;
  std::set<std::string> graph_outputs_;
  std::vector<bool> done_;
  int64_t opset_ = 1;
};

std::vector<int32_t> ToNhwc(const std::vector<int64_t>& onnx_shape);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_ONNX_LOWERER_H_
