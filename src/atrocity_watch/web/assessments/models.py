"""Framework assessments: one row per version of a country's assessment, judgements and evidence.

Lifecycle: draft → submitted → approved, or returned (editable again) → submitted → …
An approved version never changes (the models refuse it); a new version starts from the last
approved one. At most one open (not approved) version per country at a time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.web.assessments.rules import Category, Level


class AssessmentError(AtrocityWatchError):
    """An assessment cannot take this change (wrong state, immutable, incomplete)."""


class SelfReviewError(AssessmentError):
    """The reviewer wrote or submitted the version: someone else must review it."""


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"


EDITABLE = (Status.DRAFT, Status.RETURNED)

LEVEL_CHOICES = [(lv.value, lv.value.replace("_", " ")) for lv in Level]
CATEGORY_CHOICES = [(c.value, c.label) for c in Category]


class Trend(models.TextChoices):
    NONE = "", "—"
    WORSENING = "worsening", "worsening"
    STABLE = "stable", "stable"
    IMPROVING = "improving", "improving"


class Confidence(models.TextChoices):
    NONE = "", "—"
    LOW = "low", "low"
    MEDIUM = "medium", "medium"
    HIGH = "high", "high"


class Assessment(models.Model):
    """One version of the Framework assessment of one country."""

    country = models.CharField(max_length=3, db_index=True, help_text="ISO 3166-1 alpha-3")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    summary = models.TextField(blank=True, max_length=5000)
    # The category the analyst chose; empty means "the suggested one".
    category = models.CharField(max_length=32, blank=True, choices=CATEGORY_CHOICES)
    override_reason = models.TextField(blank=True, max_length=2000)
    # The rule's suggestion, stored when the version is submitted, so history shows both.
    suggested_category = models.CharField(max_length=32, blank=True, choices=CATEGORY_CHOICES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(blank=True, max_length=5000)
    # Optimistic concurrency: every save of the draft increments it; a form sent with an older
    # number is refused (see services.py).
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("country", "-version")
        constraints = (
            models.UniqueConstraint(fields=["country", "version"], name="unique_country_version"),
            models.UniqueConstraint(
                fields=["country"],
                condition=~Q(status="approved"),
                name="one_open_assessment_per_country",
            ),
        )

    def __str__(self) -> str:
        return f"{self.country} assessment v{self.version} ({self.get_status_display()})"

    @property
    def editable(self) -> bool:
        """True while analysts may change it (draft or returned)."""
        return self.status in EDITABLE

    @property
    def final_category(self) -> str:
        """The chosen category, or the suggested one when none was chosen."""
        return self.category or self.suggested_category

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = Assessment.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == Status.APPROVED:
                raise AssessmentError(
                    f"{self} is approved and cannot change; start a new version instead."
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status == Status.APPROVED:
            raise AssessmentError(f"{self} is approved and cannot be deleted.")
        return super().delete(*args, **kwargs)


class _ChildOfAssessment(models.Model):
    """Judgements and evidence: frozen with their assessment once it is approved."""

    assessment: models.ForeignKey[Assessment, Assessment]
    assessment_id: int

    class Meta:
        abstract = True

    def _refuse_if_approved(self) -> None:
        status = (
            Assessment.objects.filter(pk=self.assessment_id)
            .values_list("status", flat=True)
            .first()
        )
        if status == Status.APPROVED:
            raise AssessmentError("This assessment is approved and cannot change.")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_approved()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._refuse_if_approved()
        return super().delete(*args, **kwargs)


class Judgement(_ChildOfAssessment):
    """The analyst's judgement of one risk factor (``indicator`` empty) or one indicator."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="judgements")
    risk_factor = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=8, blank=True)
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES, default=Level.UNKNOWN.value)
    trend = models.CharField(max_length=16, choices=Trend.choices, blank=True)
    confidence = models.CharField(max_length=16, choices=Confidence.choices, blank=True)
    rationale = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ("risk_factor", "indicator")
        constraints = (
            models.UniqueConstraint(
                fields=["assessment", "risk_factor", "indicator"], name="one_judgement_per_item"
            ),
        )

    def __str__(self) -> str:
        return f"{self.indicator or self.risk_factor}: {self.level}"


class EvidenceReference(_ChildOfAssessment):
    """A source an analyst cites for a risk factor or indicator: a link, a document, a date."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    risk_factor = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=8, blank=True)
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True, max_length=500)
    document = models.CharField(
        max_length=300, blank=True, help_text="e.g. a UN document symbol or a report's title"
    )
    date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("risk_factor", "indicator", "id")

    def __str__(self) -> str:
        return self.title
