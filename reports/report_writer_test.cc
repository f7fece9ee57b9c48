#include "reports/report_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "compare/analysis.h"
#include "reports/model_info_json.h"
#include "reports/synthetic_run.h"

namespace tv {
namespace reports {
namespace {

using Json = nlohmann::json;

verify::VerifyResult Synthetic(int32_t variants, bool regression = false) {
  SyntheticOptions o;
  o.variants = variants;
  o.regression = regression;
  o.samples = 300;
  verify::VerifyResult r;
  const Status s = RunSynthetic(o, &r);
  EXPECT_TRUE(s.ok()) << s.message();
  return r;
}

const Json& At(const Json& j, const std::string& dotted) {
  const Json* node = &j;
  std::stringstream ss(dotted);
  std::string key;
  while (std::getline(ss, key, '.')) {
    EXPECT_TRUE(node->is_object() && node->contains(key)) << dotted;
    if (!node->is_object() || !node->contains(key)) return j;
    node = &(*node)[key];
  }
  return *node;
}

TEST(ReportJson, ParsesBackWithRequiredKeys) {
  const verify::VerifyResult r = Synthetic(1);
  const Json j = Json::parse(RenderJson(r));
  EXPECT_EQ(j["schema"], "tinyverify.report/1");
  EXPECT_EQ(j["n"], 300);
  for (const char* key :
       {"ref.top1", "tiny.top1", "ref.top5", "tiny.top5", "paired.top1_drop_pp",
        "paired.top1_drop_ci95_pp", "paired.agreement", "paired.mcnemar_p", "paired.kappa",
        "paired.flips.ref_right_tiny_wrong", "paired.flips.ref_wrong_tiny_right",
        "paired.high_conf_flips", "per_class", "gates", "passed", "variants"}) {
    At(j, key);
  }
  EXPECT_DOUBLE_EQ(At(j, "tiny.top1").get<double>(), r.variants[0].tiny.top1);
  EXPECT_EQ(At(j, "paired.top1_drop_ci95_pp").size(), 2u);
  EXPECT_EQ(j["per_class"].size(), 10u);
  EXPECT_EQ(j["passed"].get<bool>(), r.passed);
  EXPECT_EQ(j["gates"].size(), r.gates.size());
}

TEST(ReportJson, SeveralVariantsKeepFirstAtTopLevel) {
  const verify::VerifyResult r = Synthetic(3);
  const Json j = Json::parse(RenderJson(r));
  ASSERT_EQ(j["variants"].size(), 3u);
  EXPECT_EQ(j["tiny"]["name"], j["variants"][0]["name"]);
  EXPECT_EQ(j["paired"], j["variants"][0]["paired"]);
  EXPECT_EQ(j["gates"][0]["values"].size(), 3u);
}

TEST(ReportJson, RegressionRunHasNullAccuracy) {
  const verify::VerifyResult r = Synthetic(1, /*regression=*/true);
  const Json j = Json::parse(RenderJson(r));
  EXPECT_EQ(j["task"], "regression");
  EXPECT_TRUE(j["ref"]["top1"].is_null());
  EXPECT_TRUE(j["regression"]["mae"].is_number());
  EXPECT_TRUE(j["regression"]["ref_mae_target"].is_number());
}

TEST(SamplesCsv, OneRowPerSampleWithSuffixedVariants) {
  const verify::VerifyResult r = Synthetic(2);
  std::stringstream csv(RenderSamplesCsv(r));
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header,
            "id,label,ref_pred,tiny_pred,ref_conf,tiny_conf,max_abs_diff,kl,"
            "tiny_pred_v1,tiny_conf_v1,max_abs_diff_v1,kl_v1");
  int rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 11) << line;
  }
  EXPECT_EQ(rows, 300);
}

