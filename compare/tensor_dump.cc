#include "compare/tensor_dump.h"

namespace tv {

TensorDump::TensorDump() {
  sink_ = [this](int32_t index, const std::string& name, const HostTensor& t) {
    DumpedTensor& d = tensors_[index];
    if (d.samples == 0) {
      d.name = name;
      d.tensor = t;
    } else {
      d.tensor.bytes.insert(d.tensor.bytes.end(), t.bytes.begin(), t.bytes.end());
    }
    ++d.samples;
  };
}

void TensorDump::AddBatchAxis() {
  for (auto& entry : tensors_) {
    HostTensor& t = entry.second.tensor;
    t.shape.insert(t.shape.begin(), entry.second.samples);
  }
}

}  // namespace tv
