#!/usr/bin/env python3
"""Outage recovery: how soon after Synapse is back does Presently's roster show a change made then?

Run it with the project's venv Python (it starts Synapse through tests/homeserver/homeserver.py):

    .venv/bin/python bench/outage.py [--cycles 10] [--outage 8] [--binary build/app/presently] [--keep]

It starts a Synapse with the harness's stock profile (Synapse's own presence timers and rate limits) in a
temporary directory, registers @alice and @bob with a direct chat between them, and starts the real
`presently` signed in as alice (offscreen, no keychain, its own XDG directories), watched through
`presently --watch`. Then, each cycle: kill -9 Synapse, keep it down for --outage seconds, start it again on
the same directory, poll GET /health every 20 ms until it answers 200 (t0), have bob PUT a new status message,
and wait until --watch prints bob with it (t1). It prints a line per cycle and the median, min and max of
t1 - t0; the target (issue 8) is a median of at most 2 s. Always exits 0 once the cycles ran: it measures, it
does not judge.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import queue
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "homeserver"))
import homeserver  # noqa: E402

HEALTH_POLL_S = 0.02
CYCLE_TIMEOUT_S = 90.0
TARGET_MEDIAN_S = 2.0
# After a cycle, the app's next /sync long-poll is in flight again before Synapse is killed, as in real life.
SETTLE_S = 2.0
SYNC_RETRY = re.compile(r"sync failed: .* - retrying in (\d+) ms")


def quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def call(base_url: str, path: str, body: dict | None = None, token: str | None = None,
         method: str | None = None) -> dict:
    status, answer = homeserver._request(base_url + path, body, token, method)
    if status != 200:
        raise RuntimeError(f"{method or 'POST'} {path}: {status} {answer}")
    return answer


class Lines:
    """Reads a process's output on a thread and stamps each line with time.monotonic() as it arrives, so the
    stamps do not depend on when the main thread gets round to looking. Optionally copies the lines to a log."""

    def __init__(self, stream, log_path: Path | None = None):
        self.queue: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self._log = open(log_path, "w") if log_path else None
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for raw in stream:
            line = raw.decode(errors="replace").rstrip("\n")
            self.queue.put((time.monotonic(), line))
            if self._log:
                self._log.write(line + "\n")
                self._log.flush()
        self.queue.put(None)  # end of stream

    def drain(self) -> list[tuple[float, str]]:
        lines = []
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                return lines
            if item is not None:
                lines.append(item)


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="presently-outage-"))
        self.synapse_dir = self.work / "synapse"
        self.app: subprocess.Popen | None = None
        self.watch: subprocess.Popen | None = None
        self.starting: threading.Thread | None = None
        self.start_failure: BaseException | None = None

    # --- setup -------------------------------------------------------------------------------------------------

    def launch_synapse(self) -> None:
        """Runs homeserver.start (a restart when the directory has a configuration) on a thread: it returns only
        once /health answers, which it polls every 250 ms. close() waits for it, so that a Synapse being started
        when the bench is interrupted is stopped too (its pid is written once it is up)."""
        def start() -> None:
            try:
                self.base_url = homeserver.start(self.synapse_dir, profile="stock")["base_url"]
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                self.start_failure = error

        self.starting = threading.Thread(target=start, daemon=True)
        self.starting.start()

    def wait_for_synapse(self) -> None:
        self.starting.join()
        if self.start_failure:
            raise self.start_failure

    def start_synapse(self) -> None:
        self.launch_synapse()
        self.wait_for_synapse()
        self.alice = homeserver.register(self.synapse_dir, "alice", "alice-password")
        self.bob = homeserver.register(self.synapse_dir, "bob", "bob-password")
        # The roster's contacts are the partners of alice's direct chats (and members of her small rooms).
        room_id = call(self.base_url, "/_matrix/client/v3/createRoom", {
            "preset": "trusted_private_chat", "is_direct": True, "invite": [self.alice["user_id"]],
        }, self.bob["access_token"])["room_id"]
        call(self.base_url, f"/_matrix/client/v3/join/{quote(room_id)}", {}, self.alice["access_token"])
        call(self.base_url, f"/_matrix/client/v3/user/{quote(self.alice['user_id'])}/account_data/m.direct",
             {self.bob["user_id"]: [room_id]}, self.alice["access_token"], "PUT")
        self.first_status = "before the first outage"
        self.set_bob_status(self.first_status)
        print(f"Synapse {importlib.metadata.version('matrix-synapse')} (stock profile) at {self.base_url}; "
              f"{self.alice['user_id']} and {self.bob['user_id']} share a direct chat", flush=True)

    def start_app(self) -> None:
        # A copy: the build directory may be rebuilt while the cycles run.
        binary = self.work / "presently"
        shutil.copy2(self.args.binary, binary)
        home = self.work / "home"
        self.env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                        # No session bus: no keychain (the token goes to a file), no desktop services.
                        DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus",
                        XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
                        XDG_CACHE_HOME=str(home / "cache"), XDG_RUNTIME_DIR=str(home / "runtime"))
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
            Path(self.env[name]).mkdir(parents=True, mode=0o700)
        password_file = self.work / "alice-password"
        password_file.write_text("alice-password\n")
        password_file.chmod(0o600)
        self.binary = binary
        self.app = subprocess.Popen([str(binary), "--homeserver", self.base_url, "--user", self.alice["user_id"],
                                     "--password-file", str(password_file)],
                                    env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
        # The app's log: its "sync failed ... retrying in N ms" lines say when it asks again.
        self.app_log = Lines(self.app.stderr, self.work / "presently.log")

        socket_path = Path(self.env["XDG_RUNTIME_DIR"]) / "presently" / "control.sock"
        deadline = time.monotonic() + 60
        while not socket_path.exists():
            if self.app.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Presently did not open its control socket (log: {self.work / 'presently.log'})")
            time.sleep(0.1)
        self.watch = subprocess.Popen([str(binary), "--watch"], env=self.env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.events = Lines(self.watch.stdout, self.work / "watch.log")
        if self.wait_for_bob(self.first_status, time.monotonic() + 120) is None:
            raise RuntimeError("the roster never showed bob")
        print(f"Presently is live as {self.alice['user_id']} and shows {self.bob['user_id']}", flush=True)

    # --- one cycle ---------------------------------------------------------------------------------------------

    def set_bob_status(self, status_msg: str) -> tuple[float, bool]:
        """PUTs bob's status message; returns when the server accepted it and whether a 429 came first."""
        path = f"/_matrix/client/v3/presence/{quote(self.bob['user_id'])}/status"
        retried = False
        while True:
            status, answer = homeserver._request(self.base_url + path, {"presence": "online", "status_msg": status_msg},
                                                 self.bob["access_token"], "PUT")
            if status == 200:
                return time.monotonic(), retried
            if status != 429:
                raise RuntimeError(f"PUT presence: {status} {answer}")
            # Stock rc_presence: one change per 10 s per user (the limiter is in memory: a restart resets it).
            retried = True
            time.sleep(answer.get("retry_after_ms", 1000) / 1000)

    def wait_for_bob(self, status_msg: str, deadline: float) -> float | None:
        """Reads --watch until bob shows status_msg; returns when that line arrived."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                item = self.events.queue.get(timeout=remaining)
            except queue.Empty:
                return None
            if item is None:
                raise RuntimeError("presently --watch ended: Presently quit")
            at, line = item
            event = json.loads(line)
            if event.get("event") == "contact" and event.get("user_id") == self.bob["user_id"] \
                    and event.get("status_msg") == status_msg:
                return at

    def kill_synapse(self) -> None:
        pid = homeserver._running_pid(self.synapse_dir)
        if pid is None:
            raise RuntimeError("Synapse is not running")
        os.killpg(pid, signal.SIGKILL)
        try:
            os.waitpid(pid, 0)  # this process's child (homeserver.start): reaped, it is really gone
        except ChildProcessError:
            pass  # reaped already by the subprocess module's own cleanup

    def restart_synapse(self) -> float:
        """Starts Synapse on the same directory (configuration and database kept) and returns when /health first
        answered 200, polled every 20 ms."""
        self.launch_synapse()
        while True:
            try:
                with urllib.request.urlopen(self.base_url + "/health", timeout=1) as response:
                    if response.status == 200:
                        t0 = time.monotonic()
                        break
            except (OSError, urllib.error.URLError):
                pass
            if self.start_failure:
                raise self.start_failure
            time.sleep(HEALTH_POLL_S)
        self.wait_for_synapse()
        return t0

    def cycle(self, number: int) -> dict:
        self.app_log.drain()
        killed = time.monotonic()
        self.kill_synapse()
        time.sleep(self.args.outage)
        t0 = self.restart_synapse()
        status_msg = f"outage {number} {secrets.token_hex(3)}"
        t_put, retried = self.set_bob_status(status_msg)
        t1 = self.wait_for_bob(status_msg, t0 + CYCLE_TIMEOUT_S)
        # The sync retries the app scheduled during this outage: (when logged, wait in ms).
        retries = [(at, int(match.group(1))) for at, line in self.app_log.drain()
                   if (match := SYNC_RETRY.search(line))]
        before_t0 = [at + wait / 1000 for at, wait in retries if at < t0]
        return {
            "cycle": number, "down": t0 - killed, "put": t_put - t0, "retried": retried,
            "roster": None if t1 is None else t1 - t0, "after_put": None if t1 is None else t1 - t_put,
            "attempts": len(retries),
            # When the app's first attempt after t0 was due: the last wait it scheduled before t0 ends then.
            "next_try": max(before_t0) - t0 if before_t0 else None,
            "last_wait": retries[-1][1] / 1000 if retries else None,
        }

    # --- teardown ----------------------------------------------------------------------------------------------

    def close(self) -> None:
        if self.app and self.app.poll() is None:
            self.app.terminate()  # quits as from the menu: tries to say "offline" (at most 3 s)
            try:
                self.app.wait(10)
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait()
        if self.watch and self.watch.poll() is None:
            self.watch.kill()  # ends by itself when the app quits; this is for an app that never started
            self.watch.wait()
        if self.starting:
            self.starting.join(150)  # homeserver.start gives up after 120 s
            homeserver.stop(self.synapse_dir)
        if self.args.keep:
            print(f"kept {self.work} (synapse/, presently.log, watch.log)")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def report(results: list[dict], args: argparse.Namespace) -> None:
    print()
    print("cycle  down_s  put_s  roster_s  put_to_roster_s  next_try_s  failed_syncs  last_wait_s  429")
    for r in results:
        print(f"{r['cycle']:>5}  {r['down']:>6.2f}  {r['put']:>5.2f}  {seconds(r['roster']):>8}  "
              f"{seconds(r['after_put']):>15}  {seconds(r['next_try']):>10}  {r['attempts']:>12}  {seconds(r['last_wait']):>11}  {'yes' if r['retried'] else 'no':>3}")
    print()
    print("down_s: kill -9 to /health answering 200 (t0); put_s: t0 to bob's PUT answered; roster_s: t0 to")
    print("--watch showing bob's new status; next_try_s: t0 to the app's first /sync after it (the end of the last")
    print("wait its log scheduled before t0); failed_syncs, last_wait_s: the /sync retries it scheduled, the last wait.")
    print()
    times = [r["roster"] for r in results if r["roster"] is not None]
    failures = len(results) - len(times)
    cycles = f"{len(results)} cycle" + ("" if len(results) == 1 else "s")
    print(f"Synapse {importlib.metadata.version('matrix-synapse')}, stock profile; {cycles} of kill -9, "
          f"{args.outage:g} s down, restart")
    if failures:
        print(f"failures (no roster change within {CYCLE_TIMEOUT_S:g} s): {failures}")
    if not times:
        print("no cycle completed")
        return
    median = statistics.median(times)
    print(f"/health -> roster shows the change: median {median:.2f} s, min {min(times):.2f} s, "
          f"max {max(times):.2f} s (n = {len(times)})")
    after_put = [r["after_put"] for r in results if r["after_put"] is not None]
    print(f"PUT answered -> roster shows the change: median {statistics.median(after_put):.2f} s, "
          f"max {max(after_put):.2f} s")
    meets = median <= TARGET_MEDIAN_S and not failures
    print(f"median <= {TARGET_MEDIAN_S:g} s: {'yes' if meets else 'no'}")


def main() -> int:
    build = Path(os.environ.get("PRESENTLY_BUILD_DIR", REPO / "build"))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--outage", type=float, default=8.0, help="seconds Synapse stays down (default 8)")
    parser.add_argument("--binary", type=Path, default=build / "app" / "presently",
                        help="the presently binary (default $PRESENTLY_BUILD_DIR/app/presently); a copy is run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and its logs")
    args = parser.parse_args()
    if not args.binary.exists():
        print(f"no {args.binary}: build the presently target first", file=sys.stderr)
        return 1

    # SIGTERM cleans up as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench = Bench(args)
    results = []
    try:
        bench.start_synapse()
        bench.start_app()
        for number in range(1, args.cycles + 1):
            time.sleep(SETTLE_S)
            result = bench.cycle(number)
            results.append(result)
            print(f"cycle {number}: /health -> roster {seconds(result['roster'])} s", flush=True)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        bench.close()
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
