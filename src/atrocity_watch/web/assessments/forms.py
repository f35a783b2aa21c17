"""Forms of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import forms

from atrocity_watch.framework import RiskFactor
from atrocity_watch.web.assessments.models import (
    CATEGORY_CHOICES,
    LEVEL_CHOICES,
    Confidence,
    Trend,
)
from atrocity_watch.web.assessments.services import JUDGEMENT_FIELDS, RiskFactorInput


class StartForm(forms.Form):
    country = forms.ChoiceField(label="Country")

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Choose a country…"), *countries]  # type: ignore[attr-defined,unused-ignore]


class RiskFactorForm(forms.Form):
    """Level, trend, confidence and rationale for a risk factor and each of its indicators."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, risk_factor: RiskFactor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.risk_factor = risk_factor
        self.keys = [str(risk_factor.number), *(i.number for i in risk_factor.indicators)]
        for key in self.keys:
            self.fields[f"{key}-level"] = forms.ChoiceField(
                label="Level", choices=LEVEL_CHOICES, initial="unknown"
            )
            self.fields[f"{key}-trend"] = forms.ChoiceField(
                label="Trend", choices=Trend.choices, required=False
            )
            self.fields[f"{key}-confidence"] = forms.ChoiceField(
                label="Confidence", choices=Confidence.choices, required=False
            )
            self.fields[f"{key}-rationale"] = forms.CharField(
                label="Rationale",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Bound fields grouped per item, for the template."""
        labels = {str(self.risk_factor.number): f"Risk factor {self.risk_factor.number} overall"}
        labels.update({i.number: f"{i.number} {i.label}" for i in self.risk_factor.indicators})
        return [
            {
                "key": key,
                "label": labels[key],
                "overall": key == str(self.risk_factor.number),
                **{name: self[f"{key}-{name}"] for name in JUDGEMENT_FIELDS},
            }
            for key in self.keys
        ]

    def judgements(self) -> dict[str, dict[str, str]]:
        """Cleaned judgements by key."""
        return {
            key: {name: self.cleaned_data.get(f"{key}-{name}") or "" for name in JUDGEMENT_FIELDS}
            for key in self.keys
        }


class EvidenceForm(forms.Form):
    indicator = forms.ChoiceField(label="About", required=False)
    title = forms.CharField(label="Title", max_length=300, required=False)
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    document = forms.CharField(
        label="Document", max_length=300, required=False, help_text="e.g. UN doc. A/HRC/57/…"
    )
    date = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="Note", max_length=500, required=False)

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "the risk factor"), *indicators]  # type: ignore[attr-defined,unused-ignore]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = any(data.get(f) for f in ("url", "document", "date", "note"))
        if filled and not data.get("title"):
            self.add_error("title", "Give the reference a title (what is it?).")
        return data


class BaseEvidenceFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def rows(self) -> list[dict[str, Any]]:
        """Kept evidence rows (titled, not marked for deletion)."""
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("title") or data.get("DELETE"):
                continue
            kept.append(
                {
                    f: data.get(f) or ("" if f != "date" else None)
                    for f in ("indicator", "title", "url", "document", "date", "note")
                }
            )
        return kept


EvidenceFormSet = forms.formset_factory(
    EvidenceForm, formset=BaseEvidenceFormSet, extra=2, can_delete=True, max_num=50
)


def risk_factor_input(form: RiskFactorForm, evidence: BaseEvidenceFormSet) -> RiskFactorInput:
    """What a valid editor page sends to the service."""
    return RiskFactorInput(judgements=form.judgements(), evidence=evidence.rows())


class OverviewForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The situation in a few sentences, for readers who do not open each risk factor.",
    )
    category = forms.ChoiceField(
        label="Overall category",
        required=False,
        choices=[("", "Use the suggested category"), *CATEGORY_CHOICES],
    )
    override_reason = forms.CharField(
        label="Reason for the category",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you choose a category other than the suggested one.",
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when returning: say what should change.",
    )


class RevisionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
