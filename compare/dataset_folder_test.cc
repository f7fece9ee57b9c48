// Folder datasets: class subfolders of images or .npy samples, their labels and channels.
#include <gtest/gtest.h>
#include <stb/stb_image_write.h>

#include <filesystem>
#include <string>
#include <vector>

#include "compare/dataset.h"
#include "compare/dataset_test_util.h"
#include "compare/npy.h"

namespace tv {
namespace verify {
namespace {

namespace fs = std::filesystem;
using testing_util::At;
using testing_util::DatasetTest;
using testing_util::Floats;
using testing_util::Ints;
using testing_util::Le16;
using testing_util::Le32;
using testing_util::ReadAll;
using FolderDatasetTest = DatasetTest;

TEST_F(FolderDatasetTest, ImageFolderWithClasses) {
  fs::create_directories(dir_ / "imgs" / "cat");
  fs::create_directories(dir_ / "imgs" / "dog");
  std::vector<uint8_t> px(4 * 2 * 3, 9);
  ASSERT_TRUE(stbi_write_png(Path("imgs/dog/a.png").c_str(), 4, 2, 3, px.data(), 12));
  ASSERT_TRUE(stbi_write_bmp(Path("imgs/cat/z.bmp").c_str(), 4, 2, 3, px.data()));
  Write("imgs/README.txt", "ignored");
  std::vector<Sample> s;
  ASSERT_EQ(ReadAll(Path("imgs"), {}, &s), "");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].id, "cat/z.bmp");
  EXPECT_EQ(s[0].label, 0);
  EXPECT_EQ(s[1].label, 1);
  EXPECT_EQ(s[1].x.shape, (std::vector<int64_t>{2, 4, 3}));
  EXPECT_EQ(At(s[1].x, 5, DataType::kUInt8), 9.0f);
}

// Greyscale BMPs are stored with a grey palette (stb expands it to RGB): they stay one channel,
// and later images are decoded to the first one's channels (alpha dropped).
TEST_F(FolderDatasetTest, GreyPaletteBmpAndRgbaPngDecodeToOneChannel) {
  std::string bmp = "BM";
  Le32(&bmp, 14 + 40 + 1024 + 8), Le32(&bmp, 0), Le32(&bmp, 14 + 40 + 1024);
  Le32(&bmp, 40), Le32(&bmp, 2), Le32(&bmp, 2), Le16(&bmp, 1), Le16(&bmp, 8);
  for (int i = 0; i < 6; ++i) Le32(&bmp, 0);  // no compression, sizes, resolution, colours
  for (int i = 0; i < 256; ++i) bmp.append({char(i), char(i), char(i), char(0)});
  bmp.append({char(30), char(40), char(0), char(0), char(10), char(20), char(0), char(0)});
  fs::create_directories(dir_ / "g" / "a");
  Write("g/a/p.bmp", bmp);
  std::vector<uint8_t> rgba(2 * 2 * 4, 200);
  ASSERT_TRUE(stbi_write_png(Path("g/a/q.png").c_str(), 2, 2, 4, rgba.data(), 8));
  std::vector<Sample> s;
  ASSERT_EQ(ReadAll(Path("g"), {}, &s), "");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].x.shape, (std::vector<int64_t>{2, 2, 1}));
  EXPECT_EQ((std::vector<float>{At(s[0].x, 0, DataType::kUInt8), At(s[0].x, 1, DataType::kUInt8),
                                At(s[0].x, 2, DataType::kUInt8), At(s[0].x, 3, DataType::kUInt8)}),
            (std::vector<float>{10, 20, 30, 40}));
  EXPECT_EQ(s[1].x.shape, (std::vector<int64_t>{2, 2, 1}));
  EXPECT_EQ(At(s[1].x, 3, DataType::kUInt8), 200.0f);
  // stb decodes a truncated BMP with zeros for the missing rows; the reader refuses it.
  for (size_t cut : {size_t{30}, bmp.size() - 1}) {
    Write("g/a/p.bmp", bmp.substr(0, cut));
    s.clear();
    const std::string err = ReadAll(Path("g"), {}, &s);
    EXPECT_NE(err.find("p.bmp: truncated BMP"), std::string::npos) << cut << ": " << err;
  }
}

// Positions in a sorted listing shift when a class has no subfolder, and "11" sorts before "7":
// numbered subfolders are labelled by their number, named ones by --class-names when given.
TEST_F(FolderDatasetTest, FolderLabelsFromNumbersOrClassNames) {
  for (const char* d : {"num/11", "num/7", "num/0", "named/dog", "named/bird"})
    fs::create_directories(dir_ / d);
  for (const char* f :
       {"num/11/a.npy", "num/7/b.npy", "num/0/c.npy", "named/dog/d.npy", "named/bird/e.npy"})
    ASSERT_TRUE(WriteNpy(Path(f), Floats({3})).ok());
  std::vector<Sample> s;
  ASSERT_EQ(ReadAll(Path("num"), {}, &s), "");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].id, "0/c.npy");
  EXPECT_EQ(s[0].label, 0);
  EXPECT_EQ(s[1].label, 11);
  EXPECT_EQ(s[2].label, 7);
  DatasetOptions o;
  o.class_names = {"cat", "dog", "bird"};
  s.clear();
  ASSERT_EQ(ReadAll(Path("named"), o, &s), "");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].label, 2);  // bird
  EXPECT_EQ(s[1].label, 1);  // dog
  o.class_names = {"cat", "dog"};
  const std::string err = ReadAll(Path("named"), o, &s);
  EXPECT_NE(err.find("'bird' is not one of the 2 --class-names"), std::string::npos) << err;
}

TEST_F(FolderDatasetTest, NpySampleFolder) {
  fs::create_directories(dir_ / "f" / "a");
  ASSERT_TRUE(WriteNpy(Path("f/a/0.npy"), Floats({5})).ok());
  ASSERT_TRUE(WriteNpy(Path("f/a/1.npy"), Floats({6})).ok());
  std::vector<Sample> s;
  const std::string err = ReadAll(Path("f"), {}, &s);
  EXPECT_NE(err.find("f/a/1.npy"), std::string::npos) << err;
  EXPECT_NE(err.find("differs"), std::string::npos) << err;
}

}  // namespace
}  // namespace verify
}  // namespace tv
