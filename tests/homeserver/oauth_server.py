#!/usr/bin/env python3
"""The OAuth 2.0 side of a homeserver that delegates sign-in (Matrix Authentication Service, MSC3861), as far as
a client that does not speak it meets it: Synapse with `matrix_authentication_service` serves this server's
/.well-known/openid-configuration as its /_matrix/client/v1/auth_metadata. Nothing else is served.

    python oauth_server.py <port>
"""
from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> int:
    port = int(sys.argv[1])
    issuer = f"http://127.0.0.1:{port}/"
    document = json.dumps({
        "issuer": issuer,
        "authorization_endpoint": issuer + "authorize",
        "token_endpoint": issuer + "oauth2/token",
        "jwks_uri": issuer + "oauth2/keys.json",
        "registration_endpoint": issuer + "oauth2/registration",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "account_management_uri": issuer + "account/",
        "account_management_actions_supported": ["org.matrix.profile"],
    }).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            if self.path != "/.well-known/openid-configuration":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            # Synapse's HTTP client fails a body without a length (Twisted PartialDownloadError).
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
