#!/usr/bin/env python3
"""A local Synapse for Presently's tests and demo.

Run it with the project's venv Python (it starts Synapse from the same interpreter):

    .venv/bin/python tests/homeserver/homeserver.py start --dir DIR [--port N] [--server-name NAME]
                                                          [--federation-port [N]]
    .venv/bin/python tests/homeserver/homeserver.py register --dir DIR --user LOCALPART --password PW
    .venv/bin/python tests/homeserver/homeserver.py stop --dir DIR

`start` writes DIR/homeserver.json ({"base_url", "server_name", "registration_shared_secret", "pid"}) once
/health answers. The functions are importable (the demo script reuses them).
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

STATE_FILE = "homeserver.json"
PID_FILE = "synapse.pid"
CONFIG_FILE = "homeserver.yaml"

# Everyone in the tests acts quickly and often; Synapse's defaults would answer 429. The stock profile keeps
# Synapse's own rc_presence, the limit a presence client meets in the user's world.
RATE_LIMITS = {
    name: {"per_second": 1000, "burst_count": 1000}
    for name in ("rc_message", "rc_presence", "rc_registration", "rc_3pid_validation",
                 "rc_joins_per_room", "rc_media_create", "rc_room_creation", "rc_delayed_event_mgmt",
                 "rc_admin_redaction", "rc_reports", "rc_set_displayname")
}
RATE_LIMITS["rc_presence"] = {"per_user": {"per_second": 1000, "burst_count": 1000}}
RATE_LIMITS["rc_login"] = {k: {"per_second": 1000, "burst_count": 1000}
                           for k in ("address", "account", "failed_attempts")}
RATE_LIMITS["rc_joins"] = {k: {"per_second": 1000, "burst_count": 1000} for k in ("local", "remote")}
RATE_LIMITS["rc_invites"] = {k: {"per_second": 1000, "burst_count": 1000}
                             for k in ("per_room", "per_user", "per_issuer")}


STOCK_RATE_LIMITS = {name: limit for name, limit in RATE_LIMITS.items() if name != "rc_presence"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, body: dict | None = None, token: str | None = None, method: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"))
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            return error.code, json.loads(payload or b"{}")
        except json.JSONDecodeError:
            return error.code, {"error": payload.decode(errors="replace")}


PROFILES = ("friendly", "stock")


def _write_config(directory: Path, port: int, server_name: str, presence: bool = True,
                  profile: str = "friendly") -> None:
    """`friendly`: busy presence (MSC3026), presence kept an hour by devices that stopped syncing, every rate
    limit raised. `stock`: Synapse's own defaults for all a client can observe (no MSC3026, default presence
    timers, default rc_presence); only the limits that the harness's own setup meets (registration, logins,
    joins, rooms, messages) are raised. Both give refreshable tokens a short life, which only logins that ask
    for a refresh token see (the app's do not)."""
    secret = secrets.token_hex(32)
    base_url = f"http://127.0.0.1:{port}"
    log_config = directory / "log.yaml"
    log_config.write_text(
        "version: 1\n"
        "formatters:\n  precise:\n    format: '%(asctime)s %(name)s %(levelname)s %(message)s'\n"
        "handlers:\n  file:\n    class: logging.FileHandler\n    formatter: precise\n"
        f"    filename: {directory / 'homeserver.log'}\n"
        "root:\n  level: INFO\n  handlers: [file]\n"
        "disable_existing_loggers: false\n"
    )
    config = {
        "server_name": server_name,
        "public_baseurl": base_url + "/",
        "pid_file": str(directory / PID_FILE),
        "listeners": [{
            "port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
            "x_forwarded": False, "resources": [{"names": ["client", "media"], "compress": False}],
        }],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "log_config": str(log_config),
        "registration_shared_secret": secret,
        "enable_registration": False,
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "url_preview_enabled": False,
        "serve_server_wellknown": False,
        # Presence on (unless a test needs a server without it); in the friendly profile, devices that only PUT
        # their presence (the tests' second and third users, the demo's peers) keep it for an hour, not 30 s.
        "presence": {"enabled": presence} if profile == "stock" else {"enabled": presence, "sync_online_timeout": "1h"},
        # Only logins that ask for a refresh token get an expiring access token; its expiry is Synapse's own
        # soft logout (401 M_UNKNOWN_TOKEN, soft_logout: true), which the lifecycle tests wait for.
        "refreshable_access_token_lifetime": "6s",
        **(STOCK_RATE_LIMITS if profile == "stock" else RATE_LIMITS),
    }
    if profile == "friendly":
        config["experimental_features"] = {"msc3026_enabled": True}
    # JSON is YAML: no PyYAML needed by the harness itself.
    (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2))
    (directory / "secret.json").write_text(json.dumps({"registration_shared_secret": secret}))


