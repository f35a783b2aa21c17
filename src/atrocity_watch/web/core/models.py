"""The write token of each table whose rows the web workers cache (see ``table_versions``)."""

from __future__ import annotations

from django.db import models


class TableVersion(models.Model):
    """One watched table's current write token, replaced by a trigger on every write to it.

    Written only by the database triggers that :mod:`atrocity_watch.web.core.table_versions`
    installs; never edit it by hand (a stale token is harmless, a made-up one is too).
    """

    name = models.CharField(max_length=63, primary_key=True)
    token = models.CharField(max_length=64)

    class Meta:
        db_table = "core_tableversion"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
