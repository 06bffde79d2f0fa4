# The demo's seed and peer simulator (tests/homeserver/demo.py, used by scripts/demo.sh) against a Synapse of
# their own in ${CMAKE_BINARY_DIR}/demo-test, not a shared fixture's; the test stops it, pass or fail.
set(PRESENTLY_DEMO_PYTHON ${CMAKE_SOURCE_DIR}/.venv/bin/python)
if(NOT EXISTS ${PRESENTLY_DEMO_PYTHON})
  message(FATAL_ERROR "No Python venv with Synapse at ${CMAKE_SOURCE_DIR}/.venv: run scripts/install-deps.sh first.")
endif()
add_test(NAME demo_seed_and_simulate
         COMMAND ${PRESENTLY_DEMO_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/test_demo.py --dir ${CMAKE_BINARY_DIR}/demo-test)
set_tests_properties(demo_seed_and_simulate PROPERTIES LABELS integration TIMEOUT 300
                     FAIL_REGULAR_EXPRESSION "test_demo: FAIL")
