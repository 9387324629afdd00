// Personal data the chain can forget (issue 18): contact details and
// screening answers sealed with the client's own key, EraseClient destroying
// that key, legal holds that stop it, and the scan of every file of the
// data directory for what an erased client left behind.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/client_keys.h"
#include "storage/keys.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/status_matchers.h"

namespace smptrace {
namespace {

namespace fs = std::filesystem;
using testing::GrpcStatusIs;
using ::testing::HasSubstr;
using testing::IsRefusal;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `text` as UTF-16LE (how a Windows tool would have stored it).
std::string Utf16(const std::string& text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

// Every regular file under `dir` (SSTs, WAL, MANIFEST, OPTIONS, LOG, ...)
// that holds one of `needles`, as "file: needle".
std::vector<std::string> FilesHolding(const std::string& dir,
                                      const std::vector<std::string>& needles) {
  std::vector<std::string> found;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = ReadAll(e.path().string());
    for (const std::string& needle : needles) {
      if (bytes.find(needle) != std::string::npos) {
        found.push_back(e.path().filename().string() + ": " + needle);
      }
    }
  }
  return found;
}

class ErasureTest : public testing::ClinicServerTest {
 protected:
  grpc::Status CreateClient(const std::string& code, const std::string& name,
                            const std::string& phone, const std::string& email,
                            v1::Client* out) {
    v1::CreateClientRequest r;
    r.set_request_id("create-" + code);
    r.set_code(code);
    r.mutable_contact()->set_name(name);
    r.mutable_contact()->set_phone(phone);
    r.mutable_contact()->set_email(email);
    grpc::ClientContext ctx;
    return sessions_->CreateClient(&ctx, r, out);
  }

  grpc::Status Erase(const std::string& client, const std::string& request_id,
                     v1::Client* out, const std::string& reason = "asked",
                     const std::string& basis = "GDPR Art. 17(1)(a)") {
    v1::EraseClientRequest r;
    r.set_request_id(request_id);
    r.set_client(client);
    r.set_reason(reason);
    r.set_legal_basis(basis);
    grpc::ClientContext ctx;
    return sessions_->EraseClient(&ctx, r, out);
  }