// Minimal well-formedness: every opened element is closed in order.
bool BalancedXml(const std::string& xml) {
  std::vector<std::string> stack;
  size_t p = 0;
  while ((p = xml.find('<', p)) != std::string::npos) {
    const size_t e = xml.find('>', p);
    if (e == std::string::npos) return false;
    std::string tag = xml.substr(p + 1, e - p - 1);
    p = e + 1;
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    if (tag.back() == '/') continue;
    const std::string name =
        tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" /", 1) - (tag[0] == '/' ? 1 : 0));
    if (tag[0] == '/') {
      if (stack.empty() || stack.back() != name) return false;
      stack.pop_back();
    } else {
      stack.push_back(name);
    }
  }
  return stack.empty();
}

TEST(Junit, OneTestcasePerGateAndWellFormed) {
  const verify::VerifyResult r = Synthetic(1);
  const std::string xml = RenderJunit(r);
  EXPECT_TRUE(BalancedXml(xml)) << xml;
  size_t cases = 0;
  for (size_t p = 0; (p = xml.find("<testcase ", p)) != std::string::npos; ++p) ++cases;
  EXPECT_EQ(cases, r.gates.size());
  EXPECT_NE(xml.find("top1_drop&lt;=1.0"), std::string::npos);
}

TEST(WriteAll, WritesEveryFileAndRefusesAFileAsDirectory) {
  const verify::VerifyResult r = Synthetic(1);
  const std::string dir = testing::TempDir() + "/tv_report_test";
  ASSERT_TRUE(WriteAll(r, dir).ok());
  for (const char* f : {"report.json", "samples.csv", "report.md", "report.html", "junit.xml"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f;
  }
  EXPECT_FALSE(WriteAll(r, dir + "/report.json").ok());
  const std::string html = RenderHtml(r);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // self-contained
  EXPECT_NE(RenderSummary(r).find("result: "), std::string::npos);
  EXPECT_NE(RenderMarkdown(r).find("| metric |"), std::string::npos);
}

}  // namespace
}  // namespace reports
}  // namespace tv

namespace tv {
namespace reports {
namespace {

TEST(ModelInfoJson, InvalidUtf8NamesAreReplacedNotThrown) {
  ModelInfo info;
  info.format = "tflite";
  TensorInfoRow t;
  t.name = "conv\xff\xfe";
  info.tensors.push_back(t);
  const std::string text = ModelInfoToJson(info);
  const nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["tensors"][0]["name"], "conv\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(Reports, UnlabeledClassificationAndInvalidUtf8Ids) {
  verify::Analyzer a(verify::AnalysisConfig(), 1);
  for (int i = 0; i < 20; ++i) {
    verify::SampleOutputs s;
    s.index = i;
    s.id = std::string("bad\xff\xfe_") + std::to_string(i);
    s.ref = {0.6f, 0.3f, 0.1f};
    s.tiny = {{i % 5 == 0 ? 0.2f : 0.6f, 0.4f, 0.1f}};
    ASSERT_TRUE(a.Add(s).ok());
  }
  verify::VerifyResult r;
  ASSERT_TRUE(a.Finish(verify::VerifySetup(), &r).ok());
  EXPECT_FALSE(r.has_labels);
  EXPECT_FALSE(verify::EvaluateGates("top1_drop<=1", &r).ok());
  ASSERT_TRUE(verify::EvaluateGates("agreement>=0.9", &r).ok());
  EXPECT_FALSE(r.passed);  // 4 of 20 disagree
  const nlohmann::json j = nlohmann::json::parse(RenderJson(r));
  EXPECT_TRUE(j["ref"]["top1"].is_null());
  EXPECT_TRUE(j["paired"]["top1_drop_pp"].is_null());
  EXPECT_DOUBLE_EQ(j["paired"]["agreement"].get<double>(), 0.8);
  EXPECT_NE(RenderHtml(r).find("agreement"), std::string::npos);
  EXPECT_NE(RenderSamplesCsv(r).find(",,0,"), std::string::npos);  // empty label
}

}  // namespace
}  // namespace reports
}  // namespace tv
