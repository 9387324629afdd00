# Writes OUT from common/build_info.cc.in with the project version (VERSION)
# and the git commit of SOURCE_DIR ("unknown" outside git). Run by the build
# every time (cmake -P), it rewrites OUT only when the text changed, so a
# build of an unchanged tree recompiles nothing.
set(SMPTRACE_BUILD_VERSION "${VERSION}")
set(SMPTRACE_BUILD_COMMIT "unknown")
find_program(GIT git)
if(GIT)
  execute_process(COMMAND ${GIT} -C ${SOURCE_DIR} rev-parse HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND commit MATCHES "^[0-9a-f]+$")
    set(SMPTRACE_BUILD_COMMIT "${commit}")
  endif()
endif()
configure_file(${SOURCE_DIR}/common/build_info.cc.in ${OUT}.new @ONLY)
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.new ${OUT})
file(REMOVE ${OUT}.new)
