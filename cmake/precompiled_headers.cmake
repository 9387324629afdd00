# Precompiled headers (-DSMPTRACE_PCH=ON; CI's three builds use them).
#
# Most of a translation unit's compile time here is parsing the same
# third-party headers: a test includes ~380 k lines, two thirds of its
# compile time at -O2, nearly all of it gRPC, protobuf, gtest and our
# generated messages. Precompiling them halves a test's compile time.
#
# Off by default: ccache caches nothing that uses a precompiled header
# unless told to be sloppy about it, and developers' builds rely on ccache.

option(SMPTRACE_PCH "Precompile the heavy third-party and generated headers" OFF)

# The generated messages every service-level file sees.
set(smptrace_pch_messages
  <smptrace/v1/common.pb.h> <smptrace/v1/catalog.pb.h>
  <smptrace/v1/inventory.pb.h> <smptrace/v1/session.pb.h>
  <smptrace/v1/audit.pb.h> <smptrace/v1/admin.pb.h>
  <smptrace/v1/journal.pb.h> <smptrace/v1/ledger.pb.h>)
set(smptrace_pch_stubs
  <grpcpp/grpcpp.h>
  <smptrace/v1/catalog.grpc.pb.h> <smptrace/v1/inventory.grpc.pb.h>
  <smptrace/v1/session.grpc.pb.h> <smptrace/v1/audit.grpc.pb.h>
  <smptrace/v1/admin.grpc.pb.h>)
set(smptrace_pch_common
  <string> <vector> <memory> <optional>
  <absl/status/status.h> <absl/status/statusor.h> <absl/strings/str_cat.h>
  <absl/time/time.h>)

# smptrace_precompile(TARGET KIND): KIND is one of
#   STORAGE  RocksDB and Abseil (storage/);
#   MESSAGES the generated messages (the ledger, the queries, the proofs);
#   STUBS    the messages and gRPC with the service stubs (API, CLI, the
#            programs and the benchmarks).
# Each library gets its own precompiled header, built with its own flags,
# except STUBS under gcc: every target of that kind (libraries and
# executables alike) shares one, owned by smptrace_stubs_pch and built once
# with the build type's flags.
function(smptrace_precompile target kind)
  if(NOT SMPTRACE_PCH)
    return()
  endif()
  if(kind STREQUAL "STORAGE")
    set(headers ${smptrace_pch_common} <rocksdb/db.h>
        <rocksdb/write_batch.h>)
  elseif(kind STREQUAL "MESSAGES")
    set(headers ${smptrace_pch_common} ${smptrace_pch_messages})
  elseif(kind STREQUAL "STUBS")
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      if(NOT TARGET smptrace_stubs_pch)
        add_library(smptrace_stubs_pch OBJECT
                    ${PROJECT_SOURCE_DIR}/cmake/stubs_pch.cc)
        target_link_libraries(smptrace_stubs_pch PRIVATE smptrace_proto
                              gRPC::grpc++ smptrace_warnings)
        target_precompile_headers(smptrace_stubs_pch PRIVATE
          ${smptrace_pch_common} ${smptrace_pch_messages} ${smptrace_pch_stubs})
      endif()
      smptrace_reuse_precompiled(${target} smptrace_stubs_pch)
      return()
    endif()
    # Otherwise only libraries get one: a program is mostly one file, and
    # a header of its own would cost as much to build as that file.
    get_target_property(type ${target} TYPE)
    if(NOT type STREQUAL "STATIC_LIBRARY")
      return()
    endif()
    set(headers ${smptrace_pch_common} ${smptrace_pch_messages}
        ${smptrace_pch_stubs})
  else()
    message(FATAL_ERROR "smptrace_precompile: unknown kind ${kind}")
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

# smptrace_reuse_precompiled(TARGET FROM): TARGET compiles with FROM's
# precompiled header instead of building its own. gcc only: clang refuses
# a precompiled header whose command-line macros differ from the file's,
# and targets add their own (the clang builds, the sanitizer runs, compile
# those targets without it). gcc checks the header is valid for each file
# (-Winvalid-pch, an error with -Werror).
function(smptrace_reuse_precompiled target from)
  if(SMPTRACE_PCH AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_precompile_headers(${target} REUSE_FROM ${from})
  endif()
endfunction()

# The test binaries (mostly one file each) share one precompiled header,
# owned by smptrace_test_pch and built with the tests' own flags.
function(smptrace_test_precompile target)
  smptrace_reuse_precompiled(${target} smptrace_test_pch)
endfunction()

# gcc 12's bounds and string-operation checkers report inlined std::string
# copies and moves that cannot overflow (its known false positives, e.g.
# canonical/mir#2527 and seqan/seqan3#3054, where they come with a
# precompiled header too). With the headers precompiled it inlines more of
# them, and -Werror would fail on code that is fine. The builds without
# precompiled headers (every developer's, and the packages') keep all three
# as errors; clang's sanitizer builds check bounds at run time.
if(SMPTRACE_PCH AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(smptrace_warnings INTERFACE -Wno-array-bounds
                         -Wno-stringop-overread -Wno-stringop-overflow)
endif()
