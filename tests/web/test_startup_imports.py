"""A web worker starts without the numerical libraries only the data steps need.

gunicorn imports the app once per worker; scipy, pandas and LightGBM would add seconds and
~100-200 MB to each worker for nothing a page does on most requests (they are imported on
first use where a page needs them).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("scipy", "pandas", "lightgbm", "sklearn", "torch", "ibis")


def test_the_wsgi_app_imports_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "import atrocity_watch.web.wsgi\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "ATROCITY_WATCH_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "atrocity_watch.web.settings",
    }
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
