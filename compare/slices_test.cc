#include "compare/slices.h"

#include <gtest/gtest.h>

#include <string>

namespace tv {
namespace verify {
namespace {

TEST(Slices, ParsesHeaderCommentsQuotesAndRepeatedIds) {
  SliceMap m;
  const Status s = ParseSlices(
      "sample_id,tag\n# comment\n\nclip_1.wav,gunshot\r\n\"a,b.wav\",champagne_cork\n"
      "clip_1.wav, night \nclip_1.wav,gunshot\n\"q\"\"x\",t,u",
      &m);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m["clip_1.wav"], (std::vector<std::string>{"gunshot", "night"}));
  EXPECT_EQ(m["a,b.wav"], std::vector<std::string>{"champagne_cork"});
  EXPECT_EQ(m["q\"x"], (std::vector<std::string>{"t", "u"}));
}

TEST(Slices, ErrorsNameTheLine) {
  SliceMap m;
  for (const char* bad : {"a\n", "a,b,\n", ",tag\n", "id,\n", "x,y\n\"open,tag\n"}) {
    const Status s = ParseSlices(bad, &m);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(std::string(s.message()).find("line"), std::string::npos) << s.message();
  }
  const Status missing = LoadSlices("/nonexistent/slices.csv", &m);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.message()).find("/nonexistent/slices.csv"), std::string::npos);
}

}  // namespace
}  // namespace verify
}  // namespace tv
