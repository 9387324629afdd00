// Hostile requests against the in-process server (and one over TCP): every
// repeated field of every request is bounded (the limits table covers them
// all, and one over each limit is refused naming the field); blank and
// invisible characters do not pass for required text or identifiers; and an
// error quotes at most a short prefix of what was sent.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/api/request_limits.h"
#include "service/api/status.h"
#include "service/ledger/recalls/decide.h"
#include "tests/testing/clinic_fixture.h"
#include "tests/testing/refusal_matchers.h"
#include "tests/testing/services.h"

namespace smptrace::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using ::testing::HasSubstr;

std::string Path(const MethodDescriptor* m) {
  return absl::StrCat("/", m->service()->full_name(), "/", m->name());
}

const MethodDescriptor* FindRpc(const std::string& name) {
  for (const MethodDescriptor* m : testing::SmptraceRpcs()) {
    if (m->name() == name) return m;
  }
  ADD_FAILURE() << "no RPC " << name;
  return nullptr;
}

std::unique_ptr<Message> New(const Descriptor* d) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(d)
          ->New());
}

// Any unary RPC, by its descriptor, with a message of its input type.
grpc::Status Call(grpc::Channel* channel, const MethodDescriptor* m,
                  const Message& request, Message* response = nullptr) {
  std::unique_ptr<Message> scratch = New(m->output_type());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  const std::string path = Path(m);
  return grpc::internal::BlockingUnaryCall<Message, Message>(
      channel,
      grpc::internal::RpcMethod(path.c_str(),
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &ctx, request, response != nullptr ? response : scratch.get());
}

// Every repeated field reachable from `d` (full names), with the path to it.
void RepeatedFields(const Descriptor* d, std::set<const Descriptor*>& seen,
                    std::vector<const FieldDescriptor*>& out) {
  if (!seen.insert(d).second) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) out.push_back(f);
    if (f->message_type() != nullptr)
      RepeatedFields(f->message_type(), seen, out);
  }
}

TEST(RequestLimits, EveryRepeatedFieldOfEveryRequestHasALimit) {
  std::set<std::string> reachable;
  for (const MethodDescriptor* m : testing::SmptraceRpcs()) {
    std::set<const Descriptor*> seen;
    std::vector<const FieldDescriptor*> fields;
    RepeatedFields(m->input_type(), seen, fields);
    for (const FieldDescriptor* f : fields) {
      reachable.insert(f->full_name());
      EXPECT_TRUE(RepeatedLimitOf(f->full_name()).has_value())
          << f->full_name() << " (in " << Path(m) << ") has no limit";
    }
  }
  for (const RepeatedLimit& limit : RepeatedLimits()) {
    EXPECT_TRUE(reachable.count(std::string(limit.field)))
        << limit.field << " is in no request";
    EXPECT_GT(limit.max, 0) << limit.field;
  }
}

class RequestLimitsOnServer : public testing::ClinicServerTest {};

// For each limit: the RPC whose request holds the field gets max + 1 entries
// and answers INVALID_ARGUMENT naming the field, the size and the limit,
// before anything else about the entries is looked at.
TEST_F(RequestLimitsOnServer, OneOverEachLimitIsRefusedNamingTheField) {
  auto channel = server_->InProcessChannel();
  int checked = 0;
  for (const MethodDescriptor* m : testing::SmptraceRpcs()) {
    if (m->client_streaming() || m->server_streaming()) continue;
    const Descriptor* in = m->input_type();
    for (int i = 0; i < in->field_count(); ++i) {
      const FieldDescriptor* f = in->field(i);
      if (!f->is_repeated()) continue;
      const int max = RepeatedLimitOf(f->full_name()).value_or(0);
      ASSERT_GT(max, 0) << f->full_name();
      std::unique_ptr<Message> request = New(in);
      const auto* r = request->GetReflection();
      if (const FieldDescriptor* id = in->FindFieldByName("request_id")) {
        r->SetString(request.get(), id, NextId());
      }
      for (int k = 0; k <= max; ++k) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          r->AddMessage(request.get(), f);
        } else {
          r->AddString(request.get(), f, "x");
        }
      }
      grpc::Status s = Call(channel.get(), m, *request);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << Path(m) << " " << f->name() << ": " << s.error_message();
      EXPECT_EQ(s.error_message(),
                absl::StrCat(f->name(), ": ", max + 1, " entries; at most ",
                             max, " in one request"))
          << Path(m);
      ++checked;
    }
  }
  // Every limit on a request's own field was checked above; a limit on a
  // nested message's field (ReceiveLine.other_elements) is reached through
  // the same recursive check.
  int top_level = 0;
  for (const RepeatedLimit& limit : RepeatedLimits()) {
    for (const MethodDescriptor* m : testing::SmptraceRpcs()) {
      if (m->client_streaming() || m->server_streaming()) continue;
      const FieldDescriptor* f = m->input_type()->FindFieldByName(
          std::string(limit.field.substr(limit.field.rfind('.') + 1)));
      if (f != nullptr && f->full_name() == limit.field) {
        ++top_level;
        break;
      }
    }
  }
  EXPECT_EQ(checked, top_level);
}

