# The linker. mold (Debian's package mold, which deploy/setup-dev.sh
# installs) links the ~100 test binaries about four times faster than GNU
# ld (3.3 s against 0.8 s for session_service_test on the 2-core CI
# machine), and most of a build after a small change is linking.
# SMPTRACE_LINKER=auto takes mold when the compiler can use it, =mold
# insists on it, =default keeps the compiler's own linker.
set(SMPTRACE_LINKER "auto" CACHE STRING
    "Linker: auto (mold if usable), mold, or default (the compiler's)")
set_property(CACHE SMPTRACE_LINKER PROPERTY STRINGS auto mold default)

if(NOT SMPTRACE_LINKER STREQUAL "default")
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=mold" SMPTRACE_MOLD_USABLE)
  if(SMPTRACE_MOLD_USABLE)
    add_link_options(-fuse-ld=mold)
  elseif(SMPTRACE_LINKER STREQUAL "mold")
    message(FATAL_ERROR "SMPTRACE_LINKER=mold, but ${CMAKE_CXX_COMPILER} "
                        "cannot link with -fuse-ld=mold: install mold "
                        "(apt-get install mold)")
  else()
    message(STATUS "mold not found: linking with the compiler's linker")
  endif()
endif()
