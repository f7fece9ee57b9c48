// Collects the intermediates a run reports through a TensorSink (`tinyverify run --dump-all`,
// Model.run(dump_all=True)): one entry per tensor index, a batch's samples appended in order.
#ifndef TINYVERIFY_COMPARE_TENSOR_DUMP_H_
#define TINYVERIFY_COMPARE_TENSOR_DUMP_H_

#include <cstdint>
#include <map>
#include <string>

#include "compare/executor.h"
#include "compare/host_tensor.h"

namespace tv {

struct DumpedTensor {
  std::string name;
  HostTensor tensor;  // the first sample's shape; later samples' bytes appended
  int64_t samples = 0;
};

// Not copyable: sink() captures this.
class TensorDump {
 public:
  TensorDump();
  TensorDump(const TensorDump&) = delete;
  TensorDump& operator=(const TensorDump&) = delete;

  const TensorSink& sink() const { return sink_; }
  // After a batched run: every tensor gains the leading [samples] axis.
  void AddBatchAxis();
  std::map<int32_t, DumpedTensor>& tensors() { return tensors_; }

 private:
  std::map<int32_t, DumpedTensor> tensors_;
  TensorSink sink_;
};

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_TENSOR_DUMP_H_