// ---- blank and invisible characters -----------------------------------------

// One required field of one RPC: `request` (text format, with $GTIN,
// $STORE, $ROOM, $ID) passes validation as it is; `field` (a dotted path;
// a repeated message field means its first entry) is required text, or an
// identifier that also refuses bidirectional and invisible characters.
struct RequiredField {
  const char* rpc;
  const char* request;
  const char* field;
  bool identifier;
};

const RequiredField kRequiredFields[] = {
    {"CreateProduct",
     "product { gtin: '$GTIN5' name: 'N' kind: PRODUCT_KIND_CONSUMABLE "
     "manufacturer: 'M' units_per_pack: 1 }",
     "product.name", false},
    {"CreateProduct",
     "product { gtin: '$GTIN5' name: 'N' kind: PRODUCT_KIND_CONSUMABLE "
     "manufacturer: 'M' units_per_pack: 1 }",
     "product.manufacturer", false},
    {"CreateProduct",
     "product { gtin: '$GTIN5' name: 'N' kind: PRODUCT_KIND_NEEDLE_CARTRIDGE "
     "manufacturer: 'M' units_per_pack: 1 single_use: true "
     "cartridge_configuration: '1RL' }",
     "product.cartridge_configuration", false},
    {"CreateSupplier", "supplier { name: 'S' }", "supplier.name", false},
    {"CreateLocation",
     "location { name: 'L' kind: LOCATION_KIND_ROOM parent_id: 'LOC-000001' }",
     "location.name", false},
    {"Receive",
     "location_id: '$STORE' lines { gtin: '$GTIN' lot: 'L1' quantity: 1 "
     "expiry { year: 2030 month: 1 day: 1 } }",
     "lines.lot", true},
    {"Receive",
     "location_id: '$STORE' lines { gtin: '$GTIN' lot: 'L1' serial: 'S1' "
     "quantity: 1 expiry { year: 2030 month: 1 day: 1 } }",
     "lines.serial", true},
    {"SetLotStatus",
     "gtin: '$GTIN' lot: 'L1' status: LOT_STATUS_QUARANTINED reason: 'r'",
     "lot", true},
    {"SetLotStatus",
     "gtin: '$GTIN' lot: 'L1' status: LOT_STATUS_QUARANTINED reason: 'r'",
     "reason", false},
    {"SetLotStatus",
     "gtin: '$GTIN' lot: 'L1' status: LOT_STATUS_RECALLED "
     "recall { reference: 'R' text: 'T' }",
     "recall.reference", false},
    {"SetLotStatus",
     "gtin: '$GTIN' lot: 'L1' status: LOT_STATUS_RECALLED "
     "recall { reference: 'R' text: 'T' }",
     "recall.text", false},
    {"Discard",
     "gtin: '$GTIN' lot: 'L1' location_id: '$STORE' quantity: 1 "
     "reason: DISCARD_REASON_OTHER note: 'n'",
     "note", false},
    {"Discard",
     "gtin: '$GTIN' lot: 'L1' location_id: '$STORE' quantity: 1 "
     "reason: DISCARD_REASON_DAMAGED",
     "lot", true},
    {"AdjustStock",
     "gtin: '$GTIN' lot: 'L1' location_id: '$STORE' delta: 1 reason: 'r'",
     "reason", false},
    {"AdjustStock",
     "gtin: '$GTIN' lot: 'L1' location_id: '$STORE' delta: 1 reason: 'r'",
     "lot", true},
    {"Transfer",
     "from_location_id: '$STORE' to_location_id: '$ROOM' gtin: '$GTIN' "
     "lot: 'L1' quantity: 1",
     "lot", true},
    {"GetLot", "gtin: '$GTIN' lot: 'L1'", "lot", true},
    {"GetUnit", "gtin: '$GTIN' serial: 'S1'", "serial", true},
    {"PrintLabels", "gtin: '$GTIN' lot: 'L1'", "lot", true},
    {"CancelPurchaseOrder", "po_id: 'PO-000001' reason: 'r'", "reason", false},
    {"CreateClient", "code: 'C1' contact { name: 'N' phone: '1' }", "code",
     true},
    {"CreateClient", "code: 'C1' contact { name: 'N' phone: '1' }",
     "contact.name", false},
    {"GetClient", "client: 'C1'", "client", true},
    {"UpdateClientContact", "client: 'C1' contact { name: 'N' phone: '1' }",
     "client", true},
    {"UpdateClientContact", "client: 'C1' contact { name: 'N' phone: '1' }",
     "contact.name", false},
    {"StartSession",
     "client: 'C1' practitioner: 'P' location_id: '$ROOM' "
     "plan_step: PLAN_STEP_FIRST treatment_area: 'crown' "
     "answers { none_apply: true }",
     "client", true},
    {"StartSession",
     "client: 'C1' practitioner: 'P' location_id: '$ROOM' "
     "plan_step: PLAN_STEP_FIRST treatment_area: 'crown' "
     "answers { none_apply: true }",
     "practitioner", true},
    {"StartSession",
     "client: 'C1' practitioner: 'P' location_id: '$ROOM' "
     "plan_step: PLAN_STEP_FIRST treatment_area: 'crown' "
     "answers { none_apply: true }",
     "treatment_area", false},
    {"ApproveScreeningOverride", "client: 'C1' reason: 'r' manager: 'm'",
     "client", true},
    {"ApproveScreeningOverride", "client: 'C1' reason: 'r' manager: 'm'",
     "reason", false},
    {"ApproveScreeningOverride", "client: 'C1' reason: 'r' manager: 'm'",
     "manager", true},
    {"VoidScan",
     "session_id: 'SES-000001' scan_seq: 1 reason: 'r' "
     "package: VOIDED_PACKAGE_NOT_OPENED",
     "reason", false},
    {"AbortSession", "session_id: 'SES-000001' reason: 'r'", "reason", false},
    {"PickUpContainer", "container_id: 'SHC-000001' manifest_number: 'M1'",
     "manifest_number", true},
    {"TraceLot", "gtin: '$GTIN' lot: 'L1'", "lot", true},
    {"ClientHistory", "client: 'C1'", "client", true},
    {"OpenRecallCase",
     "notice { reference: 'R' text: 'T' } lots { gtin: '$GTIN' lot: 'L1' }",
     "notice.reference", false},
    {"OpenRecallCase",
     "notice { reference: 'R' text: 'T' } lots { gtin: '$GTIN' lot: 'L1' }",
     "notice.text", false},
    {"OpenRecallCase",
     "notice { reference: 'R' text: 'T' } lots { gtin: '$GTIN' lot: 'L1' }",
     "lots.lot", true},
    {"RecordNotification",
     "case_id: 'RC-000001' client_id: 'CLI-000001' channel: 'phone'",
     "client_id", true},
    {"RecordNotification",
     "case_id: 'RC-000001' client_id: 'CLI-000001' channel: 'phone'", "channel",
     false},
    {"RevokeToken", "token_id: 'TOK-000001' reason: 'r'", "token_id", true},
    {"RevokeToken", "token_id: 'TOK-000001' reason: 'r'", "reason", false},
    {"DisablePrincipal", "name: 'ana' reason: 'r'", "reason", false},
    {"CreateSupplier", "supplier { name: 'S' }", "request_id", true},
};

