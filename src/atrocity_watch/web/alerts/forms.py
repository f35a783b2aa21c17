"""Forms of the alert pages: the feed's filters, comments, assignment and subscriptions."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms

from atrocity_watch.monitor import MONITORS
from atrocity_watch.web.alerts.models import Level, Subscription
from atrocity_watch.web.alerts.notify import webhook_allowed
from atrocity_watch.web.core import geo

_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _country_choices(allowed: frozenset[str] | None) -> list[tuple[str, str]]:
    return [
        (c.iso3, f"{c.name} ({c.iso3})")
        for c in geo.current_countries()
        if allowed is None or c.iso3 in allowed
    ]


class FeedFilters(forms.Form):
    """Filters of the alert feed (all optional; invalid values are reported, not ignored)."""

    country = forms.ChoiceField(required=False)
    region = forms.ChoiceField(required=False)
    monitor = forms.ChoiceField(
        required=False,
        choices=[("", "every monitor"), *[(m.name, m.title) for m in MONITORS.values()]],
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("open", "open"), ("closed", "closed"), ("all", "open and closed")],
    )
    level = forms.ChoiceField(required=False, choices=[("", "any level"), *Level.choices])
    source = forms.ChoiceField(
        required=False,
        choices=[("", "any source"), ("ucdp_ged", "UCDP GED"), ("acled_events", "ACLED")],
    )
    month = forms.CharField(
        required=False,
        max_length=7,
        help_text="YYYY-MM: alerts active that month.",
        widget=forms.TextInput(attrs={"placeholder": "2022-06", "size": 8}),
    )
    mine = forms.BooleanField(required=False, label="assigned to me")

    def __init__(self, *args: Any, allowed: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["country"], [("", "every country"), *_country_choices(allowed)])
        _set_choices(self.fields["region"], [("", "every region"), *geo.region_choices()])

    def clean_month(self) -> str:
        value = str(self.cleaned_data.get("month") or "").strip()
        if value and not _MONTH.match(value):
            raise forms.ValidationError("Write the month as YYYY-MM, for example 2022-06.")
        return value


class CommentForm(forms.Form):
    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment",
        help_text="Visible to everyone who may see this alert. Up to 4,000 characters.",
    )

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError("Write something, or leave the comment out.")
        return text


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(required=False, label="Assign to")

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["assignee"], [("", "nobody"), *candidates])


class SubscriptionForm(forms.ModelForm):  # type: ignore[type-arg]
    countries = forms.MultipleChoiceField(
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (⌘ on a Mac) to choose several.",
    )
    regions = forms.MultipleChoiceField(
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Every country of the region that your role covers.",
    )
    webhook_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Webhook address",
        help_text="Optional: an https:// address that receives each change as signed JSON "
        "(see the monitoring guide for how to check the signature).",
    )
    monitors = forms.MultipleChoiceField(
        required=False,
        choices=[(m.name, m.title) for m in MONITORS.values()],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every monitor.",
    )

    class Meta:
        model = Subscription
        fields = (
            "name",
            "countries",
            "regions",
            "monitors",
            "min_level",
            "email",
            "digest",
            "webhook_url",
            "active",
        )
        labels: ClassVar[dict[str, str]] = {
            "min_level": "Lowest level",
            "email": "E-mail me each change",
            "digest": "E-mail me a daily digest",
        }

    def __init__(self, *args: Any, allowed: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        _set_choices(self.fields["countries"], _country_choices(allowed))
        _set_choices(self.fields["regions"], list(geo.region_choices()))

    def clean_webhook_url(self) -> str:
        url = (self.cleaned_data.get("webhook_url") or "").strip()
        if url:
            problem = webhook_allowed(url)
            if problem:
                raise forms.ValidationError(problem[0].upper() + problem[1:] + ".")
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("countries") and not data.get("regions"):
            raise forms.ValidationError("Choose at least one country or region.")
        if not (data.get("email") or data.get("digest") or data.get("webhook_url")):
            raise forms.ValidationError(
                "Choose how to be told: e-mail, daily digest or a webhook address."
            )
        return data
