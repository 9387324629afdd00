// Paged lists on the command line: --page_size, --page_token and --all, and
// one loop that fetches the pages and prints their rows (a table, or one
// JSON object per line with --json).
#ifndef SMPTRACE_CLIENT_LIST_PAGES_H_
#define SMPTRACE_CLIENT_LIST_PAGES_H_

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "client/connection.h"
#include "client/output.h"

namespace smptrace::client {

// Fetches every page of a list. `call(token, response)` asks for one page.
template <typename Response, typename Item, typename Items, typename Call,
          typename PrintFn>
int ListAll(const Connection& conn, bool all, Call call, Items items,
            PrintFn print) {
  std::vector<Response> pages;
  std::string token;
  do {
    Response page;
    grpc::Status status = call(token, &page);
    if (!status.ok()) return ReportError(status);
    token = page.next_page_token();
    pages.push_back(std::move(page));
  } while (all && !token.empty());
  std::vector<const Item*> rows;
  for (const auto& page : pages) {
    for (const auto& item : items(page)) rows.push_back(&item);
  }
  if (conn.options().json) {
    for (const Item* item : rows) std::cout << ToJson(*item) << "\n";
  } else {
    print(rows);
    if (!token.empty()) {
      std::cout << "(more: --all for every page, or --page_token " << token
                << ")\n";
    }
  }
  return 0;
}

struct ListFlags {
  int page_size = 100;
  std::string page_token;
  bool all = false;
};

inline void AddListOptions(CLI::App* cmd, ListFlags& f) {
  cmd->add_option("--page_size", f.page_size, "rows per page (1..1000)")
      ->capture_default_str();
  cmd->add_option("--page_token", f.page_token, "continue after this token");
  cmd->add_flag("--all", f.all, "fetch every page");
}

// ListAll() of one RPC: sends `request` by `method` of `stub`, with the
// flags' page size and each page's token (the first from --page_token).
template <typename Item, typename Stub, typename Request, typename Response,
          typename Items, typename PrintFn>
int ListPages(const Connection& conn, const ListFlags& flags, Stub& stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                           Response*),
              Request request, Items items, PrintFn print) {
  return ListAll<Response, Item>(
      conn, flags.all,
      [&](const std::string& token, Response* page) {
        request.mutable_page()->set_page_size(flags.page_size);
        request.mutable_page()->set_page_token(token.empty() ? flags.page_token
                                                             : token);
        return conn.Call([&](grpc::ClientContext* ctx) {
          return (stub.*method)(ctx, request, page);
        });
      },
      items, print);
}

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_LIST_PAGES_H_
