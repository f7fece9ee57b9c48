// Maps (domain, op_type) to kernel factories. Each file under ops/ contributes a Register*
// function that registry.cc calls; no static initialisers, so nothing is dropped by the linker.
#ifndef TINYVERIFY_REFERENCE_OPS_REGISTRY_H_
#define TINYVERIFY_REFERENCE_OPS_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reference/kernel.h"

namespace tv {
namespace ref {

class KernelRegistry {
 public:
  using Factory = std::unique_ptr<OpKernel> (*)(const NodeInfo& node);

  // `min_opset`: oldest ai.onnx opset whose semantics the kernel implements.
  void Add(const std::string& op_type, Factory factory, int min_opset = 1);

  static const KernelRegistry& Global();
  Status Create(const NodeInfo& node, std::unique_ptr<OpKernel>* out) const;
  bool Supports(const std::string& domain, const std::string& op_type) const;
  std::vector<std::string> OpTypes() const;

 private:
  struct Entry {
    Factory factory;
    int min_opset;
  };
  std::map<std::string, Entry> entries_;
};

// Factory for kernels with a default constructor.
template <typename K>
std::unique_ptr<OpKernel> MakeKernel(const NodeInfo&) {
  return std::make_unique<K>();
}

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_REGISTRY_H_
