# The `fuzz` label (docs/fuzzing.md): fuzz_build builds the libFuzzer targets with clang into <build>/fuzz, as a
# fixture, and each target then replays its crashes/ folder and fuzzes for a bounded time (about a minute in
# all). scripts/fuzz.sh runs one for longer.
set(PRESENTLY_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(fuzz_build ${CMAKE_BINARY_DIR}/fuzz)

add_test(NAME fuzz_build COMMAND ${PRESENTLY_FUZZ_DIR}/build.sh ${fuzz_build})
set_tests_properties(fuzz_build PROPERTIES LABELS fuzz TIMEOUT 600 FIXTURES_SETUP fuzz_targets)

# presently_add_fuzz_test(<target> <seconds>)
function(presently_add_fuzz_test target seconds)
  add_test(NAME ${target} COMMAND ${PRESENTLY_FUZZ_DIR}/run.sh ${fuzz_build}/${target} ${seconds}
                                  ${fuzz_build}/runs/${target})
  math(EXPR timeout "${seconds} + 120")
  set_tests_properties(${target} PROPERTIES LABELS fuzz TIMEOUT ${timeout} FIXTURES_REQUIRED fuzz_targets)
endfunction()

# The sync parser reads the largest and most varied input, so it gets the most time.
presently_add_fuzz_test(fuzz_sync 20)
presently_add_fuzz_test(fuzz_api_responses 8)
presently_add_fuzz_test(fuzz_sso_callback 6)
presently_add_fuzz_test(fuzz_control_request 6)
presently_add_fuzz_test(fuzz_control_answer 6)
presently_add_fuzz_test(fuzz_matrix_error 6)
presently_add_fuzz_test(fuzz_mxc_uri 6)
presently_add_fuzz_test(fuzz_avatar_decode 6)
