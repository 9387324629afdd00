// CatalogService through a real in-process gRPC server over a real RocksDB in
// a temp dir: validation, versions, paging, locations, status mapping.
#include "service/api/catalog_service.h"

#include <set>
#include <string>

#include "common/refusal.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/api/server.h"
#include "service/api/status.h"
#include "smptrace/v1/audit.grpc.pb.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/common.pb.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/gtin.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace smptrace::api {
namespace {

using ::smptrace::testing::GrpcStatusIs;
using ::smptrace::testing::TestGtin;
using ::testing::HasSubstr;

v1::Product Cartridge(const std::string& gtin) {
  v1::Product p;
  p.set_gtin(gtin);
  p.set_name("Cartridge 1RL 0.25");
  p.set_kind(v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
  p.set_manufacturer("Acme Needles");
  p.set_units_per_pack(20);
  p.set_single_use(true);
  p.set_sterile(true);
  p.set_cartridge_configuration("1RL 0.25mm");
  return p;
}

v1::Product Pigment(const std::string& gtin) {
  v1::Product p;
  p.set_gtin(gtin);
  p.set_name("SMP Black");
  p.set_kind(v1::PRODUCT_KIND_PIGMENT);
  p.set_manufacturer("InkCo");
  p.set_units_per_pack(1);
  p.set_pao_days(180);
  p.set_shade("Dark Ash");
  return p;
}

class CatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "";  // in-process only
    options.data_dir = dir_.Sub("data");
    options.insecure_dev = true;
    auto server = Server::Start(options, &clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    catalog_ = v1::CatalogService::NewStub(server_->InProcessChannel());
    audit_ = v1::AuditService::NewStub(server_->InProcessChannel());
  }

  grpc::Status Create(const v1::Product& product, v1::Product* out = nullptr,
                      const std::string& request_id = "") {
    v1::CreateProductRequest request;
    request.set_request_id(request_id.empty() ? "req-" + std::to_string(next_++)
                                              : request_id);
    *request.mutable_product() = product;
    v1::Product response;
    grpc::ClientContext ctx;
    grpc::Status status = catalog_->CreateProduct(&ctx, request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  grpc::Status CreateLocation(const std::string& name, v1::LocationKind kind,
                              const std::string& parent, v1::Location* out) {
    v1::CreateLocationRequest request;
    request.set_request_id("loc-" + std::to_string(next_++));
    request.mutable_location()->set_name(name);
    request.mutable_location()->set_kind(kind);
    request.mutable_location()->set_parent_id(parent);
    grpc::ClientContext ctx;
    return catalog_->CreateLocation(&ctx, request, out);
  }

  uint64_t JournalLength() {
    v1::VerifyJournalResponse v;
    grpc::ClientContext ctx;
    EXPECT_TRUE(audit_->VerifyJournal(&ctx, {}, &v).ok());
    EXPECT_TRUE(v.ok()) << v.detail();
    return v.entries();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  int next_ = 0;
};

TEST_F(CatalogServiceTest, CreatedProductCanBeReadBackWithGtinNormalised) {
  v1::Product created;
  v1::Product input = Pigment("4006381333931");  // EAN-13
  ASSERT_TRUE(Create(input, &created).ok());
  EXPECT_EQ(created.gtin(), "04006381333931");
  EXPECT_EQ(created.version(), 1);
  EXPECT_EQ(created.updated_by(), "insecure-dev");
  EXPECT_EQ(created.updated_at().seconds(), absl::ToUnixSeconds(clock_.Now()));

  v1::GetProductRequest get;
  get.set_gtin("4006381333931");
  v1::Product got;
  grpc::ClientContext ctx;
  ASSERT_TRUE(catalog_->GetProduct(&ctx, get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString());
}

TEST_F(CatalogServiceTest, UpdateMakesANewVersionAndKeepsTheOldOne) {
  ASSERT_TRUE(Create(Cartridge(TestGtin(1))).ok());
  clock_.Advance(absl::Hours(1));
  v1::UpdateProductRequest update;
  update.set_request_id("u1");
  *update.mutable_product() = Cartridge(TestGtin(1));
  update.mutable_product()->set_name("Cartridge 1RL 0.25 (new box)");
  update.set_expected_version(1);
  v1::Product updated;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(catalog_->UpdateProduct(&ctx, update, &updated).ok());
  }
  EXPECT_EQ(updated.version(), 2);

  v1::GetProductRequest get;
  get.set_gtin(TestGtin(1));
  get.set_version(1);
  v1::Product old;
  grpc::ClientContext ctx;
  ASSERT_TRUE(catalog_->GetProduct(&ctx, get, &old).ok());
  EXPECT_EQ(old.name(), "Cartridge 1RL 0.25");
  EXPECT_EQ(old.version(), 1);

  get.set_version(3);
  grpc::ClientContext ctx2;
  EXPECT_THAT(
      catalog_->GetProduct(&ctx2, get, &old),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("no version 3")));
}

struct BadProduct {
  const char* name;
  std::function<void(v1::Product*)> spoil;
  const char* message;
  friend void PrintTo(const BadProduct& b, std::ostream* os) { *os << b.name; }
};

class CatalogValidationTest : public CatalogServiceTest,
                              public ::testing::WithParamInterface<BadProduct> {
};

TEST_P(CatalogValidationTest, RefusesNamingTheFieldAndWritesNothing) {
  v1::Product p =
      GetParam().name[0] == 'p' ? Pigment(TestGtin(7)) : Cartridge(TestGtin(7));
  GetParam().spoil(&p);
  EXPECT_THAT(Create(p), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                      HasSubstr(GetParam().message)));
  EXPECT_EQ(JournalLength(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogValidationTest,
    ::testing::Values(
        BadProduct{"c_check_digit",
                   [](v1::Product* p) { p->set_gtin("09506000134353"); },
                   "product.gtin: gtin check digit is 3, expected 2"},
        BadProduct{"c_gtin_length",
                   [](v1::Product* p) { p->set_gtin("12345"); },
                   "product.gtin: gtin has 5 digits"},
        BadProduct{"c_gtin_letters",
                   [](v1::Product* p) { p->set_gtin("0950600013435X"); },
                   "product.gtin:"},
        BadProduct{"c_no_name", [](v1::Product* p) { p->clear_name(); },
                   "product.name: required"},
        BadProduct{"c_long_name",
                   [](v1::Product* p) { p->set_name(std::string(201, 'x')); },
                   "product.name: at most 200 characters, got 201"},
        BadProduct{"c_control_char",
                   [](v1::Product* p) { p->set_name("bad\nname"); },
                   "product.name: U+000A (control character) at position 3"},
        BadProduct{
            "c_no_kind",
            [](v1::Product* p) { p->set_kind(v1::PRODUCT_KIND_UNSPECIFIED); },
            "product.kind: required"},
        BadProduct{"c_no_manufacturer",
                   [](v1::Product* p) { p->clear_manufacturer(); },
                   "product.manufacturer: required"},
        BadProduct{"c_zero_pack",
                   [](v1::Product* p) { p->set_units_per_pack(0); },
                   "product.units_per_pack: must be 1..100000, got 0"},
        BadProduct{"c_no_configuration",
                   [](v1::Product* p) { p->clear_cartridge_configuration(); },
                   "product.cartridge_configuration: required"},
        BadProduct{
            "c_reusable_cartridge",
            [](v1::Product* p) { p->set_single_use(false); },
            "product.single_use: needle cartridges are always single-use"},
        BadProduct{
            "c_cartridge_with_pao", [](v1::Product* p) { p->set_pao_days(30); },
            "product.pao_days: only pigments have a period after opening"},
        BadProduct{"p_no_pao", [](v1::Product* p) { p->set_pao_days(0); },
                   "product.pao_days: pigments need a period after opening"},
        BadProduct{
            "p_with_configuration",
            [](v1::Product* p) { p->set_cartridge_configuration("1RL"); },
            "product.cartridge_configuration: only needle cartridges"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(CatalogServiceTest, MissingRequestIdIsRefused) {
  v1::CreateProductRequest request;
  *request.mutable_product() = Cartridge(TestGtin(1));
  v1::Product response;
  grpc::ClientContext ctx;
  EXPECT_THAT(catalog_->CreateProduct(&ctx, request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("request_id: required")));
  EXPECT_EQ(JournalLength(), 0u);
}

TEST_F(CatalogServiceTest, DuplicateGtinIsAlreadyExists) {
  ASSERT_TRUE(Create(Cartridge(TestGtin(1))).ok());
  EXPECT_THAT(Create(Cartridge(TestGtin(1))),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS,
                           HasSubstr("already exists")));
  EXPECT_EQ(JournalLength(), 1u);
}

TEST_F(CatalogServiceTest, RetriedRequestIdAnswersTheSameOverTheWire) {
  v1::Product first, second;
  ASSERT_TRUE(Create(Cartridge(TestGtin(1)), &first, "same-id").ok());
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(Create(Cartridge(TestGtin(1)), &second, "same-id").ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(JournalLength(), 1u);
}

TEST_F(CatalogServiceTest, ListPagesThroughEveryProductInGtinOrder) {
  for (int i = 25; i >= 1; --i) {
    ASSERT_TRUE(
        Create(i % 2 ? Cartridge(TestGtin(i)) : Pigment(TestGtin(i))).ok());
  }
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListProductsRequest request;
    request.mutable_page()->set_page_size(10);
    request.mutable_page()->set_page_token(token);
    v1::ListProductsResponse response;
    grpc::ClientContext ctx;
    ASSERT_TRUE(catalog_->ListProducts(&ctx, request, &response).ok());
    for (const auto& p : response.products()) seen.push_back(p.gtin());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);

  v1::ListProductsRequest pigments;
  pigments.set_kind(v1::PRODUCT_KIND_PIGMENT);
  v1::ListProductsResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(catalog_->ListProducts(&ctx, pigments, &response).ok());
  EXPECT_EQ(response.products_size(), 12);
}

TEST_F(CatalogServiceTest, ListRefusesAForeignPageToken) {
  v1::ListProductsRequest request;
  request.mutable_page()->set_page_token("garbage");
  v1::ListProductsResponse response;
  grpc::ClientContext ctx;
  EXPECT_THAT(catalog_->ListProducts(&ctx, request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("page.page_token")));
  request.mutable_page()->set_page_token("");
  request.mutable_page()->set_page_size(5000);
  grpc::ClientContext ctx2;
  EXPECT_THAT(catalog_->ListProducts(&ctx2, request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("page.page_size: must be 0..1000")));
}

TEST_F(CatalogServiceTest, RoomsBelongToAnExistingClinic) {
  v1::Location clinic, room, other;
  ASSERT_TRUE(
      CreateLocation("Harley St", v1::LOCATION_KIND_CLINIC, "", &clinic).ok());
  EXPECT_EQ(clinic.location_id(), "LOC-000001");
  ASSERT_TRUE(
      CreateLocation("Room 1", v1::LOCATION_KIND_ROOM, "loc-1", &room).ok());
  EXPECT_EQ(room.parent_id(), "LOC-000001");

  EXPECT_THAT(CreateLocation("Room 2", v1::LOCATION_KIND_ROOM, "", &other),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("location.parent_id: required")));
  EXPECT_THAT(
      CreateLocation("Room 2", v1::LOCATION_KIND_ROOM, "LOC-000009", &other),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                   HasSubstr("location LOC-000009 does not exist")));
  EXPECT_THAT(CreateLocation("Cupboard", v1::LOCATION_KIND_STORE,
                             room.location_id(), &other),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr("is not a clinic")));
  EXPECT_THAT(CreateLocation("Clinic 2", v1::LOCATION_KIND_CLINIC, "LOC-000001",
                             &other),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("a clinic has no parent")));

  v1::ListLocationsRequest list;
  list.set_parent_id("LOC-000001");
  v1::ListLocationsResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(catalog_->ListLocations(&ctx, list, &response).ok());
  ASSERT_EQ(response.locations_size(), 1);
  EXPECT_EQ(response.locations(0).name(), "Room 1");
}

TEST_F(CatalogServiceTest, SuppliersGetIdsAndVersions) {
  v1::CreateSupplierRequest create;
  create.set_request_id("s1");
  create.mutable_supplier()->set_name("MedSupply Ltd");
  v1::Supplier supplier;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(catalog_->CreateSupplier(&ctx, create, &supplier).ok());
  }
  EXPECT_EQ(supplier.supplier_id(), "SUP-000001");

  v1::UpdateSupplierRequest update;
  update.set_request_id("s2");
  *update.mutable_supplier() = supplier;
  update.mutable_supplier()->set_contact("orders@medsupply.example");
  v1::Supplier updated;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(catalog_->UpdateSupplier(&ctx, update, &updated).ok());
  }
  EXPECT_EQ(updated.version(), 2);

