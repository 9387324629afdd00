#include "client/catalog_commands.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/list_pages.h"
#include "client/output.h"
#include "smptrace/v1/catalog.grpc.pb.h"

namespace smptrace::client {
namespace {

// Names a person types for the kinds; the first of each is canonical.
const std::map<std::string, v1::ProductKind>& ProductKinds() {
  static const auto* kinds = new std::map<std::string, v1::ProductKind>{
      {"cartridge", v1::PRODUCT_KIND_NEEDLE_CARTRIDGE},
      {"needle_cartridge", v1::PRODUCT_KIND_NEEDLE_CARTRIDGE},
      {"pigment", v1::PRODUCT_KIND_PIGMENT},
      {"consumable", v1::PRODUCT_KIND_CONSUMABLE},
  };
  return *kinds;
}

const std::map<std::string, v1::LocationKind>& LocationKinds() {
  static const auto* kinds = new std::map<std::string, v1::LocationKind>{
      {"clinic", v1::LOCATION_KIND_CLINIC},
      {"room", v1::LOCATION_KIND_ROOM},
      {"store", v1::LOCATION_KIND_STORE},
  };
  return *kinds;
}

std::string KindName(v1::ProductKind kind) {
  return ShortEnumName(v1::ProductKind_Name(kind), "PRODUCT_KIND_");
}
std::string KindName(v1::LocationKind kind) {
  return ShortEnumName(v1::LocationKind_Name(kind), "LOCATION_KIND_");
}

// Everything a product subcommand may set; `given` tells update which
// options were typed.
struct ProductFlags {
  std::string gtin, name, kind, manufacturer, shade, configuration, hibc_id;
  std::string sterilization;
  // The pigment's REACH label (InkLabel).
  std::string ink_statement, ink_safety;
  std::vector<std::string> ink_ingredients;
  bool ink_nickel = false, ink_chromium = false;
  int units_per_pack = 1;
  int pao_days = 0;
  bool single_use = false, sterile = false;
  int64_t version = 0;
  std::map<std::string, CLI::Option*> options;
  bool given(const std::string& name) const {
    auto it = options.find(name);
    return it != options.end() && it->second->count() > 0;
  }
};

void AddProductFieldOptions(CLI::App* cmd, ProductFlags& f, bool create) {
  auto add = [&](const std::string& name, auto& field,
                 const std::string& help) {
    f.options[name] = cmd->add_option("--" + name, field, help);
  };
  add("name", f.name, "product name as on the box");
  std::string kinds = "needle cartridge, pigment or consumable";
  f.options["kind"] =
      cmd->add_option("--kind", f.kind, "cartridge | pigment | consumable")
          ->transform(CLI::IsMember(ProductKinds(), CLI::ignore_case));
  add("manufacturer", f.manufacturer, "manufacturer");
  add("units_per_pack", f.units_per_pack, "units in one pack (default 1)");
  f.options["single_use"] = cmd->add_option("--single_use", f.single_use,
                                            "single-use item: true/false");
  f.options["sterile"] =
      cmd->add_option("--sterile", f.sterile, "supplied sterile: true/false");
  add("pao_days", f.pao_days, "pigments: period after opening, in days");
  add("shade", f.shade, "pigments: shade");
  add("configuration", f.configuration,
      "needle cartridges: configuration, e.g. '1RL 0.25mm'");
  add("hibc_id", f.hibc_id, "HIBC product id (labeler+product+unit) if any");
  f.options["sterilization"] =
      cmd->add_option("--sterilization", f.sterilization,
                      "how its lots are sterilised, when receiving does not "
                      "say: eo | gamma | e_beam | steam")
          ->transform(CLI::IsMember(SterilizationMethods(), CLI::ignore_case));
  add("ink_statement", f.ink_statement,
      "pigments, REACH label: the statement as printed, e.g. 'Mixture for "
      "use in tattoos or permanent make-up'");
  f.options["ink_ingredient"] = cmd->add_option(
      "--ink_ingredient", f.ink_ingredients,
      "pigments, REACH label: one ingredient (INCI name, CAS/EC number or "
      "CI), in the label's order; repeat it. End it with ' (pH regulator)' "
      "when the label says so");
  f.options["ink_nickel"] =
      cmd->add_option("--ink_nickel", f.ink_nickel,
                      "pigments, REACH label: 'Contains nickel' (true/false)");
  f.options["ink_chromium"] = cmd->add_option(
      "--ink_chromium", f.ink_chromium,
      "pigments, REACH label: 'Contains chromium (VI)' (true/false)");
  add("ink_safety", f.ink_safety,
      "pigments, REACH label: the safe-use instructions as printed");
  if (create) {
    f.options["name"]->required();
    f.options["kind"]->required();
    f.options["manufacturer"]->required();
  }
}

void FillProduct(const ProductFlags& f, v1::Product* p) {
  if (f.given("name")) p->set_name(f.name);
  if (f.given("kind"))
    p->set_kind(ProductKinds().at(absl::AsciiStrToLower(f.kind)));
  if (f.given("manufacturer")) p->set_manufacturer(f.manufacturer);
  if (f.given("units_per_pack")) p->set_units_per_pack(f.units_per_pack);
  if (f.given("single_use")) p->set_single_use(f.single_use);
  if (f.given("sterile")) p->set_sterile(f.sterile);
  if (f.given("pao_days")) p->set_pao_days(f.pao_days);
  if (f.given("shade")) p->set_shade(f.shade);
  if (f.given("configuration")) p->set_cartridge_configuration(f.configuration);
  if (f.given("hibc_id")) p->set_hibc_id(f.hibc_id);
  constexpr absl::string_view kPhRegulator = " (pH regulator)";
  if (f.given("ink_statement")) {
    p->mutable_ink_label()->set_mixture_statement(f.ink_statement);
  }
  if (f.given("ink_ingredient")) {
    p->mutable_ink_label()->clear_ingredients();
    for (const std::string& name : f.ink_ingredients) {
      v1::InkIngredient* in = p->mutable_ink_label()->add_ingredients();
      const bool ph = absl::EndsWith(name, kPhRegulator);
      in->set_name(ph ? name.substr(0, name.size() - kPhRegulator.size())
                      : name);
      in->set_ph_regulator(ph);
    }
  }
  if (f.given("ink_nickel")) {
    p->mutable_ink_label()->set_contains_nickel(f.ink_nickel);
  }
  if (f.given("ink_chromium")) {
    p->mutable_ink_label()->set_contains_chromium_vi(f.ink_chromium);
  }
  if (f.given("ink_safety")) {
    p->mutable_ink_label()->set_safety_instructions(f.ink_safety);
  }
  if (f.given("sterilization")) {
    p->set_sterilization_method(
        SterilizationMethods().at(absl::AsciiStrToLower(f.sterilization)));
  }
}

std::string ProductDetail(const v1::Product& p) {
  std::vector<std::string> parts;
  if (p.single_use()) parts.push_back("single-use");
  if (p.sterile()) {
    parts.push_back(
        p.sterilization_method() == v1::STERILIZATION_METHOD_UNSPECIFIED
            ? "sterile"
            : "sterile (" +
                  ShortEnumName(
                      v1::SterilizationMethod_Name(p.sterilization_method()),
                      "STERILIZATION_METHOD_") +
                  ")");
  }
  if (!p.cartridge_configuration().empty()) {
    parts.push_back(p.cartridge_configuration());
  }
  if (!p.shade().empty()) parts.push_back("shade " + p.shade());
  if (p.pao_days() > 0)
    parts.push_back(absl::StrCat("PAO ", p.pao_days(), "d"));
  if (p.has_ink_label()) {
    parts.push_back(absl::StrCat(
        "REACH label, ", p.ink_label().ingredients_size(), " ingredients"));
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " · ") + part;
  return out;
}

void PrintProducts(const std::vector<const v1::Product*>& products) {
  Table table(
      {"GTIN", "VER", "KIND", "NAME", "MANUFACTURER", "PACK", "DETAIL"});
  for (const v1::Product* p : products) {
    table.AddRow({p->gtin(), absl::StrCat(p->version()), KindName(p->kind()),
                  p->name(), p->manufacturer(),
                  absl::StrCat(p->units_per_pack()), ProductDetail(*p)});
  }
  table.Print(std::cout);
  // One pigment: its label as the client will be shown it.
  if (products.size() == 1 && products[0]->has_ink_label()) {
    const v1::InkLabel& label = products[0]->ink_label();
    std::vector<std::string> ingredients;
    for (const v1::InkIngredient& in : label.ingredients()) {
      ingredients.push_back(in.ph_regulator()
                                ? absl::StrCat(in.name(), " (pH regulator)")
                                : in.name());
    }
    std::cout << "label     " << label.mixture_statement() << "\n"
              << "          ingredients: " << absl::StrJoin(ingredients, ", ")
              << "\n";
    std::cout << "          contains nickel: "
              << (label.contains_nickel() ? "yes" : "no")
              << " · contains chromium (VI): "
              << (label.contains_chromium_vi() ? "yes" : "no") << "\n";
    if (!label.safety_instructions().empty()) {
      std::cout << "          safety: " << label.safety_instructions() << "\n";
    }
  }
}

void PrintSuppliers(const std::vector<const v1::Supplier*>& suppliers) {
  Table table({"ID", "VER", "NAME", "CONTACT"});
  for (const v1::Supplier* s : suppliers) {
    table.AddRow({s->supplier_id(), absl::StrCat(s->version()), s->name(),
                  s->contact()});
  }
  table.Print(std::cout);
}

void PrintLocations(const std::vector<const v1::Location*>& locations) {
  Table table({"ID", "VER", "KIND", "NAME", "PARENT"});
  for (const v1::Location* l : locations) {
    table.AddRow({l->location_id(), absl::StrCat(l->version()),
                  KindName(l->kind()), l->name(),
                  l->parent_id().empty() ? "-" : l->parent_id()});
  }
  table.Print(std::cout);
}

// Prints one record (table or JSON) and returns 0, or reports the error.
template <typename T, typename PrintFn>
int Show(const Connection& conn, const grpc::Status& status, const T& record,
         PrintFn print) {
  if (!status.ok()) return ReportError(status);
  if (conn.options().json) {
    std::cout << ToJson(record) << "\n";
  } else {
    print(std::vector<const T*>{&record});
  }
  return 0;
}

void AddProductCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code) {
  CLI::App* product = app.add_subcommand("product", "catalogue products");
  product->require_subcommand(1);

  auto create_flags = std::make_shared<ProductFlags>();
  CLI::App* create = product->add_subcommand("create", "add a product");
  create->add_option("--gtin", create_flags->gtin, "GTIN-8/12/13/14")
      ->required();
  AddProductFieldOptions(create, *create_flags, /*create=*/true);
  create->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::CreateProductRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_product()->set_gtin(create_flags->gtin);
    request.mutable_product()->set_units_per_pack(1);
    FillProduct(*create_flags, request.mutable_product());
    v1::Product response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CreateProduct(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintProducts);
  });

  auto update_flags = std::make_shared<ProductFlags>();
  CLI::App* update = product->add_subcommand(
      "update",
      "change a product (only the options given); makes a new version");
  update->add_option("--gtin", update_flags->gtin, "the product's GTIN")
      ->required();
  AddProductFieldOptions(update, *update_flags, /*create=*/false);
  update->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::GetProductRequest get;
    get.set_gtin(update_flags->gtin);
    v1::Product current;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetProduct(ctx, get, &current);
    });
    if (!status.ok()) {
      *exit_code = ReportError(status);
      return;
    }
    v1::UpdateProductRequest request;
    request.set_request_id(NewRequestId());
    request.set_expected_version(current.version());
    *request.mutable_product() = current;
    FillProduct(*update_flags, request.mutable_product());
    v1::Product response;
    status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->UpdateProduct(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintProducts);
  });

  auto get_flags = std::make_shared<ProductFlags>();
  CLI::App* get = product->add_subcommand("get", "show one product");
  get->add_option("--gtin", get_flags->gtin, "the product's GTIN")->required();
  get->add_option("--version", get_flags->version,
                  "an earlier version (default: current)");
  get->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::GetProductRequest request;
    request.set_gtin(get_flags->gtin);
    request.set_version(get_flags->version);
    v1::Product response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetProduct(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintProducts);
  });

  auto list_flags = std::make_shared<ListFlags>();
  auto list_kind = std::make_shared<std::string>();
  CLI::App* list = product->add_subcommand("list", "list products");
  AddListOptions(list, *list_flags);
  list->add_option("--kind", *list_kind, "only this kind")
      ->transform(CLI::IsMember(ProductKinds(), CLI::ignore_case));
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    std::string first_token = list_flags->page_token;
    *exit_code = ListAll<v1::ListProductsResponse, v1::Product>(
        conn, list_flags->all,
        [&](const std::string& token, v1::ListProductsResponse* page) {
          v1::ListProductsRequest request;
          request.mutable_page()->set_page_size(list_flags->page_size);
          request.mutable_page()->set_page_token(token.empty() ? first_token
                                                               : token);
          if (!list_kind->empty()) {
            request.set_kind(
                ProductKinds().at(absl::AsciiStrToLower(*list_kind)));
          }
          return conn.Call([&](grpc::ClientContext* ctx) {
            return stub->ListProducts(ctx, request, page);
          });
        },
        [](const v1::ListProductsResponse& r) -> const auto& {
          return r.products();
        },
        PrintProducts);
  });
}

