# A real Synapse for the `integration` and `ui` tests, shared through the CTest fixture `synapse`:
# synapse_start brings it up on 127.0.0.1 and a free port with a fresh database, synapse_stop ends it.
set(PRESENTLY_VENV_PYTHON ${CMAKE_SOURCE_DIR}/.venv/bin/python)
if(NOT EXISTS ${PRESENTLY_VENV_PYTHON})
  message(FATAL_ERROR "No Python venv with Synapse at ${CMAKE_SOURCE_DIR}/.venv: run scripts/install-deps.sh first.")
endif()
set(PRESENTLY_SYNAPSE_DIR ${CMAKE_BINARY_DIR}/synapse)
set(PRESENTLY_HOMESERVER_PY ${CMAKE_CURRENT_LIST_DIR}/homeserver.py)

add_test(NAME synapse_start
         COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} start --fresh --dir ${PRESENTLY_SYNAPSE_DIR})
set_tests_properties(synapse_start PROPERTIES FIXTURES_SETUP synapse LABELS "integration;ui" TIMEOUT 180)
add_test(NAME synapse_stop COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} stop --dir ${PRESENTLY_SYNAPSE_DIR})
set_tests_properties(synapse_stop PROPERTIES FIXTURES_CLEANUP synapse LABELS "integration;ui" TIMEOUT 60)

# Makes a test need the server and tells it where the server's state file is.
function(presently_use_synapse test_name)
  set_property(TEST ${test_name} APPEND PROPERTY FIXTURES_REQUIRED synapse)
  set_property(TEST ${test_name} APPEND PROPERTY ENVIRONMENT
               "PRESENTLY_TEST_HOMESERVER=${PRESENTLY_SYNAPSE_DIR}/homeserver.json")
endfunction()

# A second server with presence turned off, for the "presence unavailable on this server" scenario only.
set(PRESENTLY_SYNAPSE_NO_PRESENCE_DIR ${CMAKE_BINARY_DIR}/synapse-without-presence)
add_test(NAME synapse_without_presence_start
         COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} start --fresh --without-presence
                 --dir ${PRESENTLY_SYNAPSE_NO_PRESENCE_DIR})
set_tests_properties(synapse_without_presence_start PROPERTIES FIXTURES_SETUP synapse_without_presence
                     LABELS "integration;ui" TIMEOUT 180)
add_test(NAME synapse_without_presence_stop
         COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} stop --dir ${PRESENTLY_SYNAPSE_NO_PRESENCE_DIR})
set_tests_properties(synapse_without_presence_stop PROPERTIES FIXTURES_CLEANUP synapse_without_presence
                     LABELS "integration;ui" TIMEOUT 60)

function(presently_use_synapse_without_presence test_name)
  set_property(TEST ${test_name} APPEND PROPERTY FIXTURES_REQUIRED synapse_without_presence)
  set_property(TEST ${test_name} APPEND PROPERTY ENVIRONMENT
               "PRESENTLY_TEST_HOMESERVER=${PRESENTLY_SYNAPSE_NO_PRESENCE_DIR}/homeserver.json")
endfunction()

# A Synapse with its stock settings: what users run (no MSC3026, default presence timers, default rc_presence).
set(PRESENTLY_SYNAPSE_STOCK_DIR ${CMAKE_BINARY_DIR}/synapse-stock)
add_test(NAME synapse_stock_start
         COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} start --fresh --profile stock
                 --dir ${PRESENTLY_SYNAPSE_STOCK_DIR})
set_tests_properties(synapse_stock_start PROPERTIES FIXTURES_SETUP synapse_stock LABELS "integration;ui" TIMEOUT 180)
add_test(NAME synapse_stock_stop COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} stop --dir ${PRESENTLY_SYNAPSE_STOCK_DIR})
set_tests_properties(synapse_stock_stop PROPERTIES FIXTURES_CLEANUP synapse_stock LABELS "integration;ui" TIMEOUT 60)

function(presently_use_synapse_stock test_name)
  set_property(TEST ${test_name} APPEND PROPERTY FIXTURES_REQUIRED synapse_stock)
  set_property(TEST ${test_name} APPEND PROPERTY ENVIRONMENT
               "PRESENTLY_TEST_HOMESERVER=${PRESENTLY_SYNAPSE_STOCK_DIR}/homeserver.json")
endfunction()