class RequiredFieldsOnServer : public testing::ClinicServerTest {
 protected:
  std::unique_ptr<Message> Parse(const RequiredField& c) {
    const MethodDescriptor* m = FindRpc(c.rpc);
    std::unique_ptr<Message> request = New(m->input_type());
    const std::string text =
        absl::StrReplaceAll(c.request, {{"$GTIN5", testing::TestGtin(5)},
                                        {"$GTIN", kCartridge},
                                        {"$STORE", store_},
                                        {"$ROOM", room_}});
    EXPECT_TRUE(
        google::protobuf::TextFormat::ParseFromString(text, request.get()))
        << c.rpc << ": " << text;
    return request;
  }

  // Sets the string at `path` (and a fresh request_id, unless that is the
  // field) and calls the RPC.
  grpc::Status CallWith(const RequiredField& c, const std::string* value) {
    const MethodDescriptor* m = FindRpc(c.rpc);
    std::unique_ptr<Message> request = Parse(c);
    Message* at = request.get();
    const FieldDescriptor* id =
        at->GetDescriptor()->FindFieldByName("request_id");
    if (id != nullptr) {
      at->GetReflection()->SetString(at, id, NextId());
    }
    if (value != nullptr) {
      std::vector<std::string> parts = absl::StrSplit(c.field, '.');
      for (size_t i = 0; i + 1 < parts.size(); ++i) {
        const FieldDescriptor* f =
            at->GetDescriptor()->FindFieldByName(parts[i]);
        EXPECT_NE(f, nullptr) << c.field;
        at = f->is_repeated()
                 ? at->GetReflection()->MutableRepeatedMessage(at, f, 0)
                 : at->GetReflection()->MutableMessage(at, f);
      }
      const FieldDescriptor* leaf =
          at->GetDescriptor()->FindFieldByName(parts.back());
      EXPECT_NE(leaf, nullptr) << c.field;
      at->GetReflection()->SetString(at, leaf, *value);
    }
    return Call(server_->InProcessChannel().get(), m, *request);
  }
};

