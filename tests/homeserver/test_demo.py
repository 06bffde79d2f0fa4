#!/usr/bin/env python3
"""CTest `demo_seed_and_simulate`: demo.py seeds a fresh Synapse and its simulator's changes reach the demo user.

    .venv/bin/python tests/homeserver/test_demo.py --dir BUILD/demo-test

Starts its own Synapse in DIR (not a shared fixture's) and stops it at the end, pass or fail.
"""
from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import homeserver  # noqa: E402
from homeserver import _request  # noqa: E402

DEMO = HERE / "demo.py"
FIELDS = ("presence", "status_msg", "displayname", "avatar_url")
_syncs = 0


class Failure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def run(*args: str, timeout: float = 120) -> str:
    result = subprocess.run([sys.executable, str(DEMO), *args], capture_output=True, text=True, timeout=timeout)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    check(result.returncode == 0, f"demo.py {' '.join(args)} exited with {result.returncode}")
    return result.stdout


def seen_by_demo(base_url: str, token: str) -> tuple[dict, dict, set]:
    """Everyone's presence and profile, m.direct and joined rooms, from an initial /sync as the demo user."""
    # Synapse caches a /sync answer for a while by its parameters; an initial sync returns at once whatever the
    # timeout, so a new timeout each time gets a fresh answer.
    global _syncs
    _syncs += 1
    status, body = _request(f"{base_url}/_matrix/client/v3/sync?timeout={_syncs}&full_state=true", token=token)
    check(status == 200, f"/sync answered {status}: {body}")
    people: dict[str, dict] = {}
    for event in body.get("presence", {}).get("events", []):
        content = event.get("content", {})
        people.setdefault(event["sender"], {}).update(
            presence=content.get("presence"), status_msg=content.get("status_msg") or "")
    for room in body.get("rooms", {}).get("join", {}).values():
        events = room.get("state", {}).get("events", []) + room.get("timeline", {}).get("events", [])
        for event in events:
            if event.get("type") == "m.room.member" and event.get("content", {}).get("membership") == "join":
                person = people.setdefault(event["state_key"], {})
                person["displayname"] = event["content"].get("displayname") or ""
                person["avatar_url"] = event["content"].get("avatar_url") or ""
    direct = {}
    for event in body.get("account_data", {}).get("events", []):
        if event.get("type") == "m.direct":
            direct = event["content"]
    return people, direct, set(body.get("rooms", {}).get("join", {}))


