#!/usr/bin/env python3
"""Demo data for Presently: a demo account, a dozen contacts, and peers that keep changing.

Run it with the project's venv Python against a homeserver started by homeserver.py:

    .venv/bin/python tests/homeserver/demo.py seed --dir DIR
    .venv/bin/python tests/homeserver/demo.py simulate --dir DIR [--interval SECONDS] [--rounds N] [--seed N]

`seed` registers @demo (password "demo") and twelve contacts with display names, generated avatars (most of
them), direct chats (listed in the demo user's m.direct) and two small rooms, and gives everyone an initial
presence and status message. Running it again on the same server reuses what is there. It keeps the contacts'
tokens and their initial state in DIR/demo-users.json (owner-only).

`simulate` is the peer simulator: every --interval seconds it picks a contact and changes their presence and/or
status message, now and then their display name or avatar, and prints one line per change. It republishes the
presence of everyone who is not offline every minute so Synapse does not idle them. It writes the current state
of every contact to DIR/demo-state.json after each change, stops after --rounds changes if given, and exits
cleanly on SIGTERM or SIGINT.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from homeserver import STATE_FILE, _read_json, _request, register  # noqa: E402

USERS_FILE = "demo-users.json"
SIM_STATE_FILE = "demo-state.json"
DEMO_USER = "demo"
DEMO_PASSWORD = "demo"
BUSY = "org.matrix.msc3026.busy"
PRESENCES = ("online", "unavailable", BUSY, "offline")

# localpart, display name, avatar colour (None: no avatar), initial presence, initial status message
CONTACTS = [
    ("ana", "Ana Souza", "#e4572e", "online", ""),
    ("kenji", "Kenji Watanabe", "#17bebb", "unavailable", "At lunch"),
    ("olga", "Ольга Петрова", "#7b2d26", BUSY, "In a meeting until 3"),
    ("amara", "Amara Okafor 🌻", "#ffc914", "online", "Working from the garden"),
    ("lars", "Lars Eriksson", None, "offline", ""),
    ("priya", "Priya Raghunathan", "#76b041", "online", "Reviewing pull requests"),
    ("sofia", "Sofía Hernández", "#c5283d", "unavailable", "Back in 10"),
    ("mehmet", "Mehmet Yılmaz", None, "online", ""),
    ("chloe", "Chloé Martin", "#5d2e8c", BUSY, "Focus time 🎧"),
    ("jonas", "Jonas Müller", "#2e86ab", "offline", "On holiday until Monday"),
    ("aroha", "Aroha Ngata", None, "online", "On the train"),
    ("yasmin", "Yasmin Haddad", "#f18f01", "unavailable", ""),
]
DIRECT = ["ana", "kenji", "olga", "amara", "lars", "priya"]
# alias localpart, name, topic, members (the first creates it); a DM contact in each, as in real life
ROOMS = [
    ("demo-design-crew", "Design Crew", "Pixels, prototypes and the occasional bikeshed",
     ["sofia", "mehmet", "chloe", "priya"]),
    ("demo-friday-climbing", "Friday Climbing", "Bouldering after work: who is in?",
     ["jonas", "aroha", "yasmin", "ana"]),
]

STATUS_MESSAGES = {
    "online": ["", "Happy to chat", "Reviewing pull requests", "Working from the café", "Back from holiday!",
               "Deep in spreadsheets", "Pairing on the release"],
    "unavailable": ["At lunch", "Back in 10", "Walking the dog", "Commuting", "Coffee break ☕", ""],
    BUSY: ["In a meeting", "Focus time 🎧", "On a call", "Presenting at 3pm", "Deadline today, please wait"],
    "offline": ["", "On holiday until Monday", "Out sick", "Off for the weekend"],
}
AVATAR_COLOURS = ["#e4572e", "#17bebb", "#ffc914", "#76b041", "#c5283d", "#5d2e8c", "#2e86ab", "#f18f01",
                  "#3d5a80", "#ef476f", "#06d6a0", "#8338ec"]
FONT_PATHS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
              "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"]


def label(presence: str) -> str:
    return "busy" if presence == BUSY else presence


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _server(directory: Path) -> dict:
    state = _read_json(directory.resolve() / STATE_FILE)
    if not state:
        raise RuntimeError(f"no running homeserver in {directory} (start it with homeserver.py start --dir)")
    return state


def _call(base_url: str, path: str, body: dict | None = None, token: str | None = None, method: str | None = None,
          ok=(200,)) -> dict:
    status, answer = _request(base_url + path, body, token, method)
    if status not in ok:
        raise RuntimeError(f"{method or ('POST' if body is not None else 'GET')} {path}: {status} {answer}")
    return answer


# --- avatars ---------------------------------------------------------------------------------------------------

def initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def _font(size: int):
    from PIL import ImageFont
    for path in FONT_PATHS:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def make_avatar(name: str, colour: str, style: int, size: int = 256) -> bytes:
    """A PNG: a coloured tile with a few lighter shapes and the person's initials."""
    from PIL import Image, ImageColor, ImageDraw
    r, g, b = ImageColor.getrgb(colour)
    light = tuple(min(255, c + (255 - c) // 2) for c in (r, g, b))
    dark = tuple(c * 2 // 3 for c in (r, g, b))
    image = Image.new("RGB", (size, size), (r, g, b))
    draw = ImageDraw.Draw(image)
    s = size
    kind = style % 4
    if kind == 0:    # two overlapping circles
        draw.ellipse((-s // 4, s // 2, s // 2, s + s // 4), fill=light)
        draw.ellipse((s // 2, -s // 4, s + s // 4, s // 2), fill=dark)
    elif kind == 1:  # diagonal stripes
        for i in range(-s, s * 2, s // 4):
            draw.polygon([(i, 0), (i + s // 8, 0), (i + s // 8 - s, s), (i - s, s)], fill=light)
    elif kind == 2:  # a mountain and a sun
        draw.ellipse((s * 6 // 10, s // 10, s * 9 // 10, s * 4 // 10), fill=light)
        draw.polygon([(0, s), (s * 4 // 10, s * 45 // 100), (s * 8 // 10, s), ], fill=dark)
    else:            # a ring
        draw.ellipse((s // 10, s // 10, s * 9 // 10, s * 9 // 10), outline=light, width=s // 12)
    text = initials(name)
    font = _font(s * 2 // 5)
    draw.text((s // 2 + 3, s // 2 + 3), text, font=font, anchor="mm", fill=(0, 0, 0, 90))
    draw.text((s // 2, s // 2), text, font=font, anchor="mm", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def upload(base_url: str, token: str, data: bytes, filename: str, content_type: str = "image/png") -> str:
    request = urllib.request.Request(f"{base_url}/_matrix/media/v3/upload?filename={quote(filename)}",
                                     data=data, method="POST")
    request.add_header("Content-Type", content_type)
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["content_uri"]
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"upload {filename}: {error.code} {error.read()[:300]!r}") from error


def set_avatar(base_url: str, contact: dict, colour: str | None, style: int, name: str | None = None) -> str:
    url = ""
    if colour:
        url = upload(base_url, contact["access_token"], make_avatar(name or contact["displayname"], colour, style),
                     f"{contact['localpart']}.png")
    _call(base_url, f"/_matrix/client/v3/profile/{quote(contact['user_id'])}/avatar_url",
          {"avatar_url": url}, contact["access_token"], "PUT")
    return url


def set_presence(base_url: str, contact: dict, presence: str, status: str) -> None:
    # Synapse clears the status message on a PUT without one, so it always goes along.
    _call(base_url, f"/_matrix/client/v3/presence/{quote(contact['user_id'])}/status",
          {"presence": presence, "status_msg": status}, contact["access_token"], "PUT")


def set_displayname(base_url: str, contact: dict, name: str) -> None:
    _call(base_url, f"/_matrix/client/v3/profile/{quote(contact['user_id'])}/displayname",
          {"displayname": name}, contact["access_token"], "PUT")


# --- seed ------------------------------------------------------------------------------------------------------

def _account(directory: Path, base_url: str, localpart: str, password: str, displayname: str | None,
             known: dict) -> dict:
    """Reuses a token from an earlier seed while it still works, so a re-seed does not pile up devices."""
    previous = known.get(localpart)
    if previous:
        status, _ = _request(base_url + "/_matrix/client/v3/account/whoami", token=previous["access_token"])
        if status == 200:
            return {k: previous[k] for k in ("user_id", "access_token", "device_id")}
    account = register(directory, localpart, password, displayname=displayname)
    return {k: account[k] for k in ("user_id", "access_token", "device_id")}


def _joined_rooms(base_url: str, token: str) -> set[str]:
    return set(_call(base_url, "/_matrix/client/v3/joined_rooms", token=token)["joined_rooms"])


def _join(base_url: str, account: dict, room_id: str) -> None:
    _call(base_url, f"/_matrix/client/v3/join/{quote(room_id)}", {}, account["access_token"])


def _group_room(base_url: str, server_name: str, alias: str, name: str, topic: str, members: list[dict],
                demo: dict) -> str:
    creator = members[0]
    status, found = _request(f"{base_url}/_matrix/client/v3/directory/room/{quote(f'#{alias}:{server_name}')}")
    if status == 200:
        room_id = found["room_id"]
    else:
        room_id = _call(base_url, "/_matrix/client/v3/createRoom", {
            "preset": "private_chat", "name": name, "topic": topic, "room_alias_name": alias,
            "invite": [m["user_id"] for m in members[1:]] + [demo["user_id"]],
        }, creator["access_token"])["room_id"]
    for account in members[1:] + [demo]:
        if room_id not in _joined_rooms(base_url, account["access_token"]):
            _call(base_url, f"/_matrix/client/v3/rooms/{quote(room_id)}/invite", {"user_id": account["user_id"]},
                  creator["access_token"], ok=(200, 403))  # 403: already invited
            _join(base_url, account, room_id)
    return room_id


def seed(directory: Path) -> dict:
    server = _server(directory)
    base_url, server_name = server["base_url"], server["server_name"]
    users_path = directory.resolve() / USERS_FILE
    known_file = _read_json(users_path) or {}
    known = {c["localpart"]: c for c in known_file.get("contacts", [])}
    if known_file.get("demo"):
        known[DEMO_USER] = known_file["demo"]

    demo = _account(directory, base_url, DEMO_USER, DEMO_PASSWORD, "Demo User", known)
    demo["password"] = DEMO_PASSWORD
    log(f"demo account {demo['user_id']} / password {DEMO_PASSWORD!r} on {base_url}")

    contacts: dict[str, dict] = {}
    for index, (localpart, name, colour, presence, status) in enumerate(CONTACTS):
        account = _account(directory, base_url, localpart, "demo-" + localpart, name, known)
        contact = {"localpart": localpart, **account, "displayname": name}
        set_displayname(base_url, contact, name)
        contact["avatar_url"] = set_avatar(base_url, contact, colour, index)
        contact["colour"] = colour or AVATAR_COLOURS[index % len(AVATAR_COLOURS)]
        contacts[localpart] = contact
        log(f"contact {contact['user_id']} {name!r}" + (" with an avatar" if colour else " without an avatar"))

    # Direct chats: the contact opens one with demo, demo joins, and demo lists it in m.direct.
    direct_content = _call(base_url, f"/_matrix/client/v3/user/{quote(demo['user_id'])}/account_data/m.direct",
                           token=demo["access_token"], ok=(200, 404))
    direct_content = {k: v for k, v in direct_content.items() if isinstance(v, list)}
    demo_rooms = _joined_rooms(base_url, demo["access_token"])
    for localpart in DIRECT:
        contact = contacts[localpart]
        existing = [r for r in direct_content.get(contact["user_id"], []) if r in demo_rooms]
        if existing:
            room_id = existing[0]
        else:
            room_id = _call(base_url, "/_matrix/client/v3/createRoom", {
                "preset": "trusted_private_chat", "is_direct": True, "invite": [demo["user_id"]],
            }, contact["access_token"])["room_id"]
            _join(base_url, demo, room_id)
        direct_content[contact["user_id"]] = [room_id]
        log(f"direct chat with {contact['displayname']}: {room_id}")
    _call(base_url, f"/_matrix/client/v3/user/{quote(demo['user_id'])}/account_data/m.direct",
          direct_content, demo["access_token"], "PUT")

    rooms = {}
    for alias, name, topic, members in ROOMS:
        room_id = _group_room(base_url, server_name, alias, name, topic, [contacts[m] for m in members], demo)
        rooms[name] = room_id
        log(f"room {name!r} ({room_id}) with " + ", ".join(contacts[m]["displayname"] for m in members))

    for localpart, _, _, presence, status in CONTACTS:
        contact = contacts[localpart]
        set_presence(base_url, contact, presence, status)
        contact["presence"], contact["status_msg"] = presence, status
        log(f"{contact['displayname']}: {label(presence)}" + (f" “{status}”" if status else ""))

    result = {"base_url": base_url, "server_name": server_name, "demo": demo,
              "contacts": list(contacts.values()), "direct": {contacts[c]["user_id"]: direct_content[contacts[c]["user_id"]]
                                                              for c in DIRECT},
              "rooms": rooms}
    _write_private(users_path, result)
    (directory.resolve() / SIM_STATE_FILE).unlink(missing_ok=True)
    print(f"Sign in to {base_url} as {demo['user_id']} with password {DEMO_PASSWORD!r}", flush=True)
    return result


def _write_private(path: Path, content: dict) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(content, out, indent=2, ensure_ascii=False)
    os.replace(temporary, path)


# --- simulate --------------------------------------------------------------------------------------------------

def _name_variants(base: str) -> list[str]:
    words = base.split()
    first = words[0]
    last = words[1] if len(words) > 1 and words[1][:1].isalpha() else ""
    variants = [f"{first} 🏖️", f"{base} (out of office)", f"{first} ✈️"]
    if last:
        variants.append(f"{first} {last[0]}.")
    return variants


class Simulator:
    KEEPALIVE_SECONDS = 60.0

    def __init__(self, directory: Path, interval: float, rng: random.Random):
        self.directory = directory.resolve()
        users = _read_json(self.directory / USERS_FILE)
        if not users:
            raise RuntimeError(f"no {USERS_FILE} in {directory}: run `demo.py seed --dir {directory}` first")
        server = _server(directory)
        self.base_url = server["base_url"]
        self.contacts = users["contacts"]
        self.interval = interval
        self.rng = rng
        self.stopping = threading.Event()
        self.last = None
        self.avatar_style = {c["localpart"]: i for i, c in enumerate(self.contacts)}
        self.base_names = {c["localpart"]: c["displayname"] for c in self.contacts}
        for contact in self.contacts:  # what the server has now, in case an earlier run changed it
            status, current = _request(
                f"{self.base_url}/_matrix/client/v3/presence/{quote(contact['user_id'])}/status",
                token=contact["access_token"])
            if status == 200:
                contact["presence"] = current.get("presence", contact["presence"])
                contact["status_msg"] = current.get("status_msg") or ""
            status, profile = _request(f"{self.base_url}/_matrix/client/v3/profile/{quote(contact['user_id'])}",
                                       token=contact["access_token"])
            if status == 200:
                contact["displayname"] = profile.get("displayname") or contact["displayname"]
                contact["avatar_url"] = profile.get("avatar_url") or ""

    def _pick_contact(self) -> dict:
        choices = [c for c in self.contacts if c is not self.last]
        return self.rng.choice(choices)

    def _other(self, options, current):
        options = [o for o in options if o != current]
        return self.rng.choice(options)

    def change(self) -> str:
        contact = self._pick_contact()
        self.last = contact
        name = contact["displayname"]
        roll = self.rng.random()
        if roll < 0.12:
            base = self.base_names[contact["localpart"]]
            new = base if name != base else self.rng.choice(_name_variants(base))
            set_displayname(self.base_url, contact, new)
            contact["displayname"] = new
            return f"{name}: display name → {new!r}"
        if roll < 0.24:
            self.avatar_style[contact["localpart"]] += 1
            style = self.avatar_style[contact["localpart"]]
            if contact.get("avatar_url") and self.rng.random() < 0.2:
                colour = None
            else:
                colour = self._other(AVATAR_COLOURS, contact.get("colour"))
            url = set_avatar(self.base_url, contact, colour, style, self.base_names[contact["localpart"]])
            contact["avatar_url"] = url
            if colour:
                contact["colour"] = colour
            return f"{name}: " + ("new avatar" if url else "avatar removed")
        presence, status = contact["presence"], contact["status_msg"]
        if roll < 0.5 and presence != "offline":  # a new status message, same presence
            status = self._other(STATUS_MESSAGES[presence] + [""], status)
        else:
            weights = {"online": 4, "unavailable": 3, BUSY: 2, "offline": 2}
            options = [p for p in PRESENCES if p != presence]
            presence = self.rng.choices(options, [weights[p] for p in options])[0]
            status = self.rng.choice(STATUS_MESSAGES[presence])
        set_presence(self.base_url, contact, presence, status)
        before = label(contact["presence"]) + (f" “{contact['status_msg']}”" if contact["status_msg"] else "")
        contact["presence"], contact["status_msg"] = presence, status
        after = label(presence) + (f" “{status}”" if status else "")
        return f"{name}: {before} → {after}"

    def keep_alive(self) -> None:
        """Synapse idles a device that has not been active for a while; these peers never sync."""
        for contact in self.contacts:
            if contact["presence"] != "offline":
                set_presence(self.base_url, contact, contact["presence"], contact["status_msg"])

    def save_state(self) -> None:
        state = {c["user_id"]: {k: c.get(k, "") for k in ("presence", "status_msg", "displayname", "avatar_url")}
                 for c in self.contacts}
        temporary = self.directory / (SIM_STATE_FILE + ".tmp")
        temporary.write_text(json.dumps(state, indent=2, ensure_ascii=False))
        os.replace(temporary, self.directory / SIM_STATE_FILE)

    def run(self, rounds: int | None) -> int:
        log(f"simulating {len(self.contacts)} contacts on {self.base_url}, a change every {self.interval:g} s"
            + (f", {rounds} rounds" if rounds else "") + " (Ctrl-C stops)")
        self.keep_alive()
        self.save_state()
        last_keep_alive = time.monotonic()
        done, failures = 0, 0
        while not self.stopping.is_set() and (rounds is None or done < rounds):
            if self.stopping.wait(self.interval):
                break
            try:
                if time.monotonic() - last_keep_alive > self.KEEPALIVE_SECONDS:
                    self.keep_alive()
                    last_keep_alive = time.monotonic()
                log(self.change())
                self.save_state()
                done += 1
                failures = 0
            except (RuntimeError, OSError) as error:
                failures += 1
                print(f"{time.strftime('%H:%M:%S')} simulator: {error}", file=sys.stderr, flush=True)
                if failures >= 5:
                    print("simulator: the homeserver keeps failing; giving up", file=sys.stderr, flush=True)
                    return 1
        log(f"simulator stopped after {done} changes")
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    seed_parser = commands.add_parser("seed", help="create the demo account, contacts and rooms")
    seed_parser.add_argument("--dir", required=True, type=Path, help="the homeserver.py directory")
    sim_parser = commands.add_parser("simulate", help="keep changing the contacts")
    sim_parser.add_argument("--dir", required=True, type=Path, help="the homeserver.py directory")
    sim_parser.add_argument("--interval", type=float, default=4.0, help="seconds between changes (default 4)")
    sim_parser.add_argument("--rounds", type=int, help="stop after this many changes (default: run until stopped)")
    sim_parser.add_argument("--seed", type=int, help="random seed, for a repeatable run")
    args = parser.parse_args()

    try:
        if args.command == "seed":
            seed(args.dir)
            return 0
        simulator = Simulator(args.dir, max(0.05, args.interval), random.Random(args.seed))

        def stop(signum, _frame):
            simulator.stopping.set()
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        return simulator.run(args.rounds)
    except (RuntimeError, OSError) as error:
        print(f"demo.py {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
