#include "reports/synthetic_run.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "compare/analysis.h"

namespace tv {
namespace reports {

using namespace verify;

namespace {

void Softmax(std::vector<float>* v) {
  float m = *std::max_element(v->begin(), v->end());
  double sum = 0.0;
  for (float& x : *v) sum += (x = std::exp(x - m));
  for (float& x : *v) x = static_cast<float>(x / sum);
}

ModelSetup FakeModel(const std::string& name, uint64_t scale, bool quantized) {
  ModelSetup m;
  m.path = "models/" + name + (quantized ? ".tflite" : ".onnx");
  m.name = name;
  m.target = "host";
  m.kernels = quantized ? "optimized" : "reference";
  m.info.format = quantized ? "tflite" : "onnx";
  m.info.parameters = 52000;
  m.info.weight_bytes = m.info.parameters * (quantized ? 1 : 4);
  m.info.file_bytes = m.info.weight_bytes + 4096 * scale;
  m.info.arena_bytes = quantized ? 24576 : 0;
  m.info.total_macs = 1800000;
  for (int i = 0; i < 3; ++i) {
    TensorInfoRow t;
    t.name = "layer" + std::to_string(i) + "/weights";
    t.is_constant = true;
    t.shape = {16, 3, 3, 8 * (i + 1)};
    t.bytes = quantized ? 1152u * (i + 1) : 4608u * (i + 1);
    t.sparsity = quantized ? 0.1 * i : 0.0;
    t.unique_values = quantized ? 200 - 40 * i : 1152 * (i + 1);
    t.huffman_bits = quantized ? 1152u * (i + 1) * 6 : 0;
    m.info.tensors.push_back(t);
  }
  if (quantized) {
    m.input_values = 100000;
    m.input_clipped = 37;
    m.saturation = {{"conv1", "CONV_2D", 50000, 120, 900}, {"fc", "FULLY_CONNECTED", 5000, 3, 1}};
  }
  return m;
}

}  // namespace

Status RunSynthetic(const SyntheticOptions& o, VerifyResult* out) {
  std::mt19937 rng(o.seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  AnalysisConfig config;
  config.worst_n = 12;
  for (int32_t c = 0; c < o.classes; ++c)
    config.class_names.push_back("class_" + std::to_string(c));
  if (o.classes >= 3) config.class_names[2] = "gunshot";
  for (int64_t i = 0; i < o.samples; i += 17) config.slices[std::to_string(i)] = {"every_17th"};
  Analyzer analyzer(config, o.variants);
  for (int64_t i = 0; i < o.samples; ++i) {
    SampleOutputs s;
    s.index = i;
    s.id = std::to_string(i);
    const int32_t k = o.regression ? 1 : o.classes;
    // Class 0 is rare (about 0.5% of samples).
    s.label = (i % 200 == 0)
                  ? 0
                  : 1 + static_cast<int64_t>(rng() % static_cast<uint32_t>(k - 1 > 0 ? k - 1 : 1));
    s.ref.resize(static_cast<size_t>(o.regression ? 4 : k));
    for (size_t j = 0; j < s.ref.size(); ++j) s.ref[j] = noise(rng);
    if (o.regression) {
      s.label = -1;
      s.target = s.ref;
      for (float& t : s.target) t += 0.1f * noise(rng);
    } else if (unit(rng) < 0.9f) {
      s.ref[static_cast<size_t>(s.label)] += 4.0f;
    }
    std::vector<float> logits = s.ref;
    if (!o.regression) Softmax(&s.ref);
    for (int32_t v = 0; v < o.variants; ++v) {
      std::vector<float> t = logits;
      const float sigma = 0.15f * static_cast<float>(v + 1);
      for (float& x : t) x += sigma * noise(rng);
      if (!o.regression) {
        if (s.label == 2 && unit(rng) < 0.1f * static_cast<float>(v + 1)) t[3] += 6.0f;
        Softmax(&t);
      }
      s.tiny.push_back(t);
    }
    if (o.thumbnails) {
      s.thumbnail.height = s.thumbnail.width = 12;
      s.thumbnail.channels = 1;
      for (int p = 0; p < 144; ++p) {
        s.thumbnail.pixels.push_back(static_cast<uint8_t>((p * 7 + i * 13) % 256));
      }
    }
    TV_RETURN_IF_ERROR(analyzer.Add(s));
  }
  VerifySetup setup;
  setup.data_path = "heldout/";
  setup.data_format = "npz";
  setup.decisions = {"input 'x': NHWC float32, scaled by 1/255", "labels from 'y'"};
  setup.ref = FakeModel("big", 4, false);
  for (int32_t v = 0; v < o.variants; ++v) {
    setup.tiny.push_back(FakeModel("tiny_int8_v" + std::to_string(v + 1), 1, true));
  }
  setup.threads = 2;
  setup.seconds_total = 1.5;
  setup.seconds_models = 1.2;
  TV_RETURN_IF_ERROR(analyzer.Finish(setup, out));
  return EvaluateGates(o.regression ? "mae<=0.5" : o.gates, out);
}

}  // namespace reports
}  // namespace tv
