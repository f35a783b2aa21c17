"""Analysts' decisions on the evidence library's suggestions.

Documents and passages live in the evidence library (``atrocity_watch.evidence``, its own
database, so the library works without the web app); this app keeps who decided what about a
passage and, when a passage was accepted onto an assessment, the evidence reference it became.
Decisions are never edited: a new decision on the same passage and risk factor supersedes the
earlier one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "accepted"
    REJECTED = "rejected", "rejected"


class Review(models.Model):
    """One analyst's decision on one passage for one risk factor (and indicator)."""

    passage_id = models.BigIntegerField(db_index=True)
    document_id = models.BigIntegerField(db_index=True)
    country = models.CharField(max_length=3, blank=True, db_index=True)
    risk_factor = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=8, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    # False when the analyst chose a risk factor or indicator that was not suggested (relabel).
    suggested = models.BooleanField(default=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    evidence = models.ForeignKey(
        "assessments.EvidenceReference",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the evidence reference created on the country's assessment, if any",
    )

    class Meta:
        ordering = ("-decided_at", "-id")

    def __str__(self) -> str:
        item = self.indicator or f"risk factor {self.risk_factor}"
        return f"passage {self.passage_id}: {item} {self.decision}"
