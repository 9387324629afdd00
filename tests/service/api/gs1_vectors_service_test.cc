// GS1's reference engine's test vectors (tests/testdata/gs1-syntax-engine,
// see its README.md) sent through the service as a scanner would send them,
// the measurement of issue 14:
//  - every valid vector carrying a GTIN (AI 01, or 02 on a logistic label) is
//    received by Receive with the GTIN, lot, expiry and serial the engine's
//    AI data gives (a lot the barcode lacks is typed, as a practitioner
//    would); one whose expiry has passed is refused as expired;
//  - a sample of them is then scanned into a session by ScanConsumable;
//  - every invalid vector is refused by Receive with INVALID_ARGUMENT and
//    nothing is written.
// Digital Link vectors too (dl.tsv, and the scandata.c scans carrying one).

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/gs1_vectors.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::TestParamInfo;
using ::testing::ValuesIn;
using ::testing::WithParamInterface;

// The fixture clock's day (clinic_fixture.h: 2026-11-23 09:00 UTC).
const absl::CivilDay kToday(2026, 11, 23);

// GS1 YYMMDD -> day: century by GS1 General Specifications §7.12 around
// 2026 (1977..2076), day 00 = the month's last day.
absl::CivilDay Gs1Day(const std::string& yymmdd) {
  int yy = 0, mm = 0, dd = 0;
  EXPECT_TRUE(absl::SimpleAtoi(yymmdd.substr(0, 2), &yy) &&
              absl::SimpleAtoi(yymmdd.substr(2, 2), &mm) &&
              absl::SimpleAtoi(yymmdd.substr(4, 2), &dd))
      << yymmdd;
  int year = 2000 + yy;
  if (year - 2026 >= 51) year -= 100;
  if (year - 2026 <= -50) year += 100;
  if (dd == 0) {
    return absl::CivilDay(absl::CivilMonth(year, mm) + 1) - 1;
  }
  return absl::CivilDay(year, mm, dd);
}

// The GTIN a vector names (AI 01, else the content GTIN of AI 02).
std::string GtinOf(const Gs1Vector& v) {
  std::string gtin = v.Value("01");
  return gtin.empty() ? v.Value("02") : gtin;
}

std::vector<Gs1Vector> ValidWithGtin(bool digital_link) {
  std::vector<Gs1Vector> out;
  for (const char* file : {"scandata.tsv", "ai.tsv", "dl.tsv"}) {
    for (Gs1Vector& v : LoadGs1Vectors(file)) {
      if (!v.load_error.empty() || (v.valid && !GtinOf(v).empty() &&
                                    v.IsDigitalLink() == digital_link)) {
        out.push_back(std::move(v));
      }
    }
  }
  return out;
}

// Vectors that can be received on one store: no two name the same lot with
// other dates, or the same serial. Each group gets a server of its own.
// Whether `a` and `b` cannot both be received on one store: they name the
// same lot with other dates, or the same serial.
bool Clash(const Gs1Vector& a, const Gs1Vector& b) {
  if (!a.load_error.empty() || !b.load_error.empty()) return false;
  if (GtinOf(a) != GtinOf(b)) return false;
  const bool same_lot =
      !a.Value("10").empty() && a.Value("10") == b.Value("10");
  const bool other_dates =
      a.Value("17") != b.Value("17") || a.Value("11") != b.Value("11");
  const bool same_serial =
      !a.Value("21").empty() && a.Value("21") == b.Value("21");
  return (same_lot && other_dates) || same_serial;
}

struct VectorGroup {
  std::vector<Gs1Vector> vectors;

  friend void PrintTo(const VectorGroup& g, std::ostream* os) {
    *os << g.vectors.size() << " vectors";
    if (!g.vectors.empty()) {
      *os << ", " << g.vectors.front().id << " .. " << g.vectors.back().id;
    }
  }
};

std::vector<VectorGroup> Groups(bool digital_link) {
  std::vector<VectorGroup> groups;
  for (Gs1Vector& v : ValidWithGtin(digital_link)) {
    auto clashes = [&v](const Gs1Vector& o) { return Clash(v, o); };
    bool placed = false;
    for (VectorGroup& group : groups) {
      if (std::none_of(group.vectors.begin(), group.vectors.end(), clashes)) {
        group.vectors.push_back(v);
        placed = true;
        break;
      }
    }
    if (!placed) groups.push_back({{v}});
  }
  return groups;
}

std::string GroupName(const TestParamInfo<VectorGroup>& info) {
  return absl::StrCat("group", info.index, "_of_", info.param.vectors.size(),
                      "_vectors");
}

class Gs1VectorReceiveTest : public ClinicServerTest,
                             public WithParamInterface<VectorGroup> {};

