"""Forms of the evidence pages."""

from __future__ import annotations

from typing import Any

from django import forms

from atrocity_watch.evidence import LANGUAGES, language_name
from atrocity_watch.framework import get_framework

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def risk_factor_choices() -> list[tuple[str, str]]:
    return [(str(rf.number), f"{rf.number}. {rf.name}") for rf in get_framework()]


def indicator_choices() -> list[tuple[str, str]]:
    choices = [("", "the risk factor as a whole")]
    for ind in get_framework().indicators:
        label = ind.label if len(ind.label) <= 90 else ind.label[:87] + "..."
        choices.append((ind.number, f"{ind.number} {label}"))
    return choices


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="PDF, HTML, Word (.docx) or plain text, up to 50 MB. Scanned PDFs need OCR first."
    )
    country = forms.ChoiceField(help_text="The country the document is about.")
    source_url = forms.URLField(
        required=False,
        max_length=500,
        label="Address (URL)",
        help_text="Where the document is published, for the citation.",
        assume_scheme="https",
    )
    title = forms.CharField(
        required=False,
        max_length=300,
        help_text="Leave empty to use the document's own title or file name.",
    )

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "choose a country"), *countries]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size // (1024 * 1024)} MB; the limit is 50 MB."
            )
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Words",
        help_text='All words must appear; "a phrase" in quotes; kill* for word beginnings.',
    )
    country = forms.CharField(required=False, max_length=3, label="Country (ISO3)")
    risk_factor = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Risk factor"
    )
    indicator = forms.ChoiceField(required=False, label="Indicator")
    language = forms.ChoiceField(required=False, label="Language")
    since = forms.DateField(
        required=False, label="Mentions a date from", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "risk_factor", [("", "any"), *risk_factor_choices()])
        _choices(self, "indicator", [("", "any"), *indicator_choices()[1:]])
        _choices(self, "language", [("", "any")] + [(c, language_name(c)) for c in LANGUAGES])

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The period starts after it ends.")
        return data

    @property
    def searching(self) -> bool:
        return self.is_bound and any(self.data.get(k) for k in self.fields)


class DecisionForm(forms.Form):
    risk_factor = forms.TypedChoiceField(coerce=int)
    indicator = forms.ChoiceField(required=False)
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    attach = forms.BooleanField(
        required=False, label="Attach to the country's open assessment as evidence"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "risk_factor", risk_factor_choices())
        _choices(self, "indicator", indicator_choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rf, ind = data.get("risk_factor"), data.get("indicator")
        if rf and ind and not ind.startswith(f"{rf}."):
            self.add_error("indicator", f"Indicator {ind} is not part of risk factor {rf}.")
        return data