  v1::GetSupplierRequest get;
  get.set_supplier_id("SUP-000002");
  grpc::ClientContext ctx;
  EXPECT_THAT(catalog_->GetSupplier(&ctx, get, &updated),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           HasSubstr("supplier SUP-000002 does not exist")));
}

TEST(ToGrpcStatus, KeepsCodeAndMessageAndCarriesTheRefusalReason) {
  grpc::Status plain =
      ToGrpcStatus(absl::NotFoundError("product x does not exist"));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(plain.error_message(), "product x does not exist");
  EXPECT_TRUE(plain.error_details().empty());

  grpc::Status refused =
      ToGrpcStatus(Refusal("lot_expired", "lot L1 expired on 2026-10-31"));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::StatusDetails details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  EXPECT_EQ(details.code(),
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  ASSERT_EQ(details.details_size(), 1);
  v1::Refusal refusal;
  ASSERT_TRUE(details.details(0).UnpackTo(&refusal));
  EXPECT_EQ(refusal.reason(), "lot_expired");
  EXPECT_EQ(refusal.message(), "lot L1 expired on 2026-10-31");

  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_EQ(ToGrpcStatus(absl::DataLossError("x")).error_code(),
            grpc::StatusCode::DATA_LOSS);
}

}  // namespace
}  // namespace smptrace::api
