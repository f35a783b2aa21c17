"""``python -m atrocity_watch.web <command>``: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a Django management command (migrate, audit_verify, createsuperuser, …)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atrocity_watch.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0].replace("__main__.py", "manage.py"), *sys.argv[1:]])


if __name__ == "__main__":
    main()