  v1::Client Get(const std::string& client) {
    v1::GetClientRequest r;
    r.set_client(client);
    r.set_include_contact(true);
    v1::Client out;
    grpc::ClientContext ctx;
    grpc::Status s = sessions_->GetClient(&ctx, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status PlaceHold(
      const std::string& client, v1::LegalHold* out,
      const v1::Date* until = nullptr,
      const std::string& reason = "claim 2026/118: keep the record") {
    v1::PlaceLegalHoldRequest r;
    r.set_request_id(NextId());
    r.set_client(client);
    r.set_reason(reason);
    if (until != nullptr) *r.mutable_until() = *until;
    grpc::ClientContext ctx;
    return sessions_->PlaceLegalHold(&ctx, r, out);
  }

  grpc::Status ReleaseHold(const std::string& hold_id,
                           const std::string& reason, v1::LegalHold* out) {
    v1::ReleaseLegalHoldRequest r;
    r.set_request_id(NextId());
    r.set_hold_id(hold_id);
    r.set_reason(reason);
    grpc::ClientContext ctx;
    return sessions_->ReleaseLegalHold(&ctx, r, out);
  }

  void ExpectVerifies() {
    v1::VerifyJournalResponse v;
    grpc::ClientContext ctx;
    ASSERT_TRUE(audit_->VerifyJournal(&ctx, {}, &v).ok());
    EXPECT_TRUE(v.ok()) << v.detail();
  }
};

TEST_F(ErasureTest, ContactIsSealedAndReadsOpenIt) {
  v1::Client created;
  ASSERT_TRUE(CreateClient("K-ANA", "Ana Lima", "+351 912 345 678",
                           "ana@example.org", &created)
                  .ok());
  EXPECT_EQ(created.contact().name(), "Ana Lima");
  EXPECT_FALSE(created.has_sealed_contact());
  const v1::Client read = Get("K-ANA");
  EXPECT_EQ(read.contact().email(), "ana@example.org");
  EXPECT_FALSE(read.has_sealed_contact());
  // The session's screening answers come back opened, too.
  const v1::Session started = StartSessionFor("K-ANA");
  EXPECT_TRUE(started.screening().answers().none_apply());
  EXPECT_FALSE(started.screening().has_sealed());
  ExpectRebuildMatches();
}

TEST_F(ErasureTest, EraseNeedsReasonAndLegalBasisNamingTheField) {
  RegisterClient("K-1");
  v1::Client out;
  EXPECT_THAT(Erase("K-1", NextId(), &out, " \t"),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("reason: required")));
  EXPECT_THAT(Erase("K-1", NextId(), &out, "asked", ""),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("legal_basis: required")));
  EXPECT_THAT(Erase("K-NOBODY", NextId(), &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("K-NOBODY")));
  EXPECT_EQ(Get("K-1").contact().name(), "Client K-1");
}

TEST_F(ErasureTest, ErasedClientKeepsCodeAndSessionsButNotContact) {
  const std::string id = RegisterClient("K-ERASE");
  const v1::Session session = StartSessionFor("K-ERASE");
  v1::Client erased;
  ASSERT_TRUE(Erase("K-ERASE", "erase-1", &erased).ok());
  EXPECT_EQ(erased.code(), "K-ERASE");
  EXPECT_FALSE(erased.has_contact());
  EXPECT_EQ(erased.erased().reason(), "asked");
  EXPECT_EQ(erased.erased().legal_basis(), "GDPR Art. 17(1)(a)");
  EXPECT_TRUE(erased.erased().has_erased_at());

  // A retry answers as the first time; a second erasure is refused.
  v1::Client again;
  ASSERT_TRUE(Erase("K-ERASE", "erase-1", &again).ok());
  EXPECT_EQ(again.erased().seq(), erased.erased().seq());
  EXPECT_THAT(Erase("K-ERASE", NextId(), &again),
              IsRefusal("client_erased", HasSubstr("was erased on")));

  const v1::Client read = Get(id);
  EXPECT_FALSE(read.has_contact());
  EXPECT_TRUE(read.has_erased());

  // The traceability record stays: history by code, the session's record.
  v1::ClientHistoryRequest h;
  h.set_client("K-ERASE");
  v1::ClientHistoryResponse history;
  grpc::ClientContext hctx;
  ASSERT_TRUE(audit_->ClientHistory(&hctx, h, &history).ok());
  EXPECT_EQ(history.client_code(), "K-ERASE");
  ASSERT_EQ(history.sessions_size(), 1);
  EXPECT_EQ(history.sessions(0).session_id(), session.session_id());
  v1::GetSessionRequest g;
  g.set_session_id(session.session_id());
  v1::GetSessionResponse got;
  grpc::ClientContext gctx;
  ASSERT_TRUE(sessions_->GetSession(&gctx, g, &got).ok());
  EXPECT_EQ(got.session().client_code(), "K-ERASE");
  EXPECT_EQ(got.session().screening().verdict(), v1::SCREENING_VERDICT_CLEARED);
  EXPECT_FALSE(got.session().screening().answers().none_apply());

  // Nothing personal can be recorded for them any more.
  v1::UpdateClientContactRequest u;
  u.set_request_id(NextId());
  u.set_client("K-ERASE");
  u.mutable_contact()->set_name("Someone");
  u.mutable_contact()->set_phone("1");
  v1::Client updated;
  grpc::ClientContext uctx;
  EXPECT_THAT(sessions_->UpdateClientContact(&uctx, u, &updated),
              IsRefusal("client_erased", HasSubstr("K-ERASE")));

  ExpectVerifies();
  ExpectRebuildMatches();
  RestartServer();
  EXPECT_TRUE(Get(id).has_erased());
  ExpectRebuildMatches();
}

TEST_F(ErasureTest, LegalHoldStopsErasureUntilReleased) {
  RegisterClient("K-HOLD");
  v1::LegalHold hold;
  ASSERT_TRUE(PlaceHold("K-HOLD", &hold).ok());
  EXPECT_EQ(hold.hold_id(), "HOLD-000001");
  EXPECT_TRUE(hold.in_force());

  v1::Client out;
  EXPECT_THAT(Erase("K-HOLD", NextId(), &out),
              IsRefusal("client_under_legal_hold",
                        HasSubstr("under legal hold HOLD-000001")));
  EXPECT_EQ(Get("K-HOLD").contact().name(), "Client K-HOLD");

  v1::ListLegalHoldsRequest l;
  l.set_client("K-HOLD");
  v1::ListLegalHoldsResponse listed;
  grpc::ClientContext lctx;
  ASSERT_TRUE(sessions_->ListLegalHolds(&lctx, l, &listed).ok());
  ASSERT_EQ(listed.holds_size(), 1);
  EXPECT_EQ(listed.holds(0).reason(), "claim 2026/118: keep the record");

  v1::LegalHold released;
  EXPECT_THAT(ReleaseHold(hold.hold_id(), " ", &released),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("reason: required")));
  ASSERT_TRUE(ReleaseHold(hold.hold_id(), "claim settled", &released).ok());
  EXPECT_FALSE(released.in_force());
  EXPECT_EQ(released.release_reason(), "claim settled");

