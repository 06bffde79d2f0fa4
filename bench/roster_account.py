#!/usr/bin/env python3
"""Builds the account of issue 11 on a running test Synapse, for presently-roster-traffic (scripts/roster-traffic.sh).

    .venv/bin/python bench/roster_account.py --dir HOMESERVER_DIR --out ACCOUNT.json

Alice has 40 direct chats (one partner each, in her m.direct), 30 small rooms (Alice and 5 others) and 5 large public
rooms of 200 members (Alice and 199 others): 40 + 150 contacts, 995 strangers, 1,185 users besides Alice and the
admin. The people are made with Synapse's admin API (shared-secret registration for the admin, then
PUT /_synapse/admin/v2/users without a password, so that no bcrypt round is paid 1,185 times, and an access token
each from the admin's "log in as user"). The server's profile is the harness's `stock` one: its raised limits on
registration, joins and room creation are the ones the building needs (stock rc_joins_per_room would take 200 s a
room); what a client observes (presence timers, rc_presence) stays stock. Presence is set by the figures program,
which needs it fresh (a user who only PUTs is offline again 30 s later).

ACCOUNT.json: {"base_url", "alice": {"user_id", "access_token", "device_id"}, "contacts": [{"user_id", "access_token"}...],
"strangers": [{"user_id", "access_token"}...], "large_rooms": [room_id...]}.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "homeserver"))
import homeserver  # noqa: E402  (the harness: state file, shared-secret registration, plain HTTP)

DIRECT_CHATS = 40
SMALL_ROOMS = 30
SMALL_ROOM_OTHERS = 5
LARGE_ROOMS = 5
LARGE_ROOM_OTHERS = 199
THREADS = 8


def call(base_url: str, method: str, path: str, token: str, body: dict | None = None) -> dict:
    status, answer = homeserver._request(base_url + path, body if body is not None else ({} if method != "GET" else None),
                                         token, method)
    if status not in (200, 201):  # 201: a user created
        raise RuntimeError(f"{method} {path}: {status} {answer}")
    return answer


def quoted(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    state = json.loads((args.dir / homeserver.STATE_FILE).read_text())
    base_url, server = state["base_url"], state["server_name"]

    admin = homeserver.register(args.dir, "bench-admin", "bench admin password", admin=True)["access_token"]
    alice = homeserver.register(args.dir, "alice", "correct horse", displayname="Alice")

    people = DIRECT_CHATS + SMALL_ROOMS * SMALL_ROOM_OTHERS + LARGE_ROOMS * LARGE_ROOM_OTHERS

    def make_person(index: int) -> dict:
        user_id = f"@person{index:04d}:{server}"
        # 200 for a user made by an earlier run on the same server
        call(base_url, "PUT", f"/_synapse/admin/v2/users/{quoted(user_id)}", admin, {"displayname": f"Person {index}"})
        token = call(base_url, "POST", f"/_synapse/admin/v1/users/{quoted(user_id)}/login", admin, {})["access_token"]
        return {"user_id": user_id, "access_token": token}

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        everyone = list(pool.map(make_person, range(people)))
    print(f"registered {len(everyone)} people", file=sys.stderr)
    partners = everyone[:DIRECT_CHATS]
    small = everyone[DIRECT_CHATS:DIRECT_CHATS + SMALL_ROOMS * SMALL_ROOM_OTHERS]
    strangers = everyone[DIRECT_CHATS + SMALL_ROOMS * SMALL_ROOM_OTHERS:]
    token = alice["access_token"]

    def create(body: dict) -> str:
        return call(base_url, "POST", "/_matrix/client/v3/createRoom", token, body)["room_id"]

    def join(person: dict, room_id: str) -> None:
        call(base_url, "POST", f"/_matrix/client/v3/rooms/{quoted(room_id)}/join", person["access_token"], {})

    direct: dict[str, list[str]] = {}
    joins: list[tuple[dict, str]] = []
    for partner in partners:
        room_id = create({"preset": "trusted_private_chat", "is_direct": True, "invite": [partner["user_id"]]})
        direct[partner["user_id"]] = [room_id]
        joins.append((partner, room_id))
    for number in range(SMALL_ROOMS):
        members = small[number * SMALL_ROOM_OTHERS:(number + 1) * SMALL_ROOM_OTHERS]
        room_id = create({"preset": "private_chat", "name": f"small {number}",
                          "invite": [member["user_id"] for member in members]})
        joins += [(member, room_id) for member in members]
    large_rooms = []
    for number in range(LARGE_ROOMS):
        room_id = create({"preset": "public_chat", "name": f"large {number}"})
        large_rooms.append(room_id)
        joins += [(member, room_id) for member in strangers[number * LARGE_ROOM_OTHERS:(number + 1) * LARGE_ROOM_OTHERS]]
    call(base_url, "PUT", f"/_matrix/client/v3/user/{quoted(alice['user_id'])}/account_data/m.direct", token, direct)
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda pair: join(*pair), joins))
    print(f"{len(direct)} direct chats, {SMALL_ROOMS} small rooms, {LARGE_ROOMS} large rooms, {len(joins)} joins",
          file=sys.stderr)

    args.out.write_text(json.dumps({
        "base_url": base_url,
        "alice": {key: alice[key] for key in ("user_id", "access_token", "device_id")},
        "contacts": partners + small,
        "strangers": strangers,
        "large_rooms": large_rooms,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
