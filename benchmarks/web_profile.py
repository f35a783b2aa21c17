"""Where a request's server CPU goes: the pages of the load benchmark, in-process, profiled.

    .venv/bin/python benchmarks/web_profile.py                    # ms per request, per page
    .venv/bin/python benchmarks/web_profile.py --profile /api/me  # cProfile of one page
    .venv/bin/python benchmarks/web_profile.py --queries          # SQL queries per request

A proxy for one gunicorn worker with warm caches: the same settings, the same synthetic
warehouse and personas as ``benchmarks/web_load.py`` (``--data synthetic``), requests sent
through Django's WSGI handler exactly as gunicorn calls it (the production middleware,
sessions, templates and the request signals that close or keep database connections; no
network, no gunicorn) with a logged-in session cookie. The figure is the median CPU time of
``--repeat`` requests after ``--warm`` unmeasured ones; it leaves out gunicorn's own parsing
and socket work, so it is a lower bound on what the load benchmark reports.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def wsgi_get(handler: Any, path: str, cookie: str) -> tuple[int, bytes]:
    """One GET through Django's WSGI handler, as gunicorn calls it (signals and all)."""
    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status: list[str] = []
    body = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        data = b"".join(body)
    finally:
        body.close()  # fires request_finished: database connections are closed or kept here
    return int(status[0].split()[0]), data


def run(args: argparse.Namespace) -> None:
    """Time (or profile) every page for a logged-in persona."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if not client.login(username=args.user, password=dashboard_sample.SITE_PASSWORD):
        raise SystemExit(f"could not log in as {args.user}")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    handler = WSGIHandler()
    pages = [args.profile] if args.profile else list(PAGES)
    for page in pages:
        for _ in range(args.warm):
            status, _body = wsgi_get(handler, page, cookie)
            if status != 200:
                raise SystemExit(f"{page} answered {status}")
        if args.queries:
            with CaptureQueriesContext(connection) as captured:
                wsgi_get(handler, page, cookie)
            print(f"{page}: {len(captured)} queries")
            for query in captured.captured_queries:
                print("   ", query["sql"][:160])
            continue
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                wsgi_get(handler, page, cookie)
            profiler.disable()
            stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
            stats.print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            continue
        times = []
        for _ in range(args.repeat):
            started = time.process_time()
            wsgi_get(handler, page, cookie)
            times.append(time.process_time() - started)
        print(
            f"{page:<28} median {statistics.median(times) * 1000:6.2f} ms CPU  "
            f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:6.2f} ms"
        )


if __name__ == "__main__":
    main()
