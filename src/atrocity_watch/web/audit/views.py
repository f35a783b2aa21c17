"""Administrators browse the audit log, filtered by user, action, object and date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from atrocity_watch.web.accounts.permissions import require
from atrocity_watch.web.audit.models import Action, AuditEvent

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    user = forms.CharField(label="User", required=False)
    action = forms.ChoiceField(label="Action", required=False)
    object = forms.CharField(label="Object", required=False, help_text="Type, id or name contains")
    country = forms.CharField(label="Country (ISO3)", required=False, max_length=3)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recorded = set(AuditEvent.objects.values_list("action", flat=True).distinct())
        choices = [(a.value, a.label) for a in Action if a.value in recorded]
        choices += [(a, a.replace("_", " ")) for a in sorted(recorded - {a.value for a in Action})]
        self.fields["action"].choices = [("", "any"), *choices]  # type: ignore[attr-defined,unused-ignore]

    def clean(self):
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("'From' must not be after 'To'.")
        return data


@require("read_audit")
def event_list(request: HttpRequest) -> HttpResponse:
    """The log, newest first, with filters."""
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            events = events.filter(actor_name__icontains=data["user"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["object"]:
            from django.db.models import Q

            term = data["object"]
            events = events.filter(
                Q(object_type__icontains=term) | Q(object_id=term) | Q(object_repr__icontains=term)
            )
        if data["country"]:
            events = events.filter(country=data["country"].upper())
        if data["since"]:
            events = events.filter(at__gte=dt.datetime.combine(data["since"], dt.time.min, dt.UTC))
        if data["until"]:
            events = events.filter(
                at__lt=dt.datetime.combine(
                    data["until"] + dt.timedelta(days=1), dt.time.min, dt.UTC
                )
            )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require("read_audit")
def event_detail(request: HttpRequest, sequence: int) -> HttpResponse:
    """One event with its before and after."""
    event = get_object_or_404(AuditEvent, sequence=sequence)
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "before_json": json.dumps(event.before, indent=2, ensure_ascii=False),
            "after_json": json.dumps(event.after, indent=2, ensure_ascii=False),
        },
    )
