#include "service/query/client_access.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "service/domain/ids.h"
#include "service/ledger/clients/consent.h"
#include "service/ledger/clients/state.h"
#include "service/ledger/dates.h"
#include "service/ledger/records.h"
#include "service/query/client_reads.h"
#include "service/query/trace.h"
#include "storage/journal.h"
#include "storage/keys.h"

namespace smptrace::query {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

// The event of journal entry `seq`, which an index says is `what`; DataLoss
// when it is missing or unreadable.
absl::StatusOr<v1::Event> EventAt(const storage::Reader& reader, uint64_t seq,
                                  absl::string_view what) {
  auto bytes = reader.Get(Cf::kJournal, keys::JournalKey(seq));
  v1::Event event;
  if (!bytes.ok() || !bytes->has_value() ||
      (*bytes)->size() < 2 * storage::kHashSize ||
      !ledger::ParseRecord(
           std::string_view(**bytes).substr(2 * storage::kHashSize),
           "journal event", &event)
           .ok()) {
    return absl::DataLossError(
        absl::StrCat("journal entry ", seq, " of ", what, " is unreadable"));
  }
  return event;
}

// Every version of client `client`'s contact the journal holds (those its
// record lists in contact_seqs), opened by `personal`: oldest first.
absl::StatusOr<std::vector<v1::ClientContactVersion>> ContactVersionsOf(
    const storage::Reader& reader, const ledger::PersonalData& personal,
    uint64_t client) {
  SMPTRACE_ASSIGN_OR_RETURN(auto record, ledger::ReadClient(reader, client));
  std::vector<v1::ClientContactVersion> out;
  if (!record.has_value()) return out;
  for (uint64_t seq : record->contact_seqs()) {
    SMPTRACE_ASSIGN_OR_RETURN(v1::Event event,
                              EventAt(reader, seq, "a contact version"));
    v1::Client version;
    if (event.has_client_registered()) {
      version = event.client_registered().client();
    } else if (event.has_client_contact_updated()) {
      version = event.client_contact_updated().client();
    } else {
      return absl::DataLossError(absl::StrCat(
          "journal entry ", seq, " of a contact version is not one"));
    }
    SMPTRACE_RETURN_IF_ERROR(personal.OpenContact(reader, version));
    v1::ClientContactVersion& v = out.emplace_back();
    v.set_version(version.version());
    v.set_seq(seq);
    const bool first = event.has_client_registered();
    *v.mutable_recorded_at() =
        first ? version.created_at() : version.updated_at();
    v.set_recorded_by(first ? version.created_by() : version.updated_by());
    if (version.has_contact()) *v.mutable_contact() = version.contact();
  }
  return out;
}

// The access recorded by journal entry `seq` (client id and code unset): a
// read, an export or an erasure.
absl::StatusOr<v1::ClientAccess> AccessAt(const storage::Reader& reader,
                                          uint64_t seq) {
  SMPTRACE_ASSIGN_OR_RETURN(v1::Event event,
                            EventAt(reader, seq, "a recorded access"));
  if (!event.has_client_record_read() && !event.has_client_erased()) {
    return absl::DataLossError(absl::StrCat(
        "journal entry ", seq, " of a recorded access is not one"));
  }
  v1::ClientAccess access;
  access.set_seq(seq);
  *access.mutable_at() = event.time();
  access.set_by(event.actor());
  if (event.has_client_erased()) {
    const v1::ClientErasure& erasure = event.client_erased().erasure();
    access.set_what(absl::StrCat("erasure (", erasure.legal_basis(), ")"));
    access.set_kind(v1::CLIENT_ACCESS_KIND_ERASURE);
    return access;
  }
  access.set_what(event.client_record_read().what());
  access.set_kind(event.client_record_read().kind() ==
                          v1::CLIENT_ACCESS_KIND_EXPORT
                      ? v1::CLIENT_ACCESS_KIND_EXPORT
                      : v1::CLIENT_ACCESS_KIND_READ);
  return access;
}

// Fills in the client's id and code (read once per client).
class ClientNames {
 public:
  explicit ClientNames(const storage::Reader& reader) : reader_(reader) {}
  absl::Status Name(uint64_t client, v1::ClientAccess& access) {
    auto it = codes_.find(client);
    if (it == codes_.end()) {
      SMPTRACE_ASSIGN_OR_RETURN(auto found,
                                ledger::ReadClient(reader_, client));
      it = codes_.emplace(client, found.has_value() ? found->code() : "").first;
    }
    access.set_client_id(domain::FormatId(IdKind::kClient, client));
    access.set_client_code(it->second);
    return absl::OkStatus();
  }

 private:
  const storage::Reader& reader_;
  std::map<uint64_t, std::string> codes_;
};

}  // namespace

absl::StatusOr<std::vector<v1::ClientAccess>> ClientAccessesOf(
    const storage::Reader& reader, uint64_t client) {
  std::vector<v1::ClientAccess> out;
  ClientNames names(reader);
  const std::string reads = keys::ClientReadPrefix(client);
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, reads, keys::PrefixEnd(reads),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(const uint64_t seq,
                                  keys::DecodeClientReadKey(key));
        SMPTRACE_ASSIGN_OR_RETURN(v1::ClientAccess access,
                                  AccessAt(reader, seq));
        SMPTRACE_RETURN_IF_ERROR(names.Name(client, access));
        out.push_back(std::move(access));
        return true;
      }));
  return out;
}