def wait_until_seen(base_url: str, token: str, expected: dict, what: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        people, direct, rooms = seen_by_demo(base_url, token)
        for user, want in expected.items():
            # An initial /sync leaves offline users out (unless the server sets include_offline_users_on_sync):
            # ask for theirs directly.
            if want["presence"] == "offline" and people.get(user, {}).get("presence") is None:
                status, body = _request(
                    f"{base_url}/_matrix/client/v3/presence/{urllib.parse.quote(user)}/status", token=token)
                check(status == 200, f"presence of {user}: {status} {body}")
                people.setdefault(user, {}).update(presence=body.get("presence"),
                                                   status_msg=body.get("status_msg") or "")
        wrong = {user: {f: (people.get(user, {}).get(f), want[f]) for f in FIELDS
                        if people.get(user, {}).get(f) != want[f]}
                 for user, want in expected.items()}
        wrong = {user: fields for user, fields in wrong.items() if fields}
        if not wrong:
            return {"people": people, "direct": direct, "rooms": rooms}
        if time.monotonic() > deadline:
            raise Failure(f"{what}: the demo user sees (got, expected) {json.dumps(wrong, ensure_ascii=False)}")
        time.sleep(0.5)


def scenario(directory: Path) -> None:
    # Through the command line, so Synapse is not our child: stop() would wait on its zombie.
    subprocess.run([sys.executable, str(HERE / "homeserver.py"), "start", "--dir", str(directory)],
                   check=True, timeout=180)
    base_url = json.loads((directory / "homeserver.json").read_text())["base_url"]
    print(f"test_demo: Synapse at {base_url}", flush=True)

    output = run("seed", "--dir", str(directory))
    check("@demo:localhost" in output and "'demo'" in output, "seed did not print the demo credentials")
    users = json.loads((directory / "demo-users.json").read_text())
    check((directory / "demo-users.json").stat().st_mode & 0o077 == 0, "demo-users.json is readable by others")
    contacts = users["contacts"]
    check(len(contacts) == 12, f"expected 12 contacts, seeded {len(contacts)}")
    demo_token = users["demo"]["access_token"]

    # Logging in with the printed password works (the app signs in this way).
    status, login = _request(base_url + "/_matrix/client/v3/login", {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": "demo"}, "password": "demo"})
    check(status == 200 and login.get("user_id") == "@demo:localhost", f"demo/demo login failed: {status} {login}")

    seeded = {c["user_id"]: {f: c.get(f) or "" for f in FIELDS} for c in contacts}
    check(len({s["presence"] for s in seeded.values()}) == 4, "the seed should use all four presences")
    check(sum(1 for s in seeded.values() if s["avatar_url"]) >= 6, "most contacts should have an avatar")
    check(any(not s["avatar_url"] for s in seeded.values()), "a few contacts should have no avatar")
    check(any(any(ord(ch) > 0x2000 for ch in s["displayname"]) for s in seeded.values()), "no emoji name")
    check(any(any(0x370 <= ord(ch) < 0x2000 for ch in s["displayname"]) for s in seeded.values()),
          "no non-Latin name")

    seen = wait_until_seen(base_url, demo_token, seeded, "after seeding")
    in_sync = {user for user, person in seen_by_demo(base_url, demo_token)[0].items() if person.get("presence")}
    missing = {user for user, s in seeded.items() if s["presence"] != "offline"} - in_sync
    check(not missing, f"/sync has no presence for {sorted(missing)}")
    direct, rooms = seen["direct"], seen["rooms"]
    check(len(direct) >= 6, f"m.direct lists {len(direct)} people, expected 6: {direct}")
    for user, room_ids in direct.items():
        check(user in seeded, f"m.direct names {user}, not a contact")
        check(bool(room_ids) and all(r in rooms for r in room_ids), f"demo is not in the direct chat with {user}")
    check(len(rooms) >= 8, f"demo is in {len(rooms)} rooms, expected 6 direct chats and 2 rooms")
    for room_id in rooms:  # small rooms, so the roster shows their members
        status, members = _request(f"{base_url}/_matrix/client/v3/rooms/{urllib.parse.quote(room_id)}/joined_members",
                                   token=demo_token)
        check(status == 200 and len(members["joined"]) <= 50, f"room {room_id}: {status} {members}")
    print(f"test_demo: seed ok: {len(direct)} direct chats, {len(rooms)} rooms, 12 contacts with presence",
          flush=True)

    # Seeding again reuses everything.
    run("seed", "--dir", str(directory))
    _, direct_again, rooms_again = seen_by_demo(base_url, demo_token)
    check(direct_again == direct and rooms_again == rooms, "a second seed changed the rooms or m.direct")
    reseeded = {c["user_id"]: {f: c.get(f) or "" for f in FIELDS}
                for c in json.loads((directory / "demo-users.json").read_text())["contacts"]}
    check({u: {f: v for f, v in s.items() if f != "avatar_url"} for u, s in reseeded.items()}
          == {u: {f: v for f, v in s.items() if f != "avatar_url"} for u, s in seeded.items()},
          "a second seed gave different names or presences")
    seeded = reseeded

    output = run("simulate", "--dir", str(directory), "--rounds", "3", "--interval", "0.5", "--seed", "7")
    changes = [line for line in output.splitlines() if "→" in line or "avatar" in line]
    check(len(changes) == 3, f"expected 3 change lines from the simulator, got: {changes}")
    state = json.loads((directory / "demo-state.json").read_text())
    changed = {user for user in state if state[user] != seeded[user]}
    check(changed, "the simulator changed nobody")
    wait_until_seen(base_url, demo_token, state, "after simulating")
    print(f"test_demo: simulator changes visible to demo for {sorted(changed)}", flush=True)

    # A run without --rounds ends cleanly and promptly on SIGTERM.
    process = subprocess.Popen([sys.executable, str(DEMO), "simulate", "--dir", str(directory), "--interval", "0.2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(2)
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        raise Failure("the simulator did not stop within 15 s of SIGTERM")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    sys.stdout.write(out)
    check(process.returncode == 0, f"the simulator exited with {process.returncode} on SIGTERM")
    check("stopped after" in out, "the simulator did not say it stopped")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True, type=Path)
    args = parser.parse_args()
    directory = args.dir.resolve()
    homeserver.stop(directory)
    shutil.rmtree(directory, ignore_errors=True)  # fresh database and a fresh free port

    # Fail (and stop the server) before CTest's 300 s timeout kills this process and leaves Synapse running.
    def give_up(signum, _frame):
        raise Failure("timed out" if signum == signal.SIGALRM else f"stopped by signal {signum}")
    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, give_up)
    signal.alarm(240)
    try:
        scenario(directory)
    except Failure as failure:
        print(f"test_demo: FAIL: {failure}", file=sys.stderr, flush=True)
        return 1
    except Exception as error:  # noqa: BLE001 - any surprise fails the test, loudly
        print(f"test_demo: FAIL: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        raise
    finally:
        signal.alarm(0)
        homeserver.stop(directory)
    print("test_demo: PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
