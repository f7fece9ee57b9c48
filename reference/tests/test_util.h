// Helpers for tests that run ONNX test cases (model.onnx + test_data_set_0/*.pb).
#ifndef TINYVERIFY_REFERENCE_TESTS_TEST_UTIL_H_
#define TINYVERIFY_REFERENCE_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

#include "reference/onnx_model.h"

namespace tv {
namespace ref {
namespace testing {

// numpy.allclose(actual, expected, rtol, atol) with equal_nan; exact for integers and bool.
// On mismatch `why` names the first differing element.
bool AllClose(const Tensor& actual, const Tensor& expected, double rtol, double atol,
              std::string* why);

// Reads test_data_set_0/input_*.pb and output_*.pb of an ONNX test directory.
Status LoadTestData(const std::string& test_dir, std::vector<Tensor>* inputs,
                    std::vector<Tensor>* outputs);

// Loads `model_path`, runs it on `inputs` and compares with `expected`. Returns "" on success,
// otherwise a description of the failure.
std::string RunAndCompare(const std::string& model_path, const std::vector<Tensor>& inputs,
                          const std::vector<Tensor>& expected, double rtol, double atol);

// (domain, op_type) pairs used by a model's nodes; empty domain is returned as "ai.onnx".
Status ModelOps(const std::string& model_path, std::vector<std::string>* ops);

// Subdirectories of `dir` (sorted); empty when `dir` does not exist.
std::vector<std::string> ListDirs(const std::string& dir);
bool PathExists(const std::string& path);

// Reads one float32 array from an uncompressed .npz archive (numpy.savez).
Status ReadNpzFloatArray(const std::string& path, const std::string& name, std::vector<float>* out);

// TV_SHARED_DIR or "<source>/../shared".
std::string SharedDir();

}  // namespace testing
}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_TESTS_TEST_UTIL_H_