# Sign-in helpers: processes a server depends on, started before Synapse (it loads their metadata at start) and
# stopped with it; each logs to DIR/<name>.out, its pid in DIR/helper-<name>.pid.
HELPERS_FILE = "helpers.json"
OIDC_DIR = Path(__file__).resolve().parent / "oidc"


def _add_helper(directory: Path, name: str, command: list[str], ready_url: str) -> None:
    """Records a helper for _start_helpers; "{synapse}" in `command` stands for Synapse's base URL."""
    helpers = _read_json(directory / HELPERS_FILE) or {}
    helpers[name] = {"command": command, "ready_url": ready_url}
    (directory / HELPERS_FILE).write_text(json.dumps(helpers, indent=2))


def _add_oidc_providers(directory: Path, count: int) -> None:
    """Single sign-on: `count` OpenID Connect providers (tests/homeserver/oidc/provider.mjs, the npm package
    oidc-provider; idp_id one, two, ...; Synapse exposes them as oidc-one, oidc-two). No `sso.client_whitelist`:
    a client's redirect meets Synapse's stock "Continue to your account" page, as it does on servers people run."""
    config_path = directory / CONFIG_FILE
    config = json.loads(config_path.read_text())
    # Provider two's name has markup and an ampersand, as a name from the network may: clients show it as text.
    names = {"one": "Provider One", "two": "Provider <Two> & Co", "three": "Provider Three"}
    ports = {idp_id: free_port() for idp_id in list(names)[:count]}
    config["oidc_providers"] = [{
        "idp_id": name,
        "idp_name": names[name],
        # Fresh servers serve media only to signed-in users, so a client cannot show this before signing in;
        # it is here so /login lists an icon as real servers do.
        "idp_icon": f"mxc://{config['server_name']}/idp-{name}",
        "issuer": f"http://127.0.0.1:{port}",
        "client_id": "presently-synapse",
        "client_secret": "presently-secret",
        "scopes": ["openid", "profile"],
        "skip_verification": True,
        # Without a localpart template Synapse would send the browser to its username picker.
        "user_mapping_provider": {"config": {"localpart_template": "{{ user.preferred_username }}",
                                             "display_name_template": "{{ user.name }}"}},
    } for name, port in ports.items()]
    config_path.write_text(json.dumps(config, indent=2))
    for name, port in ports.items():
        _add_helper(directory, f"oidc-{name}", ["node", str(OIDC_DIR / "provider.mjs"), str(port), "{synapse}/"],
                    f"http://127.0.0.1:{port}/.well-known/openid-configuration")


def _disable_passwords(directory: Path) -> None:
    """A server where people sign in only through single sign-on."""
    config_path = directory / CONFIG_FILE
    config = json.loads(config_path.read_text())
    config["password_config"] = {"enabled": False}
    config_path.write_text(json.dumps(config, indent=2))


def _delegate_to_oauth_server(directory: Path) -> None:
    """Sign-in delegated to an OAuth 2.0 server (Matrix Authentication Service, MSC3861): /login answers 404
    M_UNRECOGNIZED, auth_metadata serves tests/homeserver/oauth_server.py's metadata."""
    config_path = directory / CONFIG_FILE
    config = json.loads(config_path.read_text())
    port = free_port()
    config["matrix_authentication_service"] = {"enabled": True, "endpoint": f"http://127.0.0.1:{port}/",
                                               "secret": secrets.token_hex(32)}
    config_path.write_text(json.dumps(config, indent=2))
    _add_helper(directory, "oauth", [sys.executable, str(Path(__file__).resolve().parent / "oauth_server.py"),
                                     str(port)], f"http://127.0.0.1:{port}/.well-known/openid-configuration")


