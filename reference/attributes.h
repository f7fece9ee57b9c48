// Node attributes decoded from the protobuf once, so operator code never touches protobuf.
#ifndef TINYVERIFY_REFERENCE_ATTRIBUTES_H_
#define TINYVERIFY_REFERENCE_ATTRIBUTES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reference/onnx_model.h"

namespace tv {
namespace ref {

struct AttributeValue {
  enum Kind { kFloat, kInt, kString, kTensor, kFloats, kInts, kStrings, kOther };
  Kind kind = kOther;
  float f = 0.0f;
  int64_t i = 0;
  std::string s;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
  Tensor tensor;
};

class Attributes {
 public:
  void Set(const std::string& name, AttributeValue value) { values_[name] = std::move(value); }
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  const AttributeValue* Find(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? nullptr : &it->second;
  }

  int64_t GetInt(const std::string& name, int64_t fallback) const {
    const AttributeValue* v = Find(name);
    return v && v->kind == AttributeValue::kInt ? v->i : fallback;
  }
  float GetFloat(const std::string& name, float fallback) const {
    const AttributeValue* v = Find(name);
    if (!v) return fallback;
    if (v->kind == AttributeValue::kFloat) return v->f;
    if (v->kind == AttributeValue::kInt) return static_cast<float>(v->i);  // lenient exporters
    return fallback;
  }
  std::string GetString(const std::string& name, const std::string& fallback) const {
    const AttributeValue* v = Find(name);
    return v && v->kind == AttributeValue::kString ? v->s : fallback;
  }
  std::vector<int64_t> GetInts(const std::string& name, std::vector<int64_t> fallback = {}) const {
    const AttributeValue* v = Find(name);
    return v && v->kind == AttributeValue::kInts ? v->ints : fallback;
  }
  std::vector<float> GetFloats(const std::string& name, std::vector<float> fallback = {}) const {
    const AttributeValue* v = Find(name);
    return v && v->kind == AttributeValue::kFloats ? v->floats : fallback;
  }
  const Tensor* GetTensor(const std::string& name) const {
    const AttributeValue* v = Find(name);
    return v && v->kind == AttributeValue::kTensor ? &v->tensor : nullptr;
  }

 private:
  std::map<std::string, AttributeValue> values_;
};

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_ATTRIBUTES_H_
