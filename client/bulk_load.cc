#include "client/bulk_load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "smptrace/v1/catalog.grpc.pb.h"
#include "smptrace/v1/inventory.grpc.pb.h"
#include "smptrace/v1/session.grpc.pb.h"

namespace smptrace::bench {
namespace {

// One practitioner's calls, over the server's in-process channel.
class Practitioner {
 public:
  Practitioner(std::shared_ptr<grpc::Channel> channel, std::string tag,
               const BulkLoadOptions& options, std::string location)
      : inventory_(v1::InventoryService::NewStub(channel)),
        sessions_(v1::SessionService::NewStub(channel)),
        disposal_(v1::DisposalService::NewStub(channel)),
        tag_(std::move(tag)),
        options_(options),
        location_(std::move(location)) {}

  int64_t commands() const { return commands_; }
  int64_t lots() const { return lots_; }

  absl::Status OpenContainer() {
    v1::OpenContainerRequest r;
    r.set_request_id(NextId());
    r.set_location_id(location_);
    r.set_label(absl::StrCat("sharps ", tag_));
    v1::Container out;
    grpc::ClientContext ctx;
    if (absl::Status s =
            Done(disposal_->OpenContainer(&ctx, r, &out), "OpenContainer");
        !s.ok())
      return s;
    container_ = out.container_id();
    return absl::OkStatus();
  }

  // One session for `client`: start, scan, dispose, close.
  absl::Status Session(const std::string& client) {
    std::vector<std::string> barcodes;
    for (int i = 0; i < options_.uses_per_session; ++i) {
      if (next_serial_ >= serials_.size()) {
        if (absl::Status s = ReceiveLot(); !s.ok()) return s;
      }
      barcodes.push_back(absl::StrCat("(01)", options_.gtin, "(10)", lot_,
                                      "(21)", serials_[next_serial_++]));
    }
    v1::StartSessionRequest start;
    start.set_request_id(NextId());
    start.set_client(client);
    start.set_practitioner(absl::StrCat("Practitioner ", tag_));
    start.set_location_id(location_);
    start.set_plan_step(v1::PLAN_STEP_TOUCH_UP);
    start.set_treatment_area("crown");
    start.mutable_answers()->set_none_apply(true);
    v1::Session session;
    {
      grpc::ClientContext ctx;
      if (absl::Status s = Done(sessions_->StartSession(&ctx, start, &session),
                                "StartSession");
          !s.ok())
        return s;
    }
    for (const std::string& barcode : barcodes) {
      v1::ScanConsumableRequest scan;
      scan.set_request_id(NextId());
      scan.set_session_id(session.session_id());
      scan.set_barcode(barcode);
      v1::ScanConsumableResponse used;
      grpc::ClientContext ctx;
      if (absl::Status s = Done(sessions_->ScanConsumable(&ctx, scan, &used),
                                "ScanConsumable");
          !s.ok())
        return s;
    }
    for (const std::string& barcode : barcodes) {
      v1::DisposeRequest dispose;
      dispose.set_request_id(NextId());
      dispose.set_container_id(container_);
      dispose.set_barcode(barcode);
      dispose.set_session_id(session.session_id());
      v1::DisposeResponse out;
      grpc::ClientContext ctx;
      if (absl::Status s =
              Done(disposal_->Dispose(&ctx, dispose, &out), "Dispose");
          !s.ok())
        return s;
    }
    v1::CloseSessionRequest close;
    close.set_request_id(NextId());
    close.set_session_id(session.session_id());
    v1::Session closed;
    grpc::ClientContext ctx;
    if (absl::Status s =
            Done(sessions_->CloseSession(&ctx, close, &closed), "CloseSession");
        !s.ok())
      return s;
    return absl::OkStatus();
  }

 private:
  absl::Status ReceiveLot() {
    lot_ = absl::StrCat("B", tag_, "-", lots_ + 1);
    v1::ReceiveRequest r;
    r.set_request_id(NextId());
    r.set_location_id(location_);
    v1::ReceiveLine* line = r.add_lines();
    line->set_gtin(options_.gtin);
    line->set_lot(lot_);
    line->mutable_expiry()->set_year(2030);
    line->mutable_expiry()->set_month(12);
    line->mutable_expiry()->set_day(31);
    line->set_quantity(static_cast<int32_t>(options_.lot_size));
    v1::ReceiveResponse out;
    grpc::ClientContext ctx;
    if (absl::Status s = Done(inventory_->Receive(&ctx, r, &out), "Receive");
        !s.ok())
      return s;
    serials_.assign(out.lines(0).serials().begin(),
                    out.lines(0).serials().end());
    next_serial_ = 0;
    ++lots_;
    return absl::OkStatus();
  }

  // The call's status as an absl::Status naming it; counts it when OK.
  absl::Status Done(const grpc::Status& status, const char* what) {
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat(what, " (practitioner ", tag_,
                                       "): ", status.error_message()));
    }
    ++commands_;
    return absl::OkStatus();
  }

  std::string NextId() { return absl::StrCat("bulk-", tag_, "-", ++ids_); }