  ASSERT_TRUE(Erase("K-HOLD", NextId(), &out).ok());
  ExpectRebuildMatches();
}

TEST_F(ErasureTest, HoldUntilADayEndsAfterThatDay) {
  RegisterClient("K-DAY");
  const v1::Date until = testing::Day(2026, 11, 24);  // the clock: 11-23
  v1::LegalHold hold;
  ASSERT_TRUE(PlaceHold("K-DAY", &hold, &until).ok());
  v1::Client out;
  clock_.Advance(absl::Hours(24));  // 11-24: the last day of the hold
  EXPECT_THAT(
      Erase("K-DAY", NextId(), &out),
      IsRefusal("client_under_legal_hold", HasSubstr("until 2026-11-24")));
  clock_.Advance(absl::Hours(24));  // 11-25
  EXPECT_TRUE(Erase("K-DAY", NextId(), &out).ok());
}

// The erasure test of issue 18: several clients; erase one; then no file of
// the data directory holds their name, phone or email (no client's clear
// contact is ever written), nor their key in any form, while the others
// still open, verify and rebuild-check pass.
TEST_F(ErasureTest, NoFileOfTheDataDirectoryKeepsAnErasedClient) {
  struct Person {
    std::string code, name, phone, email;
  };
  const std::vector<Person> people = {
      {"K-A", "Zoraida Quintanilha", "+44 7700 900123", "zoraida@example.org"},
      {"K-B", "Bartholomew Okonkwo", "+44 7700 900456", "bart@example.org"},
      {"K-C", "Celestine Marchetti", "+44 7700 900789", "celes@example.org"},
  };
  for (const Person& p : people) {
    v1::Client out;
    ASSERT_TRUE(CreateClient(p.code, p.name, p.phone, p.email, &out).ok());
    StartSessionFor(p.code);
  }
  const Person& gone = people[1];
  const v1::Client before = Get(gone.code);
  // The erased client's key as stored (wrapped): after erasure it must be in
  // no file either, or a copy of the data key could still open their data.
  auto client_number = [&](const std::string& id) {
    return std::stoull(id.substr(id.find('-') + 1));
  };
  auto wrapped = server_->store().live().Get(
      storage::Cf::kClientKeys,
      storage::keys::ClientKeyKey(client_number(before.client_id())));
  ASSERT_TRUE(wrapped.ok() && wrapped->has_value());

  // A hold's reason is free text about the client: the erased client's
  // (placed and released before the erasure) and one still in force on
  // another client.
  const std::string gone_reason = "Okonkwo's complaint about a scar, C-5512";
  // (No 4 bytes in common with gone_reason: LZ4 would store a repeat as a
  // back-reference, and the scan would not see it.)
  const std::string kept_reason = "Quintanilha's insurer asked, ref 88-Q";
  v1::LegalHold gone_hold, kept_hold;
  ASSERT_TRUE(PlaceHold(gone.code, &gone_hold, nullptr, gone_reason).ok());
  EXPECT_EQ(gone_hold.reason(), gone_reason);
  ASSERT_TRUE(PlaceHold(people[0].code, &kept_hold, nullptr, kept_reason).ok());
  EXPECT_EQ(kept_hold.reason(), kept_reason);
  v1::LegalHold released;
  ASSERT_TRUE(
      ReleaseHold(gone_hold.hold_id(), "complaint closed", &released).ok());
  EXPECT_EQ(released.reason(), gone_reason);

  v1::Client erased;
  ASSERT_TRUE(Erase(gone.code, "erase-b", &erased).ok());
  // Everything still in memory goes to disk as it would over time.
  server_.reset();

  const std::string data = dir_.Sub("data");
  std::vector<std::string> needles = {**wrapped};
  for (const std::string& text :
       {gone.name, gone.phone, gone.email, gone_reason}) {
    needles.push_back(text);
    needles.push_back(Utf16(text));
  }
  EXPECT_THAT(FilesHolding(data, needles), ::testing::IsEmpty());
  // No one's contact or hold reason is written in clear, and the data key is
  // not there.
  for (const Person& p : people) {
    EXPECT_THAT(FilesHolding(data, {p.name, p.phone, p.email}),
                ::testing::IsEmpty());
  }
  EXPECT_THAT(FilesHolding(data, {kept_reason}), ::testing::IsEmpty());
  const std::string key_file = storage::DefaultDataKeyPath(data);
  struct stat st;
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string key_text = ReadAll(key_file);
  const std::string key_hex = key_text.substr(key_text.find('\n') + 1, 64);
  EXPECT_THAT(FilesHolding(data, {key_hex}), ::testing::IsEmpty());

  StartServer();
  EXPECT_EQ(Get(people[0].code).contact().phone(), people[0].phone);
  EXPECT_EQ(Get(people[2].code).contact().email(), people[2].email);
  EXPECT_TRUE(Get(gone.code).has_erased());
  // The reasons read back while the client's key lives, not after.
  std::map<std::string, std::string> reasons;
  {
    v1::ListLegalHoldsRequest r;
    r.set_include_ended(true);
    v1::ListLegalHoldsResponse listed;
    grpc::ClientContext ctx;
    ASSERT_TRUE(sessions_->ListLegalHolds(&ctx, r, &listed).ok());
    for (const v1::LegalHold& h : listed.holds()) {
      EXPECT_FALSE(h.has_sealed_reason()) << h.hold_id();
      reasons[h.client_code()] = h.reason();
    }
  }
  EXPECT_EQ(reasons, (std::map<std::string, std::string>{
                         {people[0].code, kept_reason},
                         {gone.code,
                          "(erased with the client's personal "
                          "data)"}}));
  ExpectVerifies();
  ExpectRebuildMatches();
}

TEST_F(ErasureTest, BackupCarriesWrappedKeysButNeverTheDataKey) {
  v1::Client out;
  ASSERT_TRUE(CreateClient("K-BK", "Backup Person", "+1 555 0100",
                           "bk@example.org", &out)
                  .ok());
  v1::CreateBackupRequest b;
  b.set_request_id(NextId());
  b.set_backup_dir(dir_.Sub("backups"));
  v1::CreateBackupResponse backup;
  grpc::ClientContext ctx;
  ASSERT_TRUE(admin_->CreateBackup(&ctx, b, &backup).ok());
  const std::string key_text =
      ReadAll(storage::DefaultDataKeyPath(dir_.Sub("data")));
  const std::string key_hex = key_text.substr(key_text.find('\n') + 1, 64);
  auto wrapped = server_->store().live().Get(storage::Cf::kClientKeys,
                                             storage::keys::ClientKeyKey(1));
  ASSERT_TRUE(wrapped.ok() && wrapped->has_value());
  bool wrapped_found = false;
  for (const auto& e : fs::recursive_directory_iterator(dir_.Sub("backups"))) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = ReadAll(e.path().string());
    EXPECT_EQ(bytes.find(key_hex), std::string::npos) << e.path();
    EXPECT_EQ(bytes.find("Backup Person"), std::string::npos) << e.path();
    wrapped_found |= bytes.find(**wrapped) != std::string::npos;
  }
  EXPECT_TRUE(wrapped_found);
}

}  // namespace
}  // namespace smptrace
