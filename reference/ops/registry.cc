#include "reference/ops/registry.h"

namespace tv {
namespace ref {

// One registration function per file under ops/.
void RegisterBinaryElementwiseOps(KernelRegistry* r);
void RegisterCastWhereClipOps(KernelRegistry* r);
void RegisterConcatSplitOps(KernelRegistry* r);
void RegisterConstantAndShapeOps(KernelRegistry* r);
void RegisterConvOps(KernelRegistry* r);
void RegisterConvTransposeOps(KernelRegistry* r);
void RegisterGatherPadTileOps(KernelRegistry* r);
void RegisterGemmOps(KernelRegistry* r);
void RegisterIntegerConvOps(KernelRegistry* r);
void RegisterIntegerMatMulOps(KernelRegistry* r);
void RegisterMatMulOps(KernelRegistry* r);
void RegisterNormalizationOps(KernelRegistry* r);
void RegisterPoolOps(KernelRegistry* r);
void RegisterQuantizeLinearOps(KernelRegistry* r);
void RegisterReduceOps(KernelRegistry* r);
void RegisterBinaryElementwiseOps(KernelRegistry* r);
void RegisterCastWhereClipOps(KernelRegistry* r);
void RegisterConcatSplitOps(KernelRegistry* r);
void RegisterConstantAndShapeOps(KernelRegistry* r);
void RegisterConvOps(KernelRegistry* r);
void RegisterGatherPadTileOps(KernelRegistry* r);
void RegisterGemmOps(KernelRegistry* r);
void RegisterMatMulOps(KernelRegistry* r);
void RegisterNormalizationOps(KernelRegistry* r);
void RegisterPoolOps(KernelRegistry* r);
void RegisterReduceOps(KernelRegistry* r);
void RegisterUnaryElementwiseOps(KernelRegistry* r);
void RegisterReshapeLikeOps(KernelRegistry* r);
void RegisterSoftmaxVariadicOps(KernelRegistry* r);
void RegisterTransposeSliceOps(KernelRegistry* r);
void RegisterReshapeLikeOps(KernelRegistry* r);
void RegisterResizeOps(KernelRegistry* r);
void RegisterSoftmaxVariadicOps(KernelRegistry* r);
void RegisterTransposeSliceOps(KernelRegistry* r);
void RegisterUnaryElementwiseOps(KernelRegistry* r);

void KernelRegistry::Add(const std::string& op_type, Factory factory, int min_opset) {
  entries_[op_type] = {factory, min_opset};
}

const KernelRegistry& KernelRegistry::Global() {
  static const KernelRegistry* registry = [] {
    auto* r = new KernelRegistry();
    RegisterBinaryElementwiseOps(r);
    RegisterCastWhereClipOps(r);
    RegisterConcatSplitOps(r);
    RegisterConstantAndShapeOps(r);
    RegisterConvOps(r);
    RegisterConvTransposeOps(r);
    RegisterGatherPadTileOps(r);
    RegisterGemmOps(r);
    RegisterIntegerConvOps(r);
    RegisterIntegerMatMulOps(r);
    RegisterMatMulOps(r);
    RegisterNormalizationOps(r);
    RegisterPoolOps(r);
    RegisterQuantizeLinearOps(r);
    RegisterReduceOps(r);
    RegisterBinaryElementwiseOps(r);
    RegisterCastWhereClipOps(r);
    RegisterConcatSplitOps(r);
    RegisterConstantAndShapeOps(r);
    RegisterConvOps(r);
    RegisterGatherPadTileOps(r);
    RegisterGemmOps(r);
    RegisterMatMulOps(r);
    RegisterNormalizationOps(r);
    RegisterPoolOps(r);
    RegisterReduceOps(r);
    RegisterUnaryElementwiseOps(r);
    RegisterReshapeLikeOps(r);
    RegisterSoftmaxVariadicOps(r);
    RegisterTransposeSliceOps(r);
    RegisterReshapeLikeOps(r);
    RegisterResizeOps(r);
    RegisterSoftmaxVariadicOps(r);
    RegisterTransposeSliceOps(r);
    RegisterUnaryElementwiseOps(r);
    return r;
  }();
  return *registry;
}

Status KernelRegistry::Create(const NodeInfo& node, std::unique_ptr<OpKernel>* out) const {
  auto it = node.domain == "ai.onnx" ? entries_.find(node.op_type) : entries_.end();
  if (it == entries_.end() || node.opset < it->second.min_opset) {
    return Status::Error("node '%s' (op %s, domain %s, opset %d) is not supported",
                         node.name.c_str(), node.op_type.c_str(), node.domain.c_str(), node.opset);
  }
  *out = it->second.factory(node);
  return Status::Ok();
}

bool KernelRegistry::Supports(const std::string& domain, const std::string& op_type) const {
  return (domain.empty() || domain == "ai.onnx") && entries_.count(op_type) != 0;
}

std::vector<std::string> KernelRegistry::OpTypes() const {
  std::vector<std::string> ops;
  for (const auto& e : entries_) ops.push_back(e.first);
  return ops;
}

}  // namespace ref
}  // namespace tv
