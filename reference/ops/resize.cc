// Resize (opset 10..19+: nearest/linear/cubic, every coordinate_transformation_mode, roi for
// tf_crop_and_resize, axes, keep_aspect_ratio_policy) and Upsample. Done as one 1-D resampling
// pass per resized axis, which equals the N-d tensor-product interpolation of the spec.
#include <cmath>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

struct Tap {
  int64_t index;
  double weight;
};

struct AxisPlan {
  std::vector<std::vector<Tap>> taps;  // per output coordinate; empty = extrapolation value
  bool identity = true;
};

class ResizeKernel : public OpKernel {
 public:
  explicit ResizeKernel(bool upsample) : upsample_(upsample) {}

  Status Prepare(PrepareContext* ctx) override {
    if (ctx->input_dtype(0) != DataType::kFloat32) return ctx->Error("only float32 is supported");
    const Shape& in = ctx->input_shape(0);
    const size_t rank = in.size();
    const Attributes& at = ctx->attrs();
    const bool legacy = upsample_ || ctx->opset() < 11;  // Upsample and Resize-10 semantics
    mode_ = at.GetString("mode", "nearest");
    if (mode_ != "nearest" && mode_ != "linear" && mode_ != "bilinear" && mode_ != "cubic") {
      return ctx->Error("mode '%s' is not supported", mode_.c_str());
    }
    if (at.GetInt("antialias", 0) != 0) return ctx->Error("antialias is not supported");
    transform_ =
        legacy ? "asymmetric" : at.GetString("coordinate_transformation_mode", "half_pixel");
    nearest_mode_ = legacy ? "floor" : at.GetString("nearest_mode", "round_prefer_floor");
    cubic_a_ = at.GetFloat("cubic_coeff_a", -0.75f);
    exclude_outside_ = at.GetInt("exclude_outside", 0) != 0;
    extrapolation_ = at.GetFloat("extrapolation_value", 0.0f);

    std::vector<int64_t> axes = at.GetInts("axes");
    if (axes.empty())
      for (size_t i = 0; i < rank; ++i) axes.push_back(static_cast<int64_t>(i));
    for (int64_t& a : axes) {
      Status s = NormalizeAxis(a, static_cast<int64_t>(rank), &a);
      if (!s.ok()) return ctx->Error("%s", s.message());
    }
    std::vector<double> scales(rank, 1.0), roi_start(rank, 0.0), roi_end(rank, 1.0);
    Shape out = in;
    std::vector<float> scale_values;
    std::vector<int64_t> sizes;
    const int scales_slot = legacy ? 1 : 2;
    if (upsample_ && ctx->opset() < 9) {
      scale_values = at.GetFloats("scales");
    } else if (ctx->has_input(scales_slot) && NumElements(ctx->input_shape(scales_slot)) > 0) {
      if (ctx->input_dtype(scales_slot) != DataType::kFloat32)
        return ctx->Error("scales must be float32");
      const void* v = ctx->input_value(scales_slot);
      if (!v) return ctx->Error("scales must be known before running");
      const float* f = static_cast<const float*>(v);
      scale_values.assign(f, f + NumElements(ctx->input_shape(scales_slot)));
    }
    if (!legacy && ctx->has_input(3) && NumElements(ctx->input_shape(3)) > 0) {
      TV_RETURN_IF_ERROR(ctx->InputAsInts(3, &sizes));
    }
    if (!legacy && transform_ == "tf_crop_and_resize" && ctx->has_input(1)) {
      if (ctx->input_dtype(1) != DataType::kFloat32) return ctx->Error("roi must be float32");
      const void* v = ctx->input_value(1);
      if (!v) return ctx->Error("roi must be known before running");
      const float* roi = static_cast<const float*>(v);
      if (NumElements(ctx->input_shape(1)) != static_cast<int64_t>(2 * axes.size()))
        return ctx->Error("roi size mismatch");
      for (size_t i = 0; i < axes.size(); ++i) {
        roi_start[axes[i]] = roi[i];
        roi_end[axes[i]] = roi[i + axes.size()];
      }
    }
    if (!sizes.empty()) {
      if (sizes.size() != axes.size())
        return ctx->Error("sizes must have %zu entries", axes.size());
      const std::string policy = at.GetString("keep_aspect_ratio_policy", "stretch");
      double common = policy == "not_larger" ? 1e300 : 0.0;
      for (size_t i = 0; i < axes.size(); ++i) {
        if (sizes[i] < 0 || sizes[i] > kHugeCount || in[axes[i]] == 0)
          return ctx->Error("sizes are out of range");
        const double s = static_cast<double>(sizes[i]) / static_cast<double>(in[axes[i]]);
        common = policy == "not_larger" ? std::min(common, s) : std::max(common, s);
      }
      for (size_t i = 0; i < axes.size(); ++i) {
        if (policy == "stretch") {
          out[axes[i]] = sizes[i];
          scales[axes[i]] = static_cast<double>(sizes[i]) / static_cast<double>(in[axes[i]]);
        } else {
          scales[axes[i]] = common;
          out[axes[i]] =
              static_cast<int64_t>(std::round(common * static_cast<double>(in[axes[i]])));
        }
      }
    } else {
      if (scale_values.size() != axes.size())
        return ctx->Error("scales must have %zu entries", axes.size());
      for (size_t i = 0; i < axes.size(); ++i) {
        if (!(scale_values[i] > 0.0f) || !(scale_values[i] < 1e6f))
          return ctx->Error("scales must be in (0, 1e6)");
        scales[axes[i]] = scale_values[i];
        out[axes[i]] =
            static_cast<int64_t>(std::floor(static_cast<double>(in[axes[i]]) * scale_values[i]));
      }
    }
    in_shape_ = in;
    out_shape_ = out;
    axis_plans_.assign(rank, AxisPlan());
    for (size_t d = 0; d < rank; ++d) PlanAxis(d, scales[d], roi_start[d], roi_end[d]);
    ctx->SetOutput(0, DataType::kFloat32, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    std::vector<float> current(ctx->inputs[0].as<float>(),
                               ctx->inputs[0].as<float>() + NumElements(in_shape_));
    Shape shape = in_shape_;
    std::vector<float> next;
    for (size_t d = 0; d < shape.size(); ++d) {
      const AxisPlan& plan = axis_plans_[d];
      if (plan.identity) continue;
      const int64_t outer = DimProduct(shape, 0, d), inner = DimProduct(shape, d + 1, shape.size());
      const int64_t in_dim = shape[d], out_dim = out_shape_[d];
      next.assign(static_cast<size_t>(outer * out_dim * inner), 0.0f);
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < out_dim; ++j) {
          float* dst = next.data() + (o * out_dim + j) * inner;
          const auto& taps = plan.taps[j];
          if (taps.empty()) {
            for (int64_t i = 0; i < inner; ++i) dst[i] = extrapolation_;
            continue;
          }
          for (int64_t i = 0; i < inner; ++i) {
            double acc = 0.0;
            for (const Tap& t : taps) acc += t.weight * current[(o * in_dim + t.index) * inner + i];
            dst[i] = static_cast<float>(acc);
          }
        }
      }
      shape[d] = out_dim;
      current.swap(next);
    }
    std::copy(current.begin(), current.end(), ctx->outputs[0].as<float>());
    return Status::Ok();
  }

 private:
  // `out` is the resized length in_length * scale, kept fractional as the ONNX reference does;
  // `out_int` is the actual output size.
  double SourceCoordinate(double x, double scale, int64_t in, int64_t out_int, double r0,
                          double r1) const {
    const double out = scale * static_cast<double>(in);
    if (transform_ == "half_pixel") return (x + 0.5) / scale - 0.5;
    if (transform_ == "pytorch_half_pixel") return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    if (transform_ == "align_corners")
      return out == 1 ? 0.0 : x * static_cast<double>(in - 1) / (out - 1);
    if (transform_ == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
    if (transform_ == "tf_crop_and_resize") {
      return out > 1 ? r0 * (in - 1) + x * (r1 - r0) * (in - 1) / (out - 1)
                     : 0.5 * (r0 + r1) * (in - 1);
    }
    if (transform_ == "half_pixel_symmetric") {
      const double adjustment = static_cast<double>(out_int) / out;
      const double center = static_cast<double>(in) / 2.0;
      return center * (1.0 - adjustment) + (x + 0.5) / scale - 0.5;
    }
    return x / scale;  // asymmetric
  }

  int64_t NearestIndex(double x) const {
    if (nearest_mode_ == "floor") return static_cast<int64_t>(std::floor(x));
    if (nearest_mode_ == "ceil") return static_cast<int64_t>(std::ceil(x));
    const double f = std::floor(x);
    if (x - f == 0.5) return static_cast<int64_t>(nearest_mode_ == "round_prefer_ceil" ? f + 1 : f);
    return static_cast<int64_t>(std::round(x));
  }

  void PlanAxis(size_t d, double scale, double r0, double r1) {
    const int64_t in = in_shape_[d], out = out_shape_[d];
    AxisPlan& plan = axis_plans_[d];
    plan.taps.assign(static_cast<size_t>(out), {});
    plan.identity = in == out && transform_ != "tf_crop_and_resize";
    auto clamp = [&](int64_t i) { return std::min(std::max<int64_t>(i, 0), in - 1); };
    for (int64_t j = 0; j < out; ++j) {
      const double x = SourceCoordinate(static_cast<double>(j), scale, in, out, r0, r1);
      std::vector<Tap>& taps = plan.taps[j];
      if (transform_ == "tf_crop_and_resize" && (x < 0.0 || x > static_cast<double>(in - 1))) {
        plan.identity = false;
        continue;  // extrapolation
      }
      if (mode_ == "nearest") {
        taps.push_back({clamp(NearestIndex(x)), 1.0});
      } else if (mode_ == "cubic") {
        const double x0 = std::floor(x), t = x - x0;
        const double a = cubic_a_;
        const double dist[4] = {1 + t, t, 1 - t, 2 - t};
        double total = 0.0;
        for (int k = 0; k < 4; ++k) {
          const double s = dist[k];
          const double w = s <= 1.0 ? ((a + 2) * s - (a + 3)) * s * s + 1
                                    : ((a * s - 5 * a) * s + 8 * a) * s - 4 * a;
          const int64_t idx = static_cast<int64_t>(x0) - 1 + k;
          if (exclude_outside_ && (idx < 0 || idx >= in)) continue;
          taps.push_back({clamp(idx), w});
          total += w;
        }
        if (exclude_outside_ && total != 0.0)
          for (Tap& tap : taps) tap.weight /= total;
      } else {  // linear
        const double xc = std::min(std::max(x, 0.0), static_cast<double>(in - 1));
        const int64_t x0 = static_cast<int64_t>(std::floor(xc));
        const double w1 = xc - static_cast<double>(x0);
        taps.push_back({x0, 1.0 - w1});
        if (w1 > 0.0) taps.push_back({clamp(x0 + 1), w1});
      }
      if (taps.size() != 1 || taps[0].index != j || taps[0].weight != 1.0) plan.identity = false;
    }
  }

  bool upsample_;
  std::string mode_, transform_, nearest_mode_;
  double cubic_a_ = -0.75;
  bool exclude_outside_ = false;
  float extrapolation_ = 0.0f;
  Shape in_shape_, out_shape_;
  std::vector<AxisPlan> axis_plans_;
};

template <bool kUpsample>
std::unique_ptr<OpKernel> MakeResize(const NodeInfo&) {
  return std::make_unique<ResizeKernel>(kUpsample);
}

}  // namespace

void RegisterResizeOps(KernelRegistry* r) {
  r->Add("Resize", &MakeResize<false>);
  r->Add("Upsample", &MakeResize<true>);
}

}  // namespace ref
}  // namespace tv
