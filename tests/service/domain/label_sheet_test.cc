// Serial labels: what libzint draws must read back, through an independent
// decoder (zxing-cpp) and our own parser, as the same unit; sheets hold
// every label; bad data names the item.
#define ZX_USE_UTF8 1
#include "service/domain/label_sheet.h"

#include <png.h>

#include <set>
#include <string>
#include <vector>

#include "ZXing/ReadBarcode.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/gs1.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::domain {
namespace {

using ::smptrace::testing::StatusIs;
using ::testing::HasSubstr;

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> gray;
};

// Decodes an 8-bit grayscale PNG with libpng.
Image DecodePng(const std::string& bytes) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  Image out;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    ADD_FAILURE() << "not a PNG: " << image.message;
    return out;
  }
  image.format = PNG_FORMAT_GRAY;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  out.gray.resize(PNG_IMAGE_SIZE(image));
  EXPECT_TRUE(
      png_image_finish_read(&image, nullptr, out.gray.data(), 0, nullptr))
      << image.message;
  return out;
}

// zxing returns GS1 DataMatrix content with a "]d2" symbology identifier
// and GS separators; hand both to our scanner parser like a scanner would.
ScannedItem ReadBack(const ZXing::Result& r) {
  EXPECT_EQ(r.format(), ZXing::BarcodeFormat::DataMatrix);
  auto item = ParseBarcode(r.symbologyIdentifier() + r.text());
  EXPECT_TRUE(item.ok()) << item.status() << " in " << r.text();
  return item.ok() ? *item : ScannedItem();
}

LabelItem Unit(const std::string& serial) {
  LabelItem item;
  item.gtin = "09506000134352";
  item.lot = "AB-12/x";
  item.expiry = absl::CivilDay(2027, 3, 31);
  item.serial = serial;
  item.caption = "Cartridge 1RL 0.25";
  return item;
}

TEST(LabelSheet, ALabelReadsBackAsTheSameUnitThroughAnIndependentDecoder) {
  auto png = RenderLabelPng(Unit("SMP000000042"));
  ASSERT_TRUE(png.ok()) << png.status();
  Image image = DecodePng(*png);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
  ZXing::Result r = ZXing::ReadBarcode(
      {image.gray.data(), image.width, image.height, ZXing::ImageFormat::Lum},
      hints);
  ASSERT_TRUE(r.isValid());
  EXPECT_EQ(r.symbologyIdentifier(), "]d2");  // GS1 DataMatrix
  ScannedItem item = ReadBack(r);
  EXPECT_EQ(item.gtin, "09506000134352");
  EXPECT_EQ(item.lot, "AB-12/x");
  ASSERT_TRUE(item.expiry.has_value());
  EXPECT_EQ(*item.expiry, absl::CivilDay(2027, 3, 31));
  EXPECT_EQ(item.serial, "SMP000000042");
}

TEST(LabelSheet, EveryLabelOnASheetReadsBackOnce) {
  std::vector<LabelItem> items;
  for (int i = 1; i <= 7; ++i)
    items.push_back(Unit("SMP00000000" + std::to_string(i)));
  auto png = RenderLabelSheetPng(items);
  ASSERT_TRUE(png.ok()) << png.status();
  Image image = DecodePng(*png);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
  // Four symbols to a row, in equal square cells: read each cell as a
  // scanner would read one label.
  const int cell = image.width / 4;
  ASSERT_EQ(image.height, 2 * cell);
  std::multiset<std::string> serials;
  for (int row = 0; row < 2; ++row) {
    for (int col = 0; col < 4; ++col) {
      const uint8_t* origin = image.gray.data() +
                              static_cast<size_t>(row * cell) * image.width +
                              col * cell;
      ZXing::Result r = ZXing::ReadBarcode(
          {origin, cell, cell, ZXing::ImageFormat::Lum, image.width}, hints);
      if (r.isValid()) serials.insert(ReadBack(r).serial);
    }
  }
  ASSERT_EQ(serials.size(), 7u);
  for (const auto& item : items) EXPECT_EQ(serials.count(item.serial), 1u);
}

TEST(LabelSheet, PdfHasOnePagePerThirtyLabelsAndTheTextLines) {
  std::vector<LabelItem> items;
  for (int i = 0; i < 31; ++i) items.push_back(Unit("S" + std::to_string(i)));
  auto pdf = RenderLabelSheetPdf(items);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  size_t pages = 0;
  for (size_t at = pdf->find("/Type /Page\r"); at != std::string::npos;
       at = pdf->find("/Type /Page\r", at + 1)) {
    ++pages;
  }
  size_t pages_lf = 0;
  for (size_t at = pdf->find("/Type /Page\n"); at != std::string::npos;
       at = pdf->find("/Type /Page\n", at + 1)) {
    ++pages_lf;
  }
  EXPECT_EQ(pages + pages_lf, 2u);
  // Text streams are not compressed: the lines are in the file ('/' is
  // written as the PDF escape \057).
  EXPECT_NE(pdf->find("(LOT AB-12\\057x)"), std::string::npos);
  EXPECT_NE(pdf->find("(SN S30)"), std::string::npos);
  EXPECT_NE(pdf->find("(EXP 2027-03-31)"), std::string::npos);
  EXPECT_NE(pdf->find("(GTIN 09506000134352)"), std::string::npos);
}

TEST(LabelSheet, DataThatCannotBeAGs1SymbolNamesTheItem) {
  std::vector<LabelItem> items = {Unit("S1"), Unit("S2")};
  items[1].lot = "LOT WITH SPACE";  // not GS1 character set 82
  EXPECT_THAT(RenderLabelSheetPdf(items),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("items[1]: lot: ' ' (0x20) is not in GS1 "
                                 "character set 82")));
  EXPECT_THAT(
      RenderLabelSheetPng(items),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("items[1]")));
}

}  // namespace
}  // namespace smptrace::domain

namespace smptrace::domain {
namespace {

TEST(LabelSheet, AnAccentedCaptionIsWrittenInThePdfsWinAnsiEncoding) {
  LabelItem item = Unit("S1");
  item.caption = "Tätowiernadel – 1RL";
  auto pdf = RenderLabelSheetPdf({item});
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  // 'ä' is 0xE4 and '–' 0x96 in WinAnsi; libharu writes them as octal escapes.
  EXPECT_NE(pdf->find("(T\\344towiernadel \\226 1RL)"), std::string::npos);
}

}  // namespace
}  // namespace smptrace::domain
