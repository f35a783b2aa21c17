"""Where a request's server CPU goes: the pages of the load benchmark, in-process, profiled.

    .venv/bin/python benchmarks/web_profile.py                    # ms per request, per page
    .venv/bin/python benchmarks/web_profile.py --profile /api/me  # cProfile of one page
    .venv/bin/python benchmarks/web_profile.py --queries          # SQL queries per request

A proxy for one gunicorn worker with warm caches: the same settings, the same synthetic
warehouse and personas as ``benchmarks/web_load.py`` (``--data synthetic``), requests sent
through Django's WSGI handler (the production middleware, sessions and templates; no network,
no gunicorn) by a logged-in client. The figure is the median CPU time of ``--repeat`` requests
after ``--warm`` unmeasured ones; it leaves out gunicorn's own parsing and socket work (about
1 ms a request here), so it is a lower bound on what the load benchmark reports.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))

import dashboard_sample  # noqa: E402  (a test helper, found through the path set above)

PAGES = ("/api/me", "/watchlist/", "/countries/SDN/", "/api/forecasts?limit=50", "/")


def main() -> None:
    """Build a site, log in, and time or profile its pages."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", metavar="PATH", help="print cProfile's top functions")
    parser.add_argument("--queries", action="store_true", help="print SQL queries per page")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--user", default="victor", help="persona (victor, ada, vera, alice)")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="aw-web-profile-"))
    try:
        dashboard_sample.build(home)
        dashboard_sample.prepare_site(home)
        for key, value in dashboard_sample.site_env(home).items():
            os.environ[key] = value
        os.environ["DJANGO_SETTINGS_MODULE"] = "atrocity_watch.web.settings"
        from atrocity_watch.web import launch

        launch.prepare_home()
        launch.setup_django()
        launch.collect_static()
        run(args)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    """Time (or profile) every page for a logged-in persona."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # The test client skips CSRF on its own requests only; the pages timed are GETs.
    client = Client(HTTP_HOST="127.0.0.1")
    if not client.login(username=args.user, password=dashboard_sample.SITE_PASSWORD):
        raise SystemExit(f"could not log in as {args.user}")
    pages = [args.profile] if args.profile else list(PAGES)
    for page in pages:
        for _ in range(args.warm):
            response = client.get(page)
            if response.status_code != 200:
                raise SystemExit(f"{page} answered {response.status_code}")
        if args.queries:
            with CaptureQueriesContext(connection) as captured:
                client.get(page)
            print(f"{page}: {len(captured)} queries")
            for query in captured.captured_queries:
                print("   ", query["sql"][:160])
            reset_queries()
            continue
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(page)
            profiler.disable()
            stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
            stats.print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            continue
        times = []
        for _ in range(args.repeat):
            started = time.process_time()
            client.get(page)
            times.append(time.process_time() - started)
        print(
            f"{page:<28} median {statistics.median(times) * 1000:6.2f} ms CPU  "
            f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:6.2f} ms"
        )


if __name__ == "__main__":
    main()