absl::StatusOr<uint64_t> SeqOfRecordedAccess(const storage::Reader& reader,
                                             uint64_t client,
                                             std::string_view request_id) {
  std::optional<uint64_t> found;
  const std::string reads = keys::ClientReadPrefix(client);
  SMPTRACE_RETURN_IF_ERROR(reader.ScanReverse(
      Cf::kIndex, reads, keys::PrefixEnd(reads),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(const uint64_t seq,
                                  keys::DecodeClientReadKey(key));
        SMPTRACE_ASSIGN_OR_RETURN(const v1::Event event,
                                  EventAt(reader, seq, "a recorded access"));
        if (event.request_id() != request_id) return true;
        found = seq;
        return false;
      }));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("no access to client ", client,
                                            " is recorded under ",
                                            ToAbsl(request_id)));
  }
  return *found;
}

absl::StatusOr<v1::ClientAccessReportResponse> ClientAccessReportOf(
    const storage::Reader& reader, const AccessReportFilter& filter,
    int max_lines) {
  const std::string all = filter.client != 0
                              ? keys::ClientReadPrefix(filter.client)
                              : keys::IndexPrefix(keys::IndexTag::kClientRead);
  std::vector<v1::ClientAccess> lines;
  ClientNames names(reader);
  bool too_many = false;
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, all, keys::PrefixEnd(all),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(const keys::ClientReadEntry entry,
                                  keys::DecodeClientReadEntry(key));
        SMPTRACE_ASSIGN_OR_RETURN(v1::ClientAccess access,
                                  AccessAt(reader, entry.seq));
        const absl::Time at = ledger::FromProto(access.at());
        if (at < filter.from || at >= filter.to) return true;
        if (!filter.by.empty() && access.by() != filter.by) return true;
        if (static_cast<int>(lines.size()) == max_lines) {
          too_many = true;
          return false;
        }
        SMPTRACE_RETURN_IF_ERROR(names.Name(entry.client, access));
        lines.push_back(std::move(access));
        return true;
      }));
  if (too_many) {
    return absl::InvalidArgumentError(
        absl::StrCat("to: the period holds more than ", max_lines,
                     " accesses: ask for a shorter one, or one client or "
                     "principal"));
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const v1::ClientAccess& a, const v1::ClientAccess& b) {
                     return a.seq() < b.seq();
                   });
  struct Tally {
    int64_t reads = 0, exports = 0, erasures = 0;
    std::map<std::string, bool> clients;
  };
  std::map<std::string, Tally> tallies;
  v1::ClientAccessReportResponse out;
  for (v1::ClientAccess& line : lines) {
    Tally& t = tallies[line.by()];
    switch (line.kind()) {
      case v1::CLIENT_ACCESS_KIND_EXPORT:
        ++t.exports;
        break;
      case v1::CLIENT_ACCESS_KIND_ERASURE:
        ++t.erasures;
        break;
      case v1::CLIENT_ACCESS_KIND_UNSPECIFIED:
      case v1::CLIENT_ACCESS_KIND_READ:
      case v1::ClientAccessKind_INT_MIN_SENTINEL_DO_NOT_USE_:
      case v1::ClientAccessKind_INT_MAX_SENTINEL_DO_NOT_USE_:
        ++t.reads;
        break;
    }
    t.clients[line.client_id()] = true;
    *out.add_accesses() = std::move(line);
  }
  for (const auto& [by, t] : tallies) {
    v1::ClientAccessTally* tally = out.add_tallies();
    tally->set_by(by);
    tally->set_reads(t.reads);
    tally->set_exports(t.exports);
    tally->set_erasures(t.erasures);
    tally->set_clients(static_cast<int64_t>(t.clients.size()));
  }
  return out;
}

absl::StatusOr<v1::ClientRecordExport> ClientRecordExportOf(
    const storage::Reader& reader, const ledger::PersonalData& personal,
    uint64_t client) {
  const std::string id = domain::FormatId(IdKind::kClient, client);
  SMPTRACE_ASSIGN_OR_RETURN(auto found, ClientOf(reader, id, &personal));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("client: ", id, " does not exist"));
  }
  v1::ClientRecordExport out;
  *out.mutable_client() = *std::move(found);
  SMPTRACE_ASSIGN_OR_RETURN(auto versions,
                            ContactVersionsOf(reader, personal, client));
  for (v1::ClientContactVersion& v : versions) {
    *out.add_contact_versions() = std::move(v);
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto consents,
                            ledger::ReadClientConsents(reader, client));
  for (v1::ClientConsent& c : consents) *out.add_consents() = std::move(c);
  const std::string sessions = keys::SessionByClientPrefix(client);
  std::vector<uint64_t> numbers;
  SMPTRACE_RETURN_IF_ERROR(reader.Scan(
      Cf::kIndex, sessions, keys::PrefixEnd(sessions),
      [&](std::string_view key, std::string_view) -> absl::StatusOr<bool> {
        SMPTRACE_ASSIGN_OR_RETURN(numbers.emplace_back(),
                                  keys::DecodeSessionByClientKey(key));
        return true;
      }));
  for (uint64_t n : numbers) {
    v1::SterilityRecord* record = out.add_sessions();
    SMPTRACE_ASSIGN_OR_RETURN(*record, SterilityRecordOf(reader, n));
    SMPTRACE_RETURN_IF_ERROR(
        personal.OpenScreening(reader, *record->mutable_session()));
  }
  SMPTRACE_ASSIGN_OR_RETURN(auto accesses, ClientAccessesOf(reader, client));
  for (v1::ClientAccess& a : accesses) *out.add_accesses() = std::move(a);
  return out;
}

}  // namespace smptrace::query