def _start_helpers(directory: Path, synapse_base_url: str, timeout: float = 60) -> None:
    _stop_helpers(directory)
    for name, helper in (_read_json(directory / HELPERS_FILE) or {}).items():
        command = [part.replace("{synapse}", synapse_base_url) for part in helper["command"]]
        with open(directory / f"{name}.out", "ab") as output:
            process = subprocess.Popen(command, cwd=directory, stdout=output, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        (directory / f"helper-{name}.pid").write_text(str(process.pid))
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(helper["ready_url"], timeout=2) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = (directory / f"{name}.out").read_text(errors="replace")[-4000:]
                process.kill()
                raise RuntimeError(f"{name} did not come up at {helper['ready_url']}:\n{log}")
            time.sleep(0.1)


def _stop_helpers(directory: Path) -> None:
    for pid_file in directory.glob("helper-*.pid"):
        try:
            os.killpg(int(pid_file.read_text().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        pid_file.unlink(missing_ok=True)

def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """An EC P-256 certificate for 127.0.0.1, valid a week, made with `cryptography` (Synapse's own dependency):
    Synapse refuses a TLS listener without one, and its peers do not check it (federation_verify_certificates)."""
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=7))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    certificate_path, key_path = directory / "tls.crt", directory / "tls.key"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return certificate_path, key_path


def _federate(directory: Path, federation_port: int) -> None:
    """Makes the configured server federate with others on this machine (docs/research/issue-10.md, B): its
    server name is 127.0.0.1:<federation port>, an explicit port, so peers connect straight to it (no
    .well-known, no SRV); a TLS federation listener there (after the client one, whose port start() reads);
    certificates not checked; and loopback let through: Synapse's federation client applies
    ip_range_blacklist without ip_range_whitelist, so only an empty blocklist reaches an IP-literal peer.
    Everything else, the federation retry timers included, stays as the profile has it."""
    config_path = directory / CONFIG_FILE
    config = json.loads(config_path.read_text())
    certificate_path, key_path = _self_signed_certificate(directory)
    config["server_name"] = f"127.0.0.1:{federation_port}"
    config["listeners"].append({
        "port": federation_port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": True, "x_forwarded": False,
        "resources": [{"names": ["federation"], "compress": False}],
    })
    config["tls_certificate_path"] = str(certificate_path)
    config["tls_private_key_path"] = str(key_path)
    config["federation_verify_certificates"] = False
    config["ip_range_blacklist"] = []
    config_path.write_text(json.dumps(config, indent=2))


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/health", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _running_pid(directory: Path) -> int | None:
    try:
        pid = int((directory / PID_FILE).read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def start(directory: Path, port: int | None = None, server_name: str = "localhost", timeout: float = 120,
          presence: bool = True, profile: str = "friendly", oidc_providers: int = 0, passwords: bool = True,
          oauth_only: bool = False, federation_port: int | None = None) -> dict:
    """Starts the server in `directory`, writing its configuration first when there is none. With
    `federation_port` (0: a free one) a new configuration federates (_federate); the server name is then
    127.0.0.1:<that port>, in the state file as `server_name`. A directory that has a configuration keeps it."""
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    state = _read_json(directory / STATE_FILE)
    if state and _running_pid(directory) and _healthy(state["base_url"]):
        return state

    config_path = directory / CONFIG_FILE
    if not config_path.exists():
        _write_config(directory, port or free_port(), server_name, presence, profile)
        if oidc_providers:
            _add_oidc_providers(directory, oidc_providers)
        if not passwords:
            _disable_passwords(directory)
        if oauth_only:
            _delegate_to_oauth_server(directory)
        if federation_port is not None:
            _federate(directory, federation_port or free_port())
    config = json.loads(config_path.read_text())
    if not (directory / "signing.key").exists():
        subprocess.run([sys.executable, "-m", "synapse.app.homeserver", "--config-path", str(config_path),
                        "--generate-keys"], check=True, cwd=directory, capture_output=True)
    base_url = f"http://127.0.0.1:{config['listeners'][0]['port']}"
    (directory / PID_FILE).unlink(missing_ok=True)
    _start_helpers(directory, base_url)
    with open(directory / "synapse.out", "ab") as output:
        process = subprocess.Popen([sys.executable, "-m", "synapse.app.homeserver", "--config-path", str(config_path)],
                                   cwd=directory, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    deadline = time.monotonic() + timeout
    while not _healthy(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            log = (directory / "synapse.out").read_text(errors="replace")[-4000:]
            log += (directory / "homeserver.log").read_text(errors="replace")[-4000:] \
                if (directory / "homeserver.log").exists() else ""
            process.kill()
            raise RuntimeError(f"Synapse did not come up at {base_url}:\n{log}")
        time.sleep(0.25)
    (directory / PID_FILE).write_text(str(process.pid))
    secret = json.loads((directory / "secret.json").read_text())["registration_shared_secret"]
    state = {"base_url": base_url, "server_name": config["server_name"],
             "registration_shared_secret": secret, "pid": process.pid}
    (directory / STATE_FILE).write_text(json.dumps(state, indent=2))
    return state


def stop(directory: Path) -> None:
    directory = directory.resolve()
    pid = _running_pid(directory)
    if pid is not None:
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    (directory / PID_FILE).unlink(missing_ok=True)
    (directory / STATE_FILE).unlink(missing_ok=True)
    _stop_helpers(directory)


def reset(directory: Path) -> None:
    """Stops the server and forgets its data and configuration (keeps the signing key): the next start writes
    the configuration this harness describes now, not the one an older checkout wrote."""
    stop(directory)
    directory = directory.resolve()
    for name in ("homeserver.db", "homeserver.db-wal", "homeserver.db-shm", CONFIG_FILE, HELPERS_FILE):
        (directory / name).unlink(missing_ok=True)
    shutil.rmtree(directory / "media", ignore_errors=True)


def register(directory: Path, user: str, password: str, admin: bool = False, displayname: str | None = None) -> dict:
    state = _read_json(directory.resolve() / STATE_FILE)
    if not state:
        raise RuntimeError(f"no running homeserver in {directory}")
    base_url = state["base_url"]
    _, nonce = _request(base_url + "/_synapse/admin/v1/register")
    mac = hmac.new(state["registration_shared_secret"].encode(), digestmod=hashlib.sha1)
    mac.update(b"\x00".join([nonce["nonce"].encode(), user.encode(), password.encode(),
                             b"admin" if admin else b"notadmin"]))
    status, body = _request(base_url + "/_synapse/admin/v1/register", {
        "nonce": nonce["nonce"], "username": user, "password": password, "admin": admin, "mac": mac.hexdigest(),
        **({"displayname": displayname} if displayname else {}),
    })
    if status == 400 and body.get("errcode") == "M_USER_IN_USE":
        status, body = _request(base_url + "/_matrix/client/v3/login", {
            "type": "m.login.password", "identifier": {"type": "m.id.user", "user": user}, "password": password,
        })
    if status != 200:
        raise RuntimeError(f"could not register {user}: {status} {body}")
    return {key: body.get(key) for key in ("user_id", "access_token", "device_id", "home_server")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start")
    start_parser.add_argument("--dir", required=True, type=Path)
    start_parser.add_argument("--port", type=int)
    start_parser.add_argument("--server-name", default="localhost")
    start_parser.add_argument("--fresh", action="store_true", help="forget any previous data in DIR first")
    start_parser.add_argument("--profile", choices=PROFILES, default="friendly",
                              help="stock: Synapse's defaults for what a client observes (when DIR has no config yet)")
    start_parser.add_argument("--without-presence", action="store_true",
                              help="a server with presence turned off (only when DIR has no config yet)")
    start_parser.add_argument("--oidc-providers", type=int, choices=(1, 2, 3), default=0,
                              help="sign-in through N OpenID Connect providers (only when DIR has no config yet)")
    start_parser.add_argument("--without-passwords", action="store_true",
                              help="no password sign-in (only when DIR has no config yet)")
    start_parser.add_argument("--oauth-only", action="store_true",
                              help="sign-in delegated to an OAuth 2.0 server (only when DIR has no config yet)")
    start_parser.add_argument("--federation-port", type=int, nargs="?", const=0, metavar="N",
                              help="federate with other servers on this machine, on port N or a free one; the "
                                   "server name becomes 127.0.0.1:N (only when DIR has no config yet)")
    stop_parser = commands.add_parser("stop")
    stop_parser.add_argument("--dir", required=True, type=Path)
    register_parser = commands.add_parser("register")
    register_parser.add_argument("--dir", required=True, type=Path)
    register_parser.add_argument("--user", required=True)
    register_parser.add_argument("--password", required=True)
    register_parser.add_argument("--admin", action="store_true")
    register_parser.add_argument("--displayname")
    args = parser.parse_args()

    try:
        if args.command == "start":
            if args.fresh:
                reset(args.dir)
            print(start(args.dir, args.port, args.server_name, presence=not args.without_presence,
                        profile=args.profile, oidc_providers=args.oidc_providers,
                        passwords=not args.without_passwords, oauth_only=args.oauth_only,
                        federation_port=args.federation_port)["base_url"])
        elif args.command == "stop":
            stop(args.dir)
        else:
            print(json.dumps(register(args.dir, args.user, args.password, args.admin, args.displayname)))
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