// Receive takes each with the engine's values (an expired one: refused as
// expired, nothing written). A lot the barcode lacks is typed, one of its
// own per vector.
TEST_P(Gs1VectorReceiveTest, ReceivedWithTheEnginesValues) {
  int typed = 0;
  for (const Gs1Vector& v : GetParam().vectors) {
    ASSERT_TRUE(v.load_error.empty()) << v.load_error;
    SCOPED_TRACE(absl::StrCat(v.id, " (", v.source, ") \"",
                              EscapeGs1Vector(v.input), "\""));
    const std::string gtin = GtinOf(v);
    AddProduct(gtin, "Vector product", v1::PRODUCT_KIND_CONSUMABLE);
    v1::ReceiveLine line;
    line.set_barcode(v.input);
    std::string lot = v.Value("10");
    if (lot.empty()) {
      lot = absl::StrCat("TYPED-", ++typed);
      line.set_lot(lot);
    }
    const std::string expiry = v.Value("17");
    const uint64_t before = JournalLength();

    v1::ReceiveResponse response;
    grpc::Status s = Receive({line}, &response);
    if (!expiry.empty() && Gs1Day(expiry) < kToday) {
      EXPECT_THAT(s, IsRefusal("lot_expired", HasSubstr("expired on")));
      EXPECT_EQ(JournalLength(), before);
      continue;
    }
    EXPECT_TRUE(s.ok()) << s.error_message() << "\n  engine: " << v.engine;
    if (!s.ok() || response.lines_size() != 1) continue;
    const v1::ReceivedLine& got = response.lines(0);
    EXPECT_EQ(got.lot().gtin(), gtin);
    EXPECT_EQ(got.lot().lot(), lot);
    if (expiry.empty()) {
      EXPECT_EQ(got.lot().expiry().year(), 0) << "an expiry is not carried";
    } else {
      const absl::CivilDay day = Gs1Day(expiry);
      EXPECT_EQ(got.lot().expiry().year(), day.year());
      EXPECT_EQ(got.lot().expiry().month(), day.month());
      EXPECT_EQ(got.lot().expiry().day(), day.day());
    }
    if (!v.Value("21").empty()) {
      EXPECT_THAT(got.serials(), Contains(v.Value("21")));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EngineVectors, Gs1VectorReceiveTest,
                         ValuesIn(Groups(false)), GroupName);
INSTANTIATE_TEST_SUITE_P(DigitalLink, Gs1VectorReceiveTest,
                         ValuesIn(Groups(true)), GroupName);

class Gs1VectorServiceTest : public ClinicServerTest {};

// Every invalid vector (Digital Link ones too: invalid either way) is refused
// with INVALID_ARGUMENT; nothing is written.
TEST_F(Gs1VectorServiceTest, InvalidVectorsAreRefusedAndWriteNothing) {
  AddProduct("12312312312333", "Engine GTIN", v1::PRODUCT_KIND_CONSUMABLE);
  AddProduct("12345678901231", "Engine GTIN 2", v1::PRODUCT_KIND_CONSUMABLE);
  const uint64_t before = JournalLength();
  int refused = 0;
  for (const char* file : {"scandata.tsv", "ai.tsv", "dl.tsv"}) {
    for (const Gs1Vector& v : LoadGs1Vectors(file)) {
      ASSERT_TRUE(v.load_error.empty()) << v.load_error;
      if (v.valid) continue;
      v1::ReceiveLine line;
      line.set_barcode(v.input);
      line.set_lot("TYPED");  // so a missing lot is not the reason
      grpc::Status s = Receive({line});
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << v.id << " (" << v.source << ") \"" << EscapeGs1Vector(v.input)
          << "\": " << (s.ok() ? "accepted" : s.error_message())
          << "\n  engine: " << v.engine;
      ++refused;
    }
  }
  EXPECT_GT(refused, 100);
  EXPECT_EQ(JournalLength(), before);
}

// A sample of valid vectors, received into the treatment room, is scanned
// into a session: the use records the engine's GTIN, lot and serial.
TEST_F(Gs1VectorServiceTest, SampleIsScannedIntoASession) {
  // Up to 12 that one store can hold, from as many engine tests and forms.
  std::vector<Gs1Vector> sample;
  for (int pass = 0; pass < 2; ++pass) {
    for (const Gs1Vector& v : ValidWithGtin(false)) {
      ASSERT_TRUE(v.load_error.empty()) << v.load_error;
      const std::string expiry = v.Value("17");
      if (sample.size() == 12 || v.Value("01").empty() ||
          v.Value("10").empty() ||
          (!expiry.empty() && Gs1Day(expiry) < kToday)) {
        continue;
      }
      bool clash = false, same_kind = false;
      for (const Gs1Vector& s : sample) {
        clash = clash || Clash(s, v) || s.id == v.id;
        same_kind = same_kind || (s.test == v.test && s.form == v.form);
      }
      if (!clash && (pass == 1 || !same_kind)) sample.push_back(v);
    }
  }
  ASSERT_GE(sample.size(), 8u);
  std::string ids;
  for (const Gs1Vector& v : sample) absl::StrAppend(&ids, v.id, " ");
  RecordProperty("sample", ids);

  for (const Gs1Vector& v : sample) {
    AddProduct(GtinOf(v), "Vector product", v1::PRODUCT_KIND_CONSUMABLE);
    v1::ReceiveLine line;
    line.set_barcode(v.input);
    grpc::Status s = Receive({line}, nullptr, room_);
    EXPECT_TRUE(s.ok()) << v.id << ": " << s.error_message();
  }
  RegisterClient("HX-104");
  const v1::Session session = StartSessionFor("HX-104");
  for (const Gs1Vector& v : sample) {
    SCOPED_TRACE(absl::StrCat(v.id, " (", v.source, ") \"",
                              EscapeGs1Vector(v.input), "\""));
    v1::ScanConsumableRequest r;
    r.set_request_id(NextId());
    r.set_session_id(session.session_id());
    r.set_barcode(v.input);
    v1::ScanConsumableResponse response;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->ScanConsumable(&ctx, r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) continue;
    EXPECT_EQ(response.use().gtin(), GtinOf(v));
    EXPECT_EQ(response.use().lot(), v.Value("10"));
    if (!v.Value("21").empty()) {
      EXPECT_EQ(response.use().serial(), v.Value("21"));
    }
    EXPECT_EQ(response.use().barcode(), v.input);
  }
}

}  // namespace
}  // namespace smptrace::testing
