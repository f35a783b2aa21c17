"""Latency of the dashboard under load: 32 logged-in clients against gunicorn (2 workers, SQLite).

    .venv/bin/python benchmarks/web_load.py                  # 32 clients, 20 s per scenario
    .venv/bin/python benchmarks/web_load.py --data real      # real forecasts (needs ../shared/data)
    .venv/bin/python benchmarks/web_load.py --think 1        # people reading: ~1 s between clicks
    .venv/bin/python benchmarks/web_load.py --clients 8 --seconds 10 --json

What it does, so the figures can be judged:

1. Makes a fresh home folder with a warehouse: ``--data synthetic`` writes made-up forecasts
   (175 countries × 4 base years, two models), drivers and panels through the warehouse API
   (``tests/web/dashboard_sample.py``); ``--data real`` imports EWP's prepared 2025 dataset from
   ``../shared/data`` and runs the headline model (``atrocity-watch forecast run``) for four
   base years, with the same synthetic panels (building real panels needs every source).
   ``auto`` (the default) is real when the data are there, else synthetic. The report says
   which was used.
2. Migrates the app database (SQLite, WAL) and creates personas: a viewer of all countries, one
   of Africa, one of Asia; each client logs in through the login form (its own session).
3. Starts the real server, ``atrocity-watch serve --workers 2`` (gunicorn, sync workers; with
   ``--threads N``, threaded workers with keep-alive). Each client keeps its connection open
   between requests, as a browser does, where the server allows it.
4. Warms every worker up, then for each scenario runs N clients in a closed loop (each sends its
   next request as soon as the previous answer has been read, or after a pause of ``--think``
   seconds on average) for ``--seconds``: ``/api/me`` (the framework's floor: session, user,
   memberships, nothing of the dashboard), the watchlist, a country page, the forecasts API
   list (``/api/forecasts?limit=50``), and the three mixed. Latency is measured from sending
   the request to reading the whole answer; the server's CPU time per request is measured too.

A closed loop with no pause is the harshest reading of "32 concurrent clients": with 2 worker
processes, 30 requests are always queued, so latency ≈ 16 × service time. The load generator
runs on the same machine and takes CPU from the server; the load average is printed with the
figures because other work on the machine changes them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))

import dashboard_sample  # noqa: E402  (a test helper, found through the path set above)

SHARED = ROOT.parent / "shared" / "data"
EWP_PREPARED = SHARED / "ewp" / "sra2025" / "prepared2024predictors-2025-09-03.csv"
BASE_YEARS = (2021, 2022, 2023, 2024)
PERSONAS = ("victor", "ada", "vera")  # all countries, Africa, Asia
COUNTRY_OF = {"victor": "SDN", "ada": "NGA", "vera": "MMR"}


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from atrocity_watch.cli import main; main()", *args]
    return subprocess.run(
        command, env=dashboard_sample.site_env(home), capture_output=True, text=True, check=False
    )


def prepare_data(home: Path, wanted: str) -> str:
    """Fill the warehouse of ``home``; return a sentence saying what it holds."""
    real = wanted == "real" or (wanted == "auto" and EWP_PREPARED.is_file())
    if wanted == "real" and not EWP_PREPARED.is_file():
        raise SystemExit(f"--data real needs {EWP_PREPARED}")
    if not real:
        dashboard_sample.build(home)
        countries = len(dashboard_sample.map_countries())
        return (
            f"synthetic forecasts ({countries} countries × {len(dashboard_sample.BASE_YEARS)} "
            "base years, 2 models), drivers and panels, written through the warehouse API"
        )
    dashboard_sample.build(home, forecasts=False)
    done = _cli(home, "data", "import", str(EWP_PREPARED))
    if done.returncode != 0:
        raise SystemExit(f"importing {EWP_PREPARED.name} failed: {done.stderr}")
    for year in BASE_YEARS:
        done = _cli(home, "forecast", "run", "--base-year", str(year), "--refits", "20")
        if done.returncode != 0:
            raise SystemExit(f"forecast run --base-year {year} failed: {done.stderr}")
    from atrocity_watch.warehouse import Warehouse

    rows = Warehouse(home).read_table("forecasts")
    countries = len(set(rows.column("iso3").to_pylist()))
    return (
        f"real forecasts of the headline model from {EWP_PREPARED.name} ({countries} countries × "
        f"{len(BASE_YEARS)} base years, 20 bootstrap refits each) and synthetic panels"
    )


# -- HTTP clients -----------------------------------------------------------------------------


class Session:
    """One logged-in browser-like client (its own session cookie, its own connection).

    Like a browser it keeps its connection open between requests (HTTP/1.1 keep-alive) when
    the server allows it; gunicorn's sync workers close it after every answer, and then the
    next request opens a new one. A GET sent on a kept connection that the server closed in
    the meantime is sent again once on a new connection, as browsers do.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.connections_opened = 0

    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        if self.connection.sock is None:
            self.connections_opened += 1
        return self.connection

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            connection = self._connection()
            reused = connection.sock is not None
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                if attempt == 1 and reused and method == "GET":
                    continue  # the server had closed the idle connection: open a new one
                raise
            except OSError:
                connection.close()
                raise
            if response.will_close:
                connection.close()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the kept connection, if any."""
        if self.connection is not None:
            self.connection.close()

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"the login page answered {status}")
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1).decode(),
                "next": "/",
            }
        )
        status, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"logging in as {username} failed (HTTP {status})")


@dataclass
class Result:
    """Latencies and errors of one scenario."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

        return {
            "scenario": self.name,
            "requests": len(ordered),
            "errors": len(self.errors),
            "throughput_per_s": round(len(ordered) / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(pct(50), 1) if ordered else None,
            "p95_ms": round(pct(95), 1) if ordered else None,
            "p99_ms": round(pct(99), 1) if ordered else None,
            "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else None,
        }


def run_scenario(
    name: str,
    sessions: list[tuple[str, Session]],
    paths_for: Any,
    seconds: float,
    think: float = 0.0,
) -> Result:
    """Every session requests ``paths_for(persona, i)`` in a closed loop for ``seconds``.

    ``think`` > 0: each client pauses a random time (exponential, mean ``think`` seconds)
    between an answer and its next request, like a person reading the page.
    """
    import random

    result = Result(name)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    start_gate = threading.Barrier(len(sessions) + 1)

    def client(persona: str, session: Session) -> None:
        start_gate.wait()
        pauses = random.Random(id(session))
        i = 0
        while time.perf_counter() < stop_at:
            if think > 0 and i > 0:
                time.sleep(min(pauses.expovariate(1 / think), stop_at - time.perf_counter()))
                if time.perf_counter() >= stop_at:
                    break
            path = paths_for(persona, i)
            i += 1
            started = time.perf_counter()
            try:
                status, body = session.request("GET", path)
            except OSError as exc:
                with lock:
                    result.errors.append(f"{path}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                if status != 200 or not body:
                    result.errors.append(f"{path}: HTTP {status}")

    threads = [
        threading.Thread(target=client, args=(persona, session), daemon=True)
        for persona, session in sessions
    ]
    for thread in threads:
        thread.start()
    begun = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - begun
    return result


SCENARIOS = {
    # The framework's floor: session, user and memberships, no dashboard work.
    "API /me (floor)": lambda persona, i: "/api/me",
    "watchlist": lambda persona, i: "/watchlist/",
    "country page": lambda persona, i: f"/countries/{COUNTRY_OF[persona]}/",
    "API list": lambda persona, i: "/api/forecasts?limit=50",
    "mixed": lambda persona, i: (
        "/watchlist/",
        f"/countries/{COUNTRY_OF[persona]}/",
        "/api/forecasts?limit=50",
    )[i % 3],
}


def server_cpu_seconds(master: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master and its workers.

    Divided by the requests served, it is the server's cost per request: a figure that other
    work on the machine changes far less than latency, which includes waiting for a core.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine_cpu() -> list[int]:
    """The machine's CPU time counters (``/proc/stat``, all cores), in clock ticks."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return [int(x) for x in fields]


def machine_cpu_share(before: list[int], after: list[int]) -> dict[str, float]:
    """How busy the whole machine was between two :func:`machine_cpu` readings.

    ``busy_percent`` counts every process (the server, this client, other people's work) as a
    share of all cores; ``steal_percent`` is time the hypervisor gave to other machines.
    """
    delta = [b - a for a, b in zip(before, after, strict=False)]
    total = sum(delta[:8]) or 1  # user nice system idle iowait irq softirq steal
    idle = delta[3] + delta[4]
    steal = delta[7] if len(delta) > 7 else 0
    ticks = os.sysconf("SC_CLK_TCK")
    return {
        "busy_percent": round(100 * (total - idle - steal) / total, 1),
        "steal_percent": round(100 * steal / total, 1),
        "busy_seconds": round((total - idle - steal) / ticks, 2),
    }


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0, help="per scenario")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker (1: gunicorn sync workers; more: gthread with keep-alive)",
    )
    parser.add_argument("--data", choices=("auto", "real", "synthetic"), default="auto")
    parser.add_argument(
        "--think",
        type=float,
        nargs="+",
        default=[0.0],
        help="mean pause in seconds between a client's requests (0: none); several values run "
        "every scenario once per value",
    )
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--save", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--keep", action="store_true", help="keep the home folder afterwards")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="aw-web-load-"))
    say = (lambda *a: None) if args.json else print
    process: Any = None
    try:
        say(f"home folder: {home}")
        data = prepare_data(home, args.data)
        say(f"data: {data}")
        dashboard_sample.prepare_site(home)
        port = dashboard_sample.free_port()
        process, base = dashboard_sample.start_server(
            home, port, workers=args.workers, threads=args.threads
        )
        kind = (
            f"{args.workers} gthread workers × {args.threads} threads, keep-alive"
            if args.threads > 1
            else f"{args.workers} sync workers"
        )
        say(f"server: {base} (gunicorn, {kind}, SQLite)")
        say(f"{args.clients} logged-in clients, closed loop, {args.seconds:g} s per scenario")
        sessions = []
        for n in range(args.clients):
            persona = PERSONAS[n % len(PERSONAS)]
            session = Session("127.0.0.1", port)
            session.login(persona, dashboard_sample.SITE_PASSWORD)
            sessions.append((persona, session))
        for persona, session in sessions[: args.workers * 6]:  # every worker, every page
            for path in ("/watchlist/", f"/countries/{COUNTRY_OF[persona]}/", "/api/forecasts"):
                status, _ = session.request("GET", path)
                if status != 200:
                    raise SystemExit(f"warm-up: {path} answered {status} for {persona}")
        load_before = os.getloadavg()
        results = []
        runs = [(think, name, paths) for think in args.think for name, paths in SCENARIOS.items()]
        for think, name, paths_for in runs:
            if name == next(iter(SCENARIOS)):
                say(f"think time {think:g} s (exponential)" if think else "no think time")
            cpu_before, own_before = server_cpu_seconds(process.pid), time.process_time()
            opened_before = sum(session.connections_opened for _, session in sessions)
            machine_before = machine_cpu()
            result = run_scenario(name, sessions, paths_for, args.seconds, think)
            machine = machine_cpu_share(machine_before, machine_cpu())
            cpu = server_cpu_seconds(process.pid) - cpu_before
            served = max(1, len(result.latencies))
            opened = sum(session.connections_opened for _, session in sessions) - opened_before
            results.append(
                result.summary()
                | {
                    "think_seconds": think,
                    "server_cpu_ms_per_request": round(cpu / served * 1000, 1),
                    "client_cpu_ms_per_request": round(
                        (time.process_time() - own_before) / served * 1000, 1
                    ),
                    "new_connections_per_request": round(opened / served, 2),
                    "server_share_of_machine_cpu": round(cpu / machine["busy_seconds"], 2)
                    if machine["busy_seconds"]
                    else None,
                    "machine": machine,
                    "first_errors": result.errors[:3],
                }
            )
            say(
                "  {scenario:<16} {requests:>6} requests  {throughput_per_s:>6}/s  p50 {p50_ms:>6} "
                "ms  p95 {p95_ms:>6} ms  p99 {p99_ms:>6} ms  errors {errors}  server CPU "
                "{server_cpu_ms_per_request} ms/request  client CPU {client_cpu_ms_per_request} "
                "ms/request".format(**results[-1])
                + "  machine busy {busy_percent}% (steal {steal_percent}%)".format(**machine)
            )
        report = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": _machine(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "clients": args.clients,
            "workers": args.workers,
            "threads_per_worker": args.threads,
            "seconds_per_scenario": args.seconds,
            "data": data,
            "results": results,
        }
        if args.save:
            args.save.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            say(f"load average before/after: {report['load_average_before']} / "
                f"{report['load_average_after']}")  # fmt: skip
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
