#include "reports/report_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace tv {
namespace reports {
namespace {

Status WriteFile(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  TV_CHECK_OR_RETURN(f != nullptr, "%s: cannot create: %s", path.c_str(), std::strerror(errno));
  const size_t written = std::fwrite(text.data(), 1, text.size(), f);
  const bool closed = std::fclose(f) == 0;
  TV_CHECK_OR_RETURN(written == text.size() && closed, "%s: write failed", path.c_str());
  return Status::Ok();
}

}  // namespace

Status WriteAll(const verify::VerifyResult& r, const std::string& dir) {
  TV_CHECK_OR_RETURN(!dir.empty(), "report directory is empty");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  TV_CHECK_OR_RETURN(!ec, "%s: cannot create report directory: %s", dir.c_str(),
                     ec.message().c_str());
  TV_CHECK_OR_RETURN(std::filesystem::is_directory(dir, ec), "%s: not a directory", dir.c_str());
  const std::string base = dir + "/";
  TV_RETURN_IF_ERROR(WriteFile(base + "report.json", RenderJson(r)));
  TV_RETURN_IF_ERROR(WriteFile(base + "samples.csv", RenderSamplesCsv(r)));
  TV_RETURN_IF_ERROR(WriteFile(base + "report.md", RenderMarkdown(r)));
  TV_RETURN_IF_ERROR(WriteFile(base + "report.html", RenderHtml(r)));
  TV_RETURN_IF_ERROR(WriteFile(base + "junit.xml", RenderJunit(r)));
  return Status::Ok();
}

}  // namespace reports
}  // namespace tv