  std::unique_ptr<v1::InventoryService::Stub> inventory_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::DisposalService::Stub> disposal_;
  const std::string tag_;
  const BulkLoadOptions& options_;
  const std::string location_;
  std::string container_;
  std::string lot_;
  std::vector<std::string> serials_;
  size_t next_serial_ = 0;
  int64_t ids_ = 0;
  int64_t commands_ = 0;
  int64_t lots_ = 0;
};

// A GTIN-14's product, created unless it exists; and a room to work in.
absl::StatusOr<std::string> SetUp(grpc::Channel& channel,
                                  const BulkLoadOptions& options,
                                  const std::string& tag) {
  auto catalog = v1::CatalogService::NewStub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  {
    v1::CreateProductRequest r;
    r.set_request_id(absl::StrCat("bulk-", tag, "-product"));
    v1::Product* p = r.mutable_product();
    p->set_gtin(options.gtin);
    p->set_name("Cartridge 1RL 0.25 mm (bulk load)");
    p->set_kind(v1::PRODUCT_KIND_NEEDLE_CARTRIDGE);
    p->set_manufacturer("Acme");
    p->set_units_per_pack(20);
    p->set_single_use(true);
    p->set_sterile(true);
    p->set_cartridge_configuration("1RL");
    v1::Product out;
    grpc::ClientContext ctx;
    grpc::Status s = catalog->CreateProduct(&ctx, r, &out);
    if (!s.ok() && s.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      return absl::UnavailableError(
          absl::StrCat("CreateProduct: ", s.error_message()));
    }
  }
  std::string parent;
  for (const char* kind : {"clinic", "room"}) {
    v1::CreateLocationRequest r;
    r.set_request_id(absl::StrCat("bulk-", tag, "-", kind));
    r.mutable_location()->set_name(absl::StrCat("Bulk ", kind, " ", tag));
    r.mutable_location()->set_kind(parent.empty() ? v1::LOCATION_KIND_CLINIC
                                                  : v1::LOCATION_KIND_ROOM);
    r.mutable_location()->set_parent_id(parent);
    v1::Location out;
    grpc::ClientContext ctx;
    grpc::Status s = catalog->CreateLocation(&ctx, r, &out);
    if (!s.ok()) {
      return absl::UnavailableError(
          absl::StrCat("CreateLocation: ", s.error_message()));
    }
    parent = out.location_id();
  }
  return parent;
}

}  // namespace

absl::StatusOr<BulkLoadReport> BulkLoad(api::Server& server,
                                        const BulkLoadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // Codes, lots and request ids unique to this call.
  const std::string tag =
      absl::StrCat(absl::ToUnixMillis(absl::Now()) % 100000000);
  std::shared_ptr<grpc::Channel> channel = server.InProcessChannel();
  BulkLoadReport report;
  auto location = SetUp(*channel, options, tag);
  if (!location.ok()) return location.status();
  report.location_id = *location;
  report.commands = 3;

  const int threads = std::max(1, options.threads);
  std::atomic<int64_t> next_client{0};
  std::atomic<int64_t> next_session{0};
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::unique_ptr<Practitioner>> practitioners;
  for (int t = 0; t < threads; ++t) {
    practitioners.push_back(std::make_unique<Practitioner>(
        channel, absl::StrCat(tag, "-", t + 1), options, *location));
  }
  auto failed = [&](absl::Status s) {
    absl::MutexLock lock(&mu);
    if (first_error.ok()) first_error = std::move(s);
  };
  auto stopped = [&] {
    absl::MutexLock lock(&mu);
    return !first_error.ok();
  };
  auto client_code = [&](int64_t i) {
    return absl::StrCat("BULK", tag, "-", i);
  };
  auto work = [&](Practitioner& p) {
    auto sessions = v1::SessionService::NewStub(channel);
    // The clients first, shared out between the threads.
    for (int64_t i; (i = next_client.fetch_add(1)) < options.clients;) {
      if (stopped()) return;
      v1::CreateClientRequest c;
      c.set_request_id(absl::StrCat("bulk-", tag, "-client-", i));
      c.set_code(client_code(i));
      c.mutable_contact()->set_name(absl::StrCat("Client ", i));
      c.mutable_contact()->set_email(absl::StrCat("client", i, "@example.org"));
      v1::Client out;
      grpc::ClientContext ctx;
      grpc::Status s = sessions->CreateClient(&ctx, c, &out);
      if (!s.ok()) {
        return failed(absl::UnavailableError(
            absl::StrCat("CreateClient: ", s.error_message())));
      }
    }
    if (absl::Status s = p.OpenContainer(); !s.ok()) return failed(s);
    for (int64_t n; (n = next_session.fetch_add(1)) < options.sessions;) {
      if (stopped()) return;
      if (absl::Status s =
              p.Session(client_code(n % std::max<int64_t>(1, options.clients)));
          !s.ok()) {
        return failed(s);
      }
      if (options.progress && n % 1000 == 999) options.progress(n + 1);
    }
  };
  std::vector<std::thread> running;
  for (auto& p : practitioners) running.emplace_back(work, std::ref(*p));
  for (std::thread& t : running) t.join();
  if (!first_error.ok()) return first_error;

  report.commands += options.clients;
  for (const auto& p : practitioners) {
    report.commands += p->commands();
    report.lots += p->lots();
  }
  report.sessions = options.sessions;
  report.uses = options.sessions * options.uses_per_session;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return report;
}

}  // namespace smptrace::bench
