// Constant folding before lowering: shape-only ops (Reshape, Flatten, Squeeze, Unsqueeze,
// Identity, Dropout) applied to a constant, and ConstantOfShape with a constant shape, become
// constants themselves. Exporters emit these for weights (ONNX Model Zoo MNIST reshapes its
// dense weights; backend "light" models build every weight with ConstantOfShape), and the
// lowering only takes weights that are constants.
#ifndef TINYVERIFY_COMPRESS_ONNX_FOLD_H_
#define TINYVERIFY_COMPRESS_ONNX_FOLD_H_

#include <map>
#include <string>
#include <vector>

#include "emulator/status.h"
#include "reference/onnx_model.h"
#include "reference/onnx_proto.h"

namespace tv {
namespace compress {

// Adds the folded outputs to `consts`; folded[i] is set for every node folded away. Nodes are
// visited in graph order, so chains (ConstantOfShape -> Reshape) fold too.
[[nodiscard]] Status FoldConstants(const onnx::ModelProto& model,
                                   std::map<std::string, ref::Tensor>* consts,
                                   std::vector<bool>* folded);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_ONNX_FOLD_H_
