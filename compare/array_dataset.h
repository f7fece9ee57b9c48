// Samples that already sit in memory (numpy arrays handed over by the Python bindings), read
// through the same Dataset interface as files so `verify` treats both alike.
#ifndef TINYVERIFY_COMPARE_ARRAY_DATASET_H_
#define TINYVERIFY_COMPARE_ARRAY_DATASET_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "compare/dataset.h"
#include "compare/executor.h"
#include "emulator/status.h"

namespace tv {
namespace verify {

// `x` is [N, ...] in any dtype ConvertToFloat accepts, borrowed: the caller keeps the memory
// alive while the dataset is read. `labels` (class labels) or `targets` (regression rows) are
// empty or have N rows, as LabelsFromTensor returns them. Format name: "array".
[[nodiscard]] Status OpenArrayDataset(const TensorView& x, std::vector<int64_t> labels,
                                      std::vector<std::vector<float>> targets,
                                      std::unique_ptr<Dataset>* out);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_ARRAY_DATASET_H_
