// Normalisations over float32 tensors: BatchNormalization (inference), InstanceNormalization,
// LayerNormalization (with optional Mean / InvStdDev outputs) and LRN.
#include <algorithm>
#include <cmath>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

Status RequireFloat(PrepareContext* ctx) {
  for (int i = 0; i < ctx->num_inputs(); ++i) {
    if (ctx->has_input(i) && ctx->input_dtype(i) != DataType::kFloat32) {
      return ctx->Error("only float32 is supported, input %d is %s", i,
                        DataTypeName(ctx->input_dtype(i)));
    }
  }
  return Status::Ok();
}

Status RequireChannelVector(PrepareContext* ctx, int i, int64_t channels) {
  if (NumElements(ctx->input_shape(i)) != channels) {
    return ctx->Error("input %d %s must hold %lld per-channel values", i,
                      ShapeToString(ctx->input_shape(i)).c_str(), static_cast<long long>(channels));
  }
  return Status::Ok();
}

class BatchNormKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(5, 5));
    TV_RETURN_IF_ERROR(RequireFloat(ctx));
    training_ = ctx->attrs().GetInt("training_mode", 0) != 0;
    momentum_ = ctx->attrs().GetFloat("momentum", 0.9f);
    const Shape& x = ctx->input_shape(0);
    if (x.size() < 2) return ctx->Error("input must be N x C x ...");
    channels_ = x[1];
    for (int i = 1; i < 5; ++i) TV_RETURN_IF_ERROR(RequireChannelVector(ctx, i, channels_));
    batch_ = x[0];
    spatial_ = DimProduct(x, 2, x.size());
    epsilon_ = ctx->attrs().GetFloat("epsilon", 1e-5f);
    ctx->SetOutput(0, DataType::kFloat32, x);
    for (int i = 1; i < 3; ++i) {
      if (ctx->has_output(i) && !training_) return ctx->Error("output %d needs training_mode", i);
      if (ctx->has_output(i)) ctx->SetOutput(i, DataType::kFloat32, {channels_});
    }
    // With constant statistics the per-channel affine form is known now: a producer (Conv)
    // can apply it in its epilogue. Run() uses the same Coefficients(), so the same floats.
    fused_a_.clear();
    post_ops_.clear();
    fused_b_.clear();
    const float* p[5] = {};
    bool known = !training_;
    for (int i = 1; i < 5 && known; ++i) {
      p[i] = static_cast<const float*>(ctx->input_value_if_known(i));
      known = p[i] != nullptr;
    }
    if (known) {
      fused_a_.resize(static_cast<size_t>(channels_));
      fused_b_.resize(static_cast<size_t>(channels_));
      for (int64_t c = 0; c < channels_; ++c)
        Coefficients(p[1], p[2], p[3], p[4], c, &fused_a_[c], &fused_b_[c]);
    }
    return Status::Ok();
  }

  bool AsPostOp(PostOp* op) const override {
    if (fused_a_.empty()) return false;
    op->kind = PostOp::Kind::kAffine;
    op->scale = fused_a_.data();
    op->shift = fused_b_.data();
    return true;
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    const float* scale = ctx->inputs[1].as<float>();
    const float* bias = ctx->inputs[2].as<float>();
    const float* mean = ctx->inputs[3].as<float>();
    const float* var = ctx->inputs[4].as<float>();
    float* y = ctx->outputs[0].as<float>();
    std::vector<float> batch_mean, batch_var;
    if (training_) {
      // Training mode normalises with this batch's statistics and updates the running ones.
      ComputeBatchStatistics(x, &batch_mean, &batch_var);
      for (int i = 1; i < 3; ++i) {
        if (ctx->outputs.size() <= static_cast<size_t>(i) || !ctx->outputs[i].data) continue;
        const float* running = i == 1 ? mean : var;
        const std::vector<float>& current = i == 1 ? batch_mean : batch_var;
        float* out = ctx->outputs[i].as<float>();
        for (int64_t c = 0; c < channels_; ++c)
          out[c] = running[c] * momentum_ + current[c] * (1 - momentum_);
      }
      mean = batch_mean.data();
      var = batch_var.data();
    }
    ctx->pool->ParallelFor(batch_ * channels_, 1, [&](int64_t begin, int64_t end) {
      for (int64_t nc = begin; nc < end; ++nc) {
        const int64_t c = nc % channels_;
        float a, b;
        Coefficients(scale, bias, mean, var, c, &a, &b);
        const float* src = x + nc * spatial_;
        float* dst = y + nc * spatial_;
        for (int64_t i = 0; i < spatial_; ++i) dst[i] = src[i] * a + b;
        if (!post_ops_.empty()) {  // fused consumers, while the plane is in cache
          GemmEpilogue ep;
          ep.ops = post_ops_.data();
          ep.num_ops = static_cast<int>(post_ops_.size());
          ep.first_channel = c;
          ApplyEpilogue(ep, 1, spatial_, dst, spatial_);
        }
      }
    });
    return Status::Ok();
  }

  // Inference batch norm is itself per channel: the Mul/Add/Relu chains that follow it in
  // pre-activation nets (DenseNet) run in the same pass.
  bool FusePostOp(const PostOp& op) override {
    if (training_) return false;
    post_ops_.push_back(op);
    return true;
  }

  int64_t Flops() const override { return 2 * batch_ * channels_ * spatial_; }

 private:
  // y = x * a + b for channel c.
  void Coefficients(const float* scale, const float* bias, const float* mean, const float* var,
                    int64_t c, float* a, float* b) const {
    *a = scale[c] / std::sqrt(var[c] + epsilon_);
    *b = bias[c] - mean[c] * *a;
  }

  void ComputeBatchStatistics(const float* x, std::vector<float>* mean,
                              std::vector<float>* var) const {
    mean->assign(channels_, 0.0f);
    var->assign(channels_, 0.0f);
    const double count = static_cast<double>(batch_ * spatial_);
    for (int64_t c = 0; c < channels_; ++c) {
      double sum = 0.0, sq = 0.0;
      for (int64_t n = 0; n < batch_; ++n) {
        const float* p = x + (n * channels_ + c) * spatial_;
        for (int64_t i = 0; i < spatial_; ++i) sum += p[i];
      }
      const double m = sum / count;
      for (int64_t n = 0; n < batch_; ++n) {
        const float* p = x + (n * channels_ + c) * spatial_;
        for (int64_t i = 0; i < spatial_; ++i) sq += (p[i] - m) * (p[i] - m);
      }
      (*mean)[c] = static_cast<float>(m);
      (*var)[c] = static_cast<float>(sq / count);
    }
  }

  int64_t batch_ = 0, channels_ = 0, spatial_ = 0;
  float epsilon_ = 1e-5f, momentum_ = 0.9f;
  bool training_ = false;
  std::vector<float> fused_a_, fused_b_;  // x * a + b per channel, when fusable
  std::vector<PostOp> post_ops_;          // consumers fused into this node
};

class InstanceNormKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(3, 3));
    TV_RETURN_IF_ERROR(RequireFloat(ctx));
    const Shape& x = ctx->input_shape(0);
    if (x.size() < 3) return ctx->Error("input must be N x C x spatial");
    channels_ = x[1];
    for (int i = 1; i < 3; ++i) TV_RETURN_IF_ERROR(RequireChannelVector(ctx, i, channels_));
    planes_ = x[0] * x[1];
    spatial_ = DimProduct(x, 2, x.size());
    epsilon_ = ctx->attrs().GetFloat("epsilon", 1e-5f);
    ctx->SetOutput(0, DataType::kFloat32, x);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    const float* scale = ctx->inputs[1].as<float>();
    const float* bias = ctx->inputs[2].as<float>();
    float* y = ctx->outputs[0].as<float>();
    for (int64_t p = 0; p < planes_; ++p) {
      const float* src = x + p * spatial_;
      double mean = 0.0, var = 0.0;
      for (int64_t i = 0; i < spatial_; ++i) mean += src[i];
      mean /= static_cast<double>(spatial_);
      for (int64_t i = 0; i < spatial_; ++i) var += (src[i] - mean) * (src[i] - mean);
      var /= static_cast<double>(spatial_);
      const int64_t c = p % channels_;
      const double a = scale[c] / std::sqrt(var + epsilon_);
      for (int64_t i = 0; i < spatial_; ++i) {
        y[p * spatial_ + i] = static_cast<float>((src[i] - mean) * a + bias[c]);
      }
    }
    return Status::Ok();
  }

 private:
  int64_t channels_ = 0, planes_ = 0, spatial_ = 0;
  float epsilon_ = 1e-5f;
};

class LayerNormKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 3));
    TV_RETURN_IF_ERROR(RequireFloat(ctx));
    const Shape& x = ctx->input_shape(0);
    int64_t axis;
    Status s =
        NormalizeAxis(ctx->attrs().GetInt("axis", -1), static_cast<int64_t>(x.size()), &axis);
    if (!s.ok()) return ctx->Error("%s", s.message());
    rows_ = DimProduct(x, 0, axis);
    cols_ = DimProduct(x, axis, x.size());
    const Shape norm(x.begin() + axis, x.end());
    for (int i = 1; i < 3; ++i) {
      if (!ctx->has_input(i)) continue;
      Shape b;
      if (!BroadcastShapes(norm, ctx->input_shape(i), &b).ok() || b != norm) {
        return ctx->Error("input %d %s does not broadcast to %s", i,
                          ShapeToString(ctx->input_shape(i)).c_str(), ShapeToString(norm).c_str());
      }
      param_strides_[i - 1] = BroadcastStrides(ctx->input_shape(i), norm);
    }
    norm_shape_ = norm;
    epsilon_ = ctx->attrs().GetFloat("epsilon", 1e-5f);
    ctx->SetOutput(0, DataType::kFloat32, x);
    Shape stats = x;
    for (size_t d = axis; d < stats.size(); ++d) stats[d] = 1;
    if (ctx->has_output(1)) ctx->SetOutput(1, DataType::kFloat32, stats);
    if (ctx->has_output(2)) ctx->SetOutput(2, DataType::kFloat32, stats);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    const float* scale = ctx->inputs[1].as<float>();
    const float* bias = ctx->inputs.size() > 2 ? ctx->inputs[2].as<float>() : nullptr;
    float* y = ctx->outputs[0].as<float>();
    float* mean_out = ctx->outputs.size() > 1 ? ctx->outputs[1].as<float>() : nullptr;
    float* inv_out = ctx->outputs.size() > 2 ? ctx->outputs[2].as<float>() : nullptr;
    // Expand broadcast scale/bias to the normalised block once per run.
    std::vector<float> s(cols_), b(cols_, 0.0f);
    ForEachBroadcast(norm_shape_, norm_shape_, norm_shape_, [&](int64_t o, int64_t, int64_t) {
      int64_t rem = o, off_s = 0, off_b = 0;
      for (int d = static_cast<int>(norm_shape_.size()) - 1; d >= 0; --d) {
        const int64_t i = rem % norm_shape_[d];
        rem /= norm_shape_[d];
        off_s += i * param_strides_[0][d];
        if (bias) off_b += i * param_strides_[1][d];
      }
      s[o] = scale[off_s];
      if (bias) b[o] = bias[off_b];
    });
    for (int64_t r = 0; r < rows_; ++r) {
      const float* src = x + r * cols_;
      double mean = 0.0, var = 0.0;
      for (int64_t i = 0; i < cols_; ++i) mean += src[i];
      mean /= static_cast<double>(cols_);
      for (int64_t i = 0; i < cols_; ++i) var += (src[i] - mean) * (src[i] - mean);
      var /= static_cast<double>(cols_);
      const double inv = 1.0 / std::sqrt(var + epsilon_);
      for (int64_t i = 0; i < cols_; ++i) {
        y[r * cols_ + i] = static_cast<float>((src[i] - mean) * inv * s[i] + b[i]);
      }
      if (mean_out) mean_out[r] = static_cast<float>(mean);
      if (inv_out) inv_out[r] = static_cast<float>(inv);
    }
    return Status::Ok();
  }

 private:
  int64_t rows_ = 0, cols_ = 0;
  Shape norm_shape_;
  std::vector<int64_t> param_strides_[2];
  float epsilon_ = 1e-5f;
};

class LrnKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    TV_RETURN_IF_ERROR(RequireFloat(ctx));
    const Shape& x = ctx->input_shape(0);
    if (x.size() < 3) return ctx->Error("input must be N x C x spatial");
    size_ = ctx->attrs().GetInt("size", 0);
    if (size_ < 1) return ctx->Error("size must be positive");
    alpha_ = ctx->attrs().GetFloat("alpha", 1e-4f);
    beta_ = ctx->attrs().GetFloat("beta", 0.75f);
    bias_ = ctx->attrs().GetFloat("bias", 1.0f);
    batch_ = x[0];
    channels_ = x[1];
    spatial_ = DimProduct(x, 2, x.size());
    ctx->SetOutput(0, DataType::kFloat32, x);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    float* y = ctx->outputs[0].as<float>();
    const int64_t before = (size_ - 1) / 2, after = size_ - 1 - before;
    ctx->pool->ParallelFor(batch_ * channels_, 1, [&](int64_t begin, int64_t end) {
      for (int64_t nc = begin; nc < end; ++nc) {
        const int64_t n = nc / channels_, c = nc % channels_;
        const int64_t lo = std::max<int64_t>(0, c - before),
                      hi = std::min(channels_ - 1, c + after);
        // Blocks of positions, channels outer: contiguous loads, and each position still sums
        // its channels in ascending order.
        constexpr int64_t kBlock = 256;
        float sum[kBlock];
        for (int64_t i0 = 0; i0 < spatial_; i0 += kBlock) {
          const int64_t len = std::min(kBlock, spatial_ - i0);
          std::fill(sum, sum + len, 0.0f);
          for (int64_t k = lo; k <= hi; ++k) {
            const float* xk = x + (n * channels_ + k) * spatial_ + i0;
            for (int64_t i = 0; i < len; ++i) sum[i] += xk[i] * xk[i];
          }
          const float* src = x + nc * spatial_ + i0;
          float* dst = y + nc * spatial_ + i0;
          for (int64_t i = 0; i < len; ++i)
            dst[i] = src[i] / std::pow(bias_ + alpha_ / static_cast<float>(size_) * sum[i], beta_);
        }
      }
    });
    return Status::Ok();
  }

  int64_t Flops() const override { return batch_ * channels_ * spatial_ * (2 * size_ + 3); }

 private:
  int64_t size_ = 1, batch_ = 0, channels_ = 0, spatial_ = 0;
  float alpha_ = 1e-4f, beta_ = 0.75f, bias_ = 1.0f;
};

}  // namespace

void RegisterNormalizationOps(KernelRegistry* r) {
  r->Add("BatchNormalization", &MakeKernel<BatchNormKernel>);
  r->Add("InstanceNormalization", &MakeKernel<InstanceNormKernel>);
  r->Add("LayerNormalization", &MakeKernel<LayerNormKernel>);
  r->Add("LRN", &MakeKernel<LrnKernel>);
}

}  // namespace ref
}  // namespace tv