// The name the error gives the field: repeated entries are indexed.
std::string WireName(const char* field) {
  return absl::StrReplaceAll(field,
                             {{"lines.", "lines[0]."}, {"lots.", "lots[0]."}});
}

TEST_F(RequiredFieldsOnServer, BlankIsMissingInEveryRequiredTextField) {
  const std::vector<std::string> blanks = {
      " ", "   ", "\t", "\u00a0", "\u3000\u3000", "\u2003 ", "\u200b"};
  for (const RequiredField& c : kRequiredFields) {
    SCOPED_TRACE(absl::StrCat(c.rpc, " ", c.field));
    grpc::Status base = CallWith(c, nullptr);
    EXPECT_NE(base.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "the base request is not valid: " << base.error_message();
    for (const std::string& blank : blanks) {
      grpc::Status s = CallWith(c, &blank);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << "'" << blank << "': " << s.error_message();
      EXPECT_THAT(s.error_message(),
                  HasSubstr(absl::StrCat(WireName(c.field), ": required")))
          << "'" << blank << "'";
    }
  }
}

TEST_F(RequiredFieldsOnServer, IdentifiersRefuseBidiInvisibleAndEdgeSpaces) {
  struct Bad {
    std::string value;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {"CL\u202e42", "U+202E (right-to-left override) at position 2"},
      {"\u2067CL42", "U+2067 (right-to-left isolate) at position 0"},
      {"CL4\u200f", "U+200F (right-to-left mark) at position 3"},
      {"C\u200bL", "U+200B (zero-width space) at position 1"},
      {"\ufeffCL", "U+FEFF (zero-width no-break space) at position 0"},
      {"CL\u00a042", "U+00A0 (white space) at position 2"},
      {" CL42", "U+0020 (white space at either end) at position 0"},
      {"CL42\u3000", "U+3000 (white space at either end) at position 4"},
      {"CL\u008542", "U+0085 (control character) at position 2"},
  };
  int checked = 0;
  for (const RequiredField& c : kRequiredFields) {
    if (!c.identifier) continue;
    SCOPED_TRACE(absl::StrCat(c.rpc, " ", c.field));
    for (const Bad& b : bad) {
      grpc::Status s = CallWith(c, &b.value);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << s.error_message();
      EXPECT_THAT(s.error_message(),
                  HasSubstr(absl::StrCat(WireName(c.field), ": ", b.says)));
    }
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

// Free text keeps what people write, right-to-left scripts included.
TEST_F(RequiredFieldsOnServer, FreeTextKeepsRightToLeftText) {
  v1::AdjustStockRequest r;
  r.set_request_id(NextId());
  r.set_gtin(kCartridge);
  r.set_lot("L1");
  r.set_location_id(store_);
  r.set_delta(1);
  r.set_reason("\u05e1\u05e4\u05d9\u05e8\u05d4 \u200f(count)");
  v1::AdjustStockResponse out;
  grpc::ClientContext ctx;
  grpc::Status s = inventory_->AdjustStock(&ctx, r, &out);
  EXPECT_NE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
}

// ---- the work one command may do in the writer
// --------------------------------

class WriterBoundsTest : public testing::ClinicServerTest {
 protected:
  v1::OpenRecallCaseRequest Recall(int lots) {
    v1::OpenRecallCaseRequest r;
    r.set_request_id(NextId());
    r.mutable_notice()->set_reference("FSN-2026-031");
    r.mutable_notice()->set_text("Possible contamination");
    r.set_drill(true);
    for (int i = 0; i < lots; ++i) {
      v1::LotRef* lot = r.add_lots();
      lot->set_gtin(kCartridge);
      lot->set_lot(absl::StrCat("L", i));
    }
    return r;
  }

  // Runs `big` on its own connection while this thread sends small writes
  // (a supplier each) on another; prints how long each took. Every small
  // write must complete, OK, within a generous 60 s deadline.
  template <typename Big>
  grpc::Status WhileSmallWritesRun(const char* what, Big big) {
    auto small_channel = server_->InProcessChannel();
    auto small = v1::CatalogService::NewStub(small_channel);
    std::atomic<bool> done{false};
    grpc::Status big_status;
    absl::Time big_start = absl::Now();
    absl::Duration big_took;
    std::thread t([&] {
      big_status = big(server_->InProcessChannel());
      big_took = absl::Now() - big_start;
      done = true;
    });
    int n = 0;
    absl::Duration worst;
    do {
      v1::CreateSupplierRequest r;
      r.set_request_id(absl::StrCat("small-", what, "-", n));
      r.mutable_supplier()->set_name(absl::StrCat("Supplier ", what, n));
      v1::Supplier out;
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
      const absl::Time start = absl::Now();
      grpc::Status s = small->CreateSupplier(&ctx, r, &out);
      worst = std::max(worst, absl::Now() - start);
      EXPECT_TRUE(s.ok()) << s.error_message();
      ++n;
    } while (!done);
    t.join();
    std::printf("%s: took %s; %d small writes meanwhile, slowest %s\n", what,
                absl::FormatDuration(big_took).c_str(), n,
                absl::FormatDuration(worst).c_str());
    return big_status;
  }
};

// The largest allowed Receive (20,000 units minted in 500 lots) and the
// largest allowed recall (500 lots; a whole product of 100,000 units) are
// accepted while small writes on another connection keep completing; one
// lot more, or one unit more in scope or in a delivery, is refused by name.
TEST_F(WriterBoundsTest,
       LargestReceiveAndRecallAreAcceptedAndDoNotStarveOthers) {
  v1::ReceiveRequest receive;
  receive.set_location_id(store_);
  const int64_t per_lot = kMaxUnitsPerReceive / kMaxLotsPerRecallCase;
  for (int i = 0; i < kMaxLotsPerRecallCase; ++i) {
    v1::ReceiveLine* line = receive.add_lines();
    line->set_gtin(kCartridge);
    line->set_lot(absl::StrCat("L", i));
    line->set_quantity(static_cast<int32_t>(per_lot));
    *line->mutable_expiry() = testing::Day(2030, 1, 1);
  }
  receive.set_request_id(NextId());
  grpc::Status s = WhileSmallWritesRun(
      "receive of 20000 units", [&](std::shared_ptr<grpc::Channel> c) {
        v1::ReceiveResponse out;
        grpc::ClientContext ctx;
        return v1::InventoryService::NewStub(c)->Receive(&ctx, receive, &out);
      });
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The same lots again, up to the most units one case may look back at.
  for (int64_t units = kMaxUnitsPerReceive;
       units < ledger::kMaxRecallScopeUnits; units += kMaxUnitsPerReceive) {
    receive.set_request_id(NextId());
    v1::ReceiveResponse out;
    grpc::ClientContext ctx;
    ASSERT_TRUE(inventory_->Receive(&ctx, receive, &out).ok());
  }

  v1::RecallCase by_lots;
  s = WhileSmallWritesRun("recall of 500 lots, 100000 units",
                          [&](std::shared_ptr<grpc::Channel> c) {
                            grpc::ClientContext ctx;
                            return v1::AuditService::NewStub(c)->OpenRecallCase(
                                &ctx, Recall(kMaxLotsPerRecallCase), &by_lots);
                          });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(by_lots.units_in_scope(), ledger::kMaxRecallScopeUnits);

  v1::OpenRecallCaseRequest product = Recall(0);
  product.set_product_gtin(kCartridge);
  v1::RecallCase whole;
  s = WhileSmallWritesRun("recall of a 100000-unit product",
                          [&](std::shared_ptr<grpc::Channel> c) {
                            grpc::ClientContext ctx;
                            return v1::AuditService::NewStub(c)->OpenRecallCase(
                                &ctx, product, &whole);
                          });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(whole.units_in_scope(), ledger::kMaxRecallScopeUnits);

  // One lot more than a case may name.
  {
    v1::RecallCase out;
    grpc::ClientContext ctx;
    s = audit_->OpenRecallCase(&ctx, Recall(kMaxLotsPerRecallCase + 1), &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message(),
              "lots: 501 entries; at most 500 in one request");
  }
  // One unit more in scope than the writer may visit for one case.
  v1::ReceiveLine extra;
  extra.set_gtin(kCartridge);
  extra.set_lot("L0");
  extra.set_quantity(1);
  *extra.mutable_expiry() = testing::Day(2030, 1, 1);
  ASSERT_TRUE(Receive({extra}).ok());
  for (bool by_product : {true, false}) {
    v1::OpenRecallCaseRequest r = Recall(by_product ? 0 : 500);
    if (by_product) r.set_product_gtin(kCartridge);
    v1::RecallCase out;
    grpc::ClientContext ctx;
    s = audit_->OpenRecallCase(&ctx, r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), HasSubstr("more than 100000 units"));
    EXPECT_THAT(s.error_message(), HasSubstr("split the case"));
  }
  // A Receive one unit over the limit is refused before the writer.
  receive.set_request_id(NextId());
  receive.mutable_lines(0)->set_quantity(static_cast<int32_t>(per_lot + 1));
  v1::ReceiveResponse out;
  grpc::ClientContext ctx;
  s = inventory_->Receive(&ctx, receive, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("20001 units in one delivery"));
}

TEST_F(WriterBoundsTest, TheSameLotTwiceIsRefusedNamingBothIndexes) {
  v1::ReceiveLine line;
  line.set_gtin(kCartridge);
  line.set_lot("L0");
  line.set_quantity(3);
  *line.mutable_expiry() = testing::Day(2030, 1, 1);
  ASSERT_TRUE(Receive({line}).ok());
  v1::OpenRecallCaseRequest r = Recall(1);
  for (int i = 0; i < 3; ++i) *r.add_lots() = r.lots(0);
  v1::RecallCase out;
  grpc::ClientContext ctx;
  grpc::Status s = audit_->OpenRecallCase(&ctx, r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("lots[1]: the same lot as lots[0]"));

  r.mutable_lots()->DeleteSubrange(1, 3);
  grpc::ClientContext ok_ctx;
  ASSERT_TRUE(audit_->OpenRecallCase(&ok_ctx, r, &out).ok());
  EXPECT_EQ(out.units_in_scope(), 3);
}

// PrintLabels renders at most kMaxUnitsPerRequest labels: a larger lot is
// refused, not silently cut.
TEST_F(WriterBoundsTest, LabelsForALotLargerThanASheetAreRefused) {
  v1::ReceiveLine line;
  line.set_gtin(kCartridge);
  line.set_lot("BIG");
  line.set_quantity(kMaxUnitsPerRequest);
  *line.mutable_expiry() = testing::Day(2030, 1, 1);
  v1::ReceiveLine one = line;
  one.set_quantity(1);
  ASSERT_TRUE(Receive({line, one}).ok());
  v1::PrintLabelsRequest r;
  r.set_gtin(kCartridge);
  r.set_lot("BIG");
  v1::PrintLabelsResponse out;
  grpc::ClientContext ctx;
  EXPECT_THAT(inventory_->PrintLabels(&ctx, r, &out),
              testing::IsRefusal("too_many_labels",
                                 HasSubstr("has more than 10000 units")));
}

// A scanned barcode is at most 200 characters wherever it is sent.
TEST_F(RequiredFieldsOnServer, ScannedBarcodesAreBounded) {
  const std::string long_scan = "]d201" + kCartridge + std::string(200, '9');
  v1::ReceiveLine line;
  line.set_barcode(long_scan);
  EXPECT_THAT(Receive({line}).error_message(),
              HasSubstr("lines[0].barcode: at most 200 characters, got 219"));
  v1::DiscardRequest discard;
  discard.set_request_id(NextId());
  discard.add_barcodes(long_scan);
  discard.set_reason(v1::DISCARD_REASON_DAMAGED);
  v1::DiscardResponse out;
  grpc::ClientContext ctx;
  EXPECT_THAT(inventory_->Discard(&ctx, discard, &out).error_message(),
              HasSubstr("barcodes[0]: at most 200 characters, got 219"));
}

// ---- errors quote a short prefix
// ----------------------------------------------

// Over TCP, where gRPC limits the size of the response metadata: a 9,000
// character id gets its real answer with a short message, not
// RESOURCE_EXHAUSTED "metadata size exceeds limit".
TEST(ErrorMessages, QuoteAShortPrefixOfAHugeId) {
  testing::TempDir dir;
  testing::FakeClock clock;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.Sub("data");
  options.insecure_dev = true;
  auto server = Server::Start(options, &clock);
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                          grpc::InsecureChannelCredentials());
  struct Case {
    const char* rpc;
    const char* field;
    std::string value;
    const char* says;
  };
  const Case cases[] = {
      {"GetSession", "session_id", "SES-" + std::string(8996, '7'),
       "\u2026(9000 bytes)' is not a session id"},
      {"GetContainer", "container_id", std::string(9000, 'Q'),
       "\u2026(9000 bytes)' is not a sharps container id"},
      {"GetClient", "client", std::string(9000, 'Q'),
       "client: at most 40 characters, got 9000"},
      {"TraceLot", "lot", std::string(9000, 'Q'),
       "lot: at most 20 characters, got 9000"},
  };
  for (const Case& c : cases) {
    const MethodDescriptor* m = FindRpc(c.rpc);
    std::unique_ptr<Message> request = New(m->input_type());
    const Descriptor* d = m->input_type();
    if (const FieldDescriptor* gtin = d->FindFieldByName("gtin")) {
      request->GetReflection()->SetString(request.get(), gtin,
                                          testing::TestGtin(1));
    }
    request->GetReflection()->SetString(request.get(),
                                        d->FindFieldByName(c.field), c.value);
    grpc::Status s = Call(channel.get(), m, *request);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.rpc << ": " << s.error_message().substr(0, 200);
    EXPECT_LT(s.error_message().size(), 200u) << c.rpc;
    EXPECT_THAT(s.error_message(), HasSubstr(c.says)) << c.rpc;
  }
}

// The final guard, whatever a message says.
TEST(ErrorMessages, ToGrpcStatusCapsEveryMessage) {
  grpc::Status s = ToGrpcStatus(absl::NotFoundError(std::string(20000, 'x')));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_LE(s.error_message().size(), 1100u);
  EXPECT_THAT(s.error_message(), HasSubstr("(20000 bytes)"));
}

}  // namespace
}  // namespace smptrace::api