struct SupplierFlags {
  std::string id, name, contact;
  int64_t version = 0;
  CLI::Option* name_opt = nullptr;
  CLI::Option* contact_opt = nullptr;
};

void AddSupplierCommands(CLI::App& app,
                         const std::function<Connection()>& connect,
                         int* exit_code) {
  CLI::App* supplier = app.add_subcommand("supplier", "suppliers");
  supplier->require_subcommand(1);

  auto f = std::make_shared<SupplierFlags>();
  CLI::App* create = supplier->add_subcommand("create", "add a supplier");
  create->add_option("--name", f->name, "supplier name")->required();
  create->add_option("--contact", f->contact, "email, phone, account number");
  create->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::CreateSupplierRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_supplier()->set_name(f->name);
    request.mutable_supplier()->set_contact(f->contact);
    v1::Supplier response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CreateSupplier(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintSuppliers);
  });

  auto u = std::make_shared<SupplierFlags>();
  CLI::App* update = supplier->add_subcommand("update", "change a supplier");
  update->add_option("--id", u->id, "supplier id, e.g. SUP-000001")->required();
  u->name_opt = update->add_option("--name", u->name, "new name");
  u->contact_opt = update->add_option("--contact", u->contact, "new contact");
  update->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::GetSupplierRequest get;
    get.set_supplier_id(u->id);
    v1::Supplier current;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetSupplier(ctx, get, &current);
    });
    if (!status.ok()) {
      *exit_code = ReportError(status);
      return;
    }
    v1::UpdateSupplierRequest request;
    request.set_request_id(NewRequestId());
    request.set_expected_version(current.version());
    *request.mutable_supplier() = current;
    if (u->name_opt->count() > 0) request.mutable_supplier()->set_name(u->name);
    if (u->contact_opt->count() > 0) {
      request.mutable_supplier()->set_contact(u->contact);
    }
    v1::Supplier response;
    status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->UpdateSupplier(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintSuppliers);
  });

  auto g = std::make_shared<SupplierFlags>();
  CLI::App* get = supplier->add_subcommand("get", "show one supplier");
  get->add_option("--id", g->id, "supplier id")->required();
  get->add_option("--version", g->version, "an earlier version");
  get->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::GetSupplierRequest request;
    request.set_supplier_id(g->id);
    request.set_version(g->version);
    v1::Supplier response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetSupplier(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintSuppliers);
  });

  auto l = std::make_shared<ListFlags>();
  CLI::App* list = supplier->add_subcommand("list", "list suppliers");
  AddListOptions(list, *l);
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    std::string first_token = l->page_token;
    *exit_code = ListAll<v1::ListSuppliersResponse, v1::Supplier>(
        conn, l->all,
        [&](const std::string& token, v1::ListSuppliersResponse* page) {
          v1::ListSuppliersRequest request;
          request.mutable_page()->set_page_size(l->page_size);
          request.mutable_page()->set_page_token(token.empty() ? first_token
                                                               : token);
          return conn.Call([&](grpc::ClientContext* ctx) {
            return stub->ListSuppliers(ctx, request, page);
          });
        },
        [](const v1::ListSuppliersResponse& r) -> const auto& {
          return r.suppliers();
        },
        PrintSuppliers);
  });
}

