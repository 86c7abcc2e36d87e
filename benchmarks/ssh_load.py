"""Load check for `partner-tui serve`: N concurrent SSH sessions, each searching once.

Run by hand (needs the OpenSSH client; loopback only, bounded to --deadline seconds):

    python benchmarks/ssh_load.py --sessions 20
    python benchmarks/ssh_load.py --sessions 50
    python benchmarks/ssh_load.py --sessions 20 --no-preload   # each session its own process

It starts its own server on 127.0.0.1 with a temporary data dir, waits until its session
template is ready, opens N `ssh -tt` clients at once, each on its own 80x24 pty and
logged in as a user of its own (load1…loadN, so each session process is known by its
PARTNER_TUI_USER), and reports:
  - time to first screen (ssh started → the explorer's first frame), median and p95
  - CPU time (user + system, /proc/PID/stat) each session process had used when its
    client saw the first screen: N × this ÷ cores is the floor under the p95 above
  - time from typing a search to its results on screen, median and p95
  - memory per session process from /proc/PID/smaps_rollup, peak of each over the run:
    USS (private pages: what one more session costs) and PSS (shared pages split
    between their users), median and max; RSS for comparison
  - the template's and the server's own memory, and the peak total PSS of them all
  - failures: sessions that never showed a screen, and refusals by the server's caps.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import selectors
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path

ANSI = re.compile(rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|.)")
# The opening section's first words, in the reading view: the explorer's first screen is
# the pillars and that text. (The briefing's title, once used here, is also in the
# pillars tree, which reaches the terminal a frame or two before the reading view.)
FIRST_SCREEN = b"The development"
QUERY = b"green technology"
RESULTS = re.compile(rb"\d+ sections? match")  # the results list's summary line
TAIL = 2048  # bytes of earlier output searched again with each read
REFUSED = re.compile(rb"already has \d+ sessions? open|the server is full")


def partner_tui() -> str:
    beside = Path(sys.executable).parent / "partner-tui"
    return str(beside) if beside.exists() else (shutil.which("partner-tui") or "partner-tui")


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_kib(pid: int) -> dict[str, int]:
    """Rss, Pss and USS (Private_Clean + Private_Dirty) from smaps_rollup, in KiB."""
    fields: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, _, rest = line.partition(":")
            fields[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {"rss": fields.get("Rss", 0), "pss": fields.get("Pss", 0), "uss": uss}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, stolen) CPU seconds of the whole machine since boot, all cores (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / tick, steal / tick


class CpuSplit:
    """Who used the CPU between the first ssh started and the last first screen: the
    sessions, the ssh clients, the server, the template, this script, and the rest of
    the machine (other users' work). On 2 cores the window can hold 2 × its length."""

    def __init__(self, server: int) -> None:
        self.server = server
        self.started = time.monotonic()
        self.server_before = cpu_seconds(server)
        self.own_before = time.process_time()
        self.machine_before = machine_cpu()
        self.templates_before = {pid: cpu_seconds(pid) for pid in session_pids(server)[0]}
        self.figures: dict[str, float] | None = None

    def take(self, clients: list[Client]) -> None:
        """At the last first screen (once)."""
        if self.figures is not None:
            return
        templates, sessions = session_pids(self.server)
        busy, stolen = machine_cpu()
        figures = {
            "window": time.monotonic() - self.started,
            "sessions": sum(cpu_seconds(pid) for pid in sessions),
            "ssh clients": sum(cpu_seconds(c.process.pid) for c in clients),
            "server": cpu_seconds(self.server) - self.server_before,
            "template": sum(
                cpu_seconds(pid) - self.templates_before.get(pid, 0.0) for pid in templates
            ),
            "this script": time.process_time() - self.own_before,
            "machine": busy - self.machine_before[0],
            "stolen": stolen - self.machine_before[1],
        }
        named = ("sessions", "ssh clients", "server", "template", "this script")
        figures["rest of the machine"] = max(
            0.0, figures["machine"] - sum(figures[n] for n in named)
        )
        self.figures = figures

    def report(self) -> str:
        if self.figures is None:
            return "CPU split: not every session reached its first screen"
        f = self.figures
        cores = os.cpu_count() or 1
        parts = ", ".join(
            f"{name} {f[name]:.2f}"
            for name in ("sessions", "ssh clients", "server", "template", "this script",
                         "rest of the machine")
        )  # fmt: skip
        return (
            f"CPU-s from the first ssh to the last first screen ({f['window']:.2f} s × "
            f"{cores} cores = {f['window'] * cores:.2f} available; machine busy "
            f"{f['machine']:.2f}, stolen {f['stolen']:.2f}): {parts}"
        )


def is_template(pid: int) -> bool:
    try:
        return b"session_template" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


SESSION_LINE = re.compile(rb"\[session pid (\d+) user (\S+), ")


def users_of_sessions(log_file: Path) -> dict[str, int]:
    """User → session pid, from the lines each session writes first in the server's log
    (a forked session's /proc/PID/environ still shows the template's environment)."""
    try:
        text = log_file.read_bytes()
    except OSError:
        return {}
    return {user.decode(): int(pid) for pid, user in SESSION_LINE.findall(text)}


def session_pids(server: int) -> tuple[list[int], list[int]]:
    """(templates, sessions): sessions are forked by a template, or the server's own."""
    templates, sessions = [], []
    for pid in children_of(server):
        if is_template(pid):
            templates.append(pid)
            sessions.extend(children_of(pid))
        else:
            sessions.append(pid)
    return templates, sessions


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Client:
    """One `ssh -tt` on its own pty; its screen output is collected as plain text."""

    def __init__(self, argv: list[str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True
        )
        os.close(slave)
        os.set_blocking(self.master, False)
        self.tail = b""  # the end of what came before, for a marker split across reads
        self.first_screen: float | None = None
        self.first_screen_cpu: float | None = None  # its session process's, at that moment
        self.search_sent: float | None = None
        self.slash_sent: float | None = None
        self.results: float | None = None
        self.refused = False
        self.user = ""

    def read(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except (BlockingIOError, OSError):
            return
        # Only the new output (and a little before it) is stripped and searched: the
        # script's own CPU is taken from the sessions it times.
        seen = self.tail + data
        self.tail = seen[-TAIL:]
        text = ANSI.sub(b"", seen)
        now = time.monotonic()
        if REFUSED.search(text):
            self.refused = True
        if self.first_screen is None and FIRST_SCREEN in text:
            self.first_screen = now - self.started
        if self.search_sent is not None and self.results is None and RESULTS.search(text):
            self.results = now - self.search_sent

    def send(self, data: bytes) -> None:
        try:
            os.write(self.master, data)
        except OSError:
            pass

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.master)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=120, help="give up after (s)")
    parser.add_argument(
        "--no-preload", action="store_true", help="start each session as its own process"
    )
    parser.add_argument(
        "--cap",
        type=int,
        default=0,
        help="--max-sessions(-per-user) for the server (default: sessions + 5, so no cap is met)",
    )
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ssh-load-"))
    env = {**os.environ, "PARTNER_TUI_DATA_DIR": str(work / "data")}
    env["PARTNER_TUI_CACHE_DIR"] = str(work / "cache")
    # One user (and key: one key is one person) per client, in-process: fifty CLI runs
    # would cost more than the run itself.
    from partner_tui.tui.serve.authorized_users import AuthorizedUsers
    from partner_tui.tui.serve.paths import log_path

    users = AuthorizedUsers(Path(env["PARTNER_TUI_DATA_DIR"]))
    keys = []
    for number in range(1, options.sessions + 1):
        key = work / f"load{number}_key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        users.add(f"load{number}", Path(f"{key}.pub").read_text(), str(key))
        keys.append(key)
    log = open(work / "serve.out", "w+b")  # noqa: SIM115 - closed below
    cap = str(options.cap or options.sessions + 5)
    extra = ["--no-preload"] if options.no_preload else []
    server = subprocess.Popen(
        [partner_tui(), "serve", "--port", "0", "--max-sessions", cap,
         "--max-sessions-per-user", cap, *extra],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    clients: list[Client] = []
    try:
        port = None
        ready = options.no_preload
        deadline = time.monotonic() + 120
        while not (port and ready) and time.monotonic() < deadline:
            output = (work / "serve.out").read_bytes()
            found = re.search(rb"listening on \S+ port (\d+)", output)
            port = int(found.group(1)) if found else None
            # Measure a running server: its template is ready (or it said it has none).
            ready = ready or b"template ready" in output or b"start as processes" in output
            time.sleep(0.05)
        if port is None or not ready:
            print("the server did not start:", (work / "serve.out").read_text(), file=sys.stderr)
            return 1
        server_idle_rss = rss_kib(server.pid)
        server_cpu_before = cpu_seconds(server.pid)
        ssh = ["ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
               "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
               "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-p", str(port), "-tt"]  # fmt: skip
        selector = selectors.DefaultSelector()
        split = CpuSplit(server.pid)
        for number, key in enumerate(keys, 1):
            client = Client([*ssh, "-i", str(key), f"load{number}@127.0.0.1"])
            client.user = f"load{number}"
            clients.append(client)
            selector.register(client.master, selectors.EVENT_READ, client)

        peak: dict[int, dict[str, int]] = {}
        peak_total_pss = 0
        cpu: dict[int, float] = {}
        template_memory: dict[str, int] = {}
        end = time.monotonic() + options.deadline
        last_sample = 0.0
        while time.monotonic() < end and not all(c.results is not None for c in clients):
            seen_first = []
            for event, _ in selector.select(timeout=0.05):
                client = event.data
                shown = client.first_screen is not None
                client.read()
                if not shown and client.first_screen is not None:
                    seen_first.append(client)
            if seen_first and all(c.first_screen is not None for c in clients):
                split.take(clients)
            if seen_first:  # its session's CPU time now, before it is asked for anything
                by_user = users_of_sessions(log_path(Path(env["PARTNER_TUI_DATA_DIR"])))
                for client in seen_first:
                    if client.user in by_user:
                        client.first_screen_cpu = cpu_seconds(by_user[client.user])
            now = time.monotonic()
            for client in clients:
                if client.first_screen is not None and client.slash_sent is None:
                    client.send(b"/")
                    client.slash_sent = now
                elif (
                    client.slash_sent and client.search_sent is None and now - client.slash_sent > 1
                ):
                    client.send(QUERY)  # after the search bar has had time to take focus
                    client.search_sent = now
            # Memory is sampled once every client has its first screen (the peaks come with
            # the searches), so that reading /proc does not slow the first screens it times.
            sampling = split.figures is not None or now - split.started > options.deadline / 4
            if sampling and now - last_sample > 0.5:
                last_sample = now
                templates, sessions = session_pids(server.pid)
                total = memory_kib(server.pid).get("pss", 0)
                for pid in templates:
                    template_memory = memory_kib(pid) or template_memory
                    total += template_memory.get("pss", 0)
                for pid in sessions:
                    now_memory = memory_kib(pid)
                    seen = peak.setdefault(pid, {"rss": 0, "pss": 0, "uss": 0})
                    for name, value in now_memory.items():
                        seen[name] = max(seen[name], value)
                    total += now_memory.get("pss", 0)
                    cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid))
                peak_total_pss = max(peak_total_pss, total)

        screens = [c.first_screen for c in clients if c.first_screen is not None]
        searches = [c.results for c in clients if c.results is not None]
        how = "each its own process" if options.no_preload else "forked from the template"
        print(f"sessions: {options.sessions} concurrent `ssh -tt` on loopback, 80x24, {how}")
        if screens:
            print(
                f"time to first screen: median {statistics.median(screens):.2f} s, "
                f"p95 {percentile(screens, 0.95):.2f} s, max {max(screens):.2f} s "
                f"({len(screens)}/{options.sessions} reached it)"
            )
        at_first = [c.first_screen_cpu for c in clients if c.first_screen_cpu is not None]
        if at_first:
            cores = os.cpu_count() or 1
            median = statistics.median(at_first)
            print(
                f"session CPU time at its first screen: median {median:.3f} s, "
                f"p95 {percentile(at_first, 0.95):.3f} s, max {max(at_first):.3f} s "
                f"({len(at_first)} sessions; × {options.sessions} ÷ {cores} cores = "
                f"{median * options.sessions / cores:.2f} s of CPU for all)"
            )
        if searches:
            print(
                f"search typed → results shown: median {statistics.median(searches):.2f} s, "
                f"p95 {percentile(searches, 0.95):.2f} s ({len(searches)}/{options.sessions})"
            )
        for name in ("uss", "pss", "rss"):
            per = sorted(memory[name] for memory in peak.values())
            if per:
                print(
                    f"session {name.upper()} (peak each): median {mib(statistics.median(per))}, "
                    f"p95 {mib(percentile(per, 0.95))}, max {mib(per[-1])} "
                    f"over {len(per)} processes"
                )
        if cpu:
            used = sorted(cpu.values())
            print(
                f"session CPU time (start + one search): median {statistics.median(used):.2f} s, "
                f"max {used[-1]:.2f} s; machine load average {os.getloadavg()[0]:.1f}"
            )
        if template_memory:
            print(f"template: RSS {mib(template_memory['rss'])}, PSS {mib(template_memory['pss'])}")
        print(
            f"server RSS: {mib(server_idle_rss)} idle, "
            f"{mib(rss_kib(server.pid))} with the sessions open; server CPU for the run "
            f"(SSH handshakes, moving bytes): {cpu_seconds(server.pid) - server_cpu_before:.2f} s"
        )
        print(f"peak total PSS (server + template + sessions): {mib(peak_total_pss)}")
        print(split.report())
        refused = sum(client.refused for client in clients)
        failed = sum(c.first_screen is None and not c.refused for c in clients)
        print(f"failures: {failed} never showed a screen, {refused} refused by the caps")
        return 0 if len(searches) == options.sessions else 1
    finally:
        for client in clients:
            client.send(b"\x03")  # leave the search bar's text alone; the server hangs up
            client.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
