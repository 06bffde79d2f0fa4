# Real Synapse servers for the `integration` and `ui` tests, each shared through a CTest fixture: <name>_start
# brings it up on 127.0.0.1 and a free port with a fresh database and configuration, <name>_stop ends it.
set(PRESENTLY_VENV_PYTHON ${CMAKE_SOURCE_DIR}/.venv/bin/python)
if(NOT EXISTS ${PRESENTLY_VENV_PYTHON})
  message(FATAL_ERROR "No Python venv with Synapse at ${CMAKE_SOURCE_DIR}/.venv: run scripts/install-deps.sh first.")
endif()
set(PRESENTLY_HOMESERVER_PY ${CMAKE_CURRENT_LIST_DIR}/homeserver.py)

# presently_synapse_server(<server> <fixture> [<homeserver.py start options>...]): one server of the fixture,
# living in <build>/<server>, started by <server>_start and stopped by <server>_stop.
function(presently_synapse_server server fixture)
  set(dir ${CMAKE_BINARY_DIR}/${server})
  add_test(NAME ${server}_start
           COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} start --fresh ${ARGN} --dir ${dir})
  set_tests_properties(${server}_start PROPERTIES FIXTURES_SETUP ${fixture} LABELS "integration;ui" TIMEOUT 180)
  add_test(NAME ${server}_stop COMMAND ${PRESENTLY_VENV_PYTHON} ${PRESENTLY_HOMESERVER_PY} stop --dir ${dir})
  set_tests_properties(${server}_stop PROPERTIES FIXTURES_CLEANUP ${fixture} LABELS "integration;ui" TIMEOUT 60)
endfunction()

# presently_synapse_fixture(<fixture> [<homeserver.py start options>...]): the fixture, its server living in
# <build>/<fixture>.
function(presently_synapse_fixture fixture)
  presently_synapse_server(${fixture} ${fixture} ${ARGN})
endfunction()

# presently_use_synapse_fixture(<test> <fixture>): the test needs the server and is told where its state file is
# (for synapse_federation: server A's, and server B's in PRESENTLY_TEST_HOMESERVER_B).
function(presently_use_synapse_fixture test_name fixture)
  set_property(TEST ${test_name} APPEND PROPERTY FIXTURES_REQUIRED ${fixture})
  if(fixture STREQUAL "synapse_federation")
    set_property(TEST ${test_name} APPEND PROPERTY ENVIRONMENT
                 "PRESENTLY_TEST_HOMESERVER=${CMAKE_BINARY_DIR}/synapse_federation_a/homeserver.json"
                 "PRESENTLY_TEST_HOMESERVER_B=${CMAKE_BINARY_DIR}/synapse_federation_b/homeserver.json")
  else()
    set_property(TEST ${test_name} APPEND PROPERTY ENVIRONMENT
                 "PRESENTLY_TEST_HOMESERVER=${CMAKE_BINARY_DIR}/${fixture}/homeserver.json")
  endif()
endfunction()

# The default for `integration` and `ui` tests (tests/CMakeLists.txt): a Synapse with its stock settings, what
# users run: no MSC3026, default presence timers (offline 30 s after a device's last sync or PUT, unavailable
# after 5 min idle), default rc_presence (one update per user per 10 s).
presently_synapse_fixture(synapse_stock --profile stock)
# The friendly server, only for what stock cannot give (tests/CMakeLists.txt names those tests and why): busy
# presence (MSC3026), presence kept an hour by devices that stopped syncing, rate limits raised.
presently_synapse_fixture(synapse_friendly)
# A server with presence turned off, for the "presence unavailable on this server" scenario only.
presently_synapse_fixture(synapse_without_presence --without-presence)
# Single sign-on: the stock server plus two OpenID Connect providers (oidc-provider, started by homeserver.py
# before Synapse, stopped with it). No redirect whitelist, so a sign-in meets Synapse's stock "Continue to your
# account" page as a person's browser does; passwords stay on, so the dialog offers both.
presently_synapse_fixture(synapse_sso --profile stock --oidc-providers 2)
# Single sign-on only: passwords turned off (password_config.enabled false), one provider; the dialog offers no
# password form.
presently_synapse_fixture(synapse_sso_only --profile stock --oidc-providers 1 --without-passwords)
# Sign-in delegated to an OAuth 2.0 server (Matrix Authentication Service's mode, MSC3861): /login answers 404
# M_UNRECOGNIZED and auth_metadata serves tests/homeserver/oauth_server.py's metadata; the dialog says Presently
# does not support such a server yet.
presently_synapse_fixture(synapse_oauth_only --profile stock --oauth-only)
# Two stock servers, A and B, that federate with each other (homeserver.py --federation-port: a TLS federation
# listener with a certificate made at start, certificates not checked, loopback not blocked, server names
# 127.0.0.1:<federation port>). They start side by side; the fixture is up when both are. Federation in the tests:
# the user under test signs in on A, the others act on B, and everything of B's reaches the app through A (presence,
# profiles in member events, B's media through A's authenticated media), as it would for users on two servers.
presently_synapse_server(synapse_federation_a synapse_federation --profile stock --federation-port)
presently_synapse_server(synapse_federation_b synapse_federation --profile stock --federation-port)