struct LocationFlags {
  std::string id, name, kind, parent;
  int64_t version = 0;
  CLI::Option* name_opt = nullptr;
  CLI::Option* parent_opt = nullptr;
};

void AddLocationCommands(CLI::App& app,
                         const std::function<Connection()>& connect,
                         int* exit_code) {
  CLI::App* location = app.add_subcommand("location", "clinics, rooms, stores");
  location->require_subcommand(1);

  auto f = std::make_shared<LocationFlags>();
  CLI::App* create = location->add_subcommand("create", "add a location");
  create->add_option("--name", f->name, "name, e.g. 'Room 2'")->required();
  create->add_option("--kind", f->kind, "clinic | room | store")
      ->required()
      ->transform(CLI::IsMember(LocationKinds(), CLI::ignore_case));
  create->add_option("--parent", f->parent,
                     "rooms and stores: the clinic's id, e.g. LOC-000001");
  create->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::CreateLocationRequest request;
    request.set_request_id(NewRequestId());
    request.mutable_location()->set_name(f->name);
    request.mutable_location()->set_kind(
        LocationKinds().at(absl::AsciiStrToLower(f->kind)));
    request.mutable_location()->set_parent_id(f->parent);
    v1::Location response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->CreateLocation(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintLocations);
  });

  auto u = std::make_shared<LocationFlags>();
  CLI::App* update =
      location->add_subcommand("update", "rename or move a location");
  update->add_option("--id", u->id, "location id")->required();
  u->name_opt = update->add_option("--name", u->name, "new name");
  u->parent_opt = update->add_option("--parent", u->parent, "new clinic");
  update->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::GetLocationRequest get;
    get.set_location_id(u->id);
    v1::Location current;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetLocation(ctx, get, &current);
    });
    if (!status.ok()) {
      *exit_code = ReportError(status);
      return;
    }
    v1::UpdateLocationRequest request;
    request.set_request_id(NewRequestId());
    request.set_expected_version(current.version());
    *request.mutable_location() = current;
    if (u->name_opt->count() > 0) request.mutable_location()->set_name(u->name);
    if (u->parent_opt->count() > 0) {
      request.mutable_location()->set_parent_id(u->parent);
    }
    v1::Location response;
    status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->UpdateLocation(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintLocations);
  });

  auto g = std::make_shared<LocationFlags>();
  CLI::App* get = location->add_subcommand("get", "show one location");
  get->add_option("--id", g->id, "location id")->required();
  get->add_option("--version", g->version, "an earlier version");
  get->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    v1::GetLocationRequest request;
    request.set_location_id(g->id);
    request.set_version(g->version);
    v1::Location response;
    grpc::Status status = conn.Call([&](grpc::ClientContext* ctx) {
      return stub->GetLocation(ctx, request, &response);
    });
    *exit_code = Show(conn, status, response, PrintLocations);
  });

  auto l = std::make_shared<ListFlags>();
  auto parent = std::make_shared<std::string>();
  CLI::App* list = location->add_subcommand("list", "list locations");
  AddListOptions(list, *l);
  list->add_option("--parent", *parent,
                   "only the rooms and stores of this clinic");
  list->callback([=] {
    Connection conn = connect();
    auto stub = v1::CatalogService::NewStub(conn.channel());
    std::string first_token = l->page_token;
    *exit_code = ListAll<v1::ListLocationsResponse, v1::Location>(
        conn, l->all,
        [&](const std::string& token, v1::ListLocationsResponse* page) {
          v1::ListLocationsRequest request;
          request.mutable_page()->set_page_size(l->page_size);
          request.mutable_page()->set_page_token(token.empty() ? first_token
                                                               : token);
          request.set_parent_id(*parent);
          return conn.Call([&](grpc::ClientContext* ctx) {
            return stub->ListLocations(ctx, request, page);
          });
        },
        [](const v1::ListLocationsResponse& r) -> const auto& {
          return r.locations();
        },
        PrintLocations);
  });
}

}  // namespace

const std::map<std::string, v1::SterilizationMethod>& SterilizationMethods() {
  static const auto* methods =
      new std::map<std::string, v1::SterilizationMethod>{
          {"eo", v1::STERILIZATION_METHOD_ETHYLENE_OXIDE},
          {"gamma", v1::STERILIZATION_METHOD_GAMMA},
          {"e_beam", v1::STERILIZATION_METHOD_E_BEAM},
          {"steam", v1::STERILIZATION_METHOD_STEAM},
      };
  return *methods;
}

void AddCatalogCommands(CLI::App& app,
                        const std::function<Connection()>& connect,
                        int* exit_code) {
  AddProductCommands(app, connect, exit_code);
  AddSupplierCommands(app, connect, exit_code);
  AddLocationCommands(app, connect, exit_code);
}

}  // namespace smptrace::client
