"""Filters of the evidence templates: Framework names and search highlights."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def rf_name(framework: Any, number: int) -> str:
    """``{{ framework|rf_name:7 }}``: the name of a risk factor."""
    return str(framework.risk_factor(int(number)).name)


@register.filter
def indicator_label(framework: Any, number: str) -> str:
    """``{{ framework|indicator_label:"7.14" }}``: the label of an indicator."""
    return str(framework.indicator(str(number)).label)


@register.filter
def highlight(snippet: str) -> SafeString:
    """Turn the library's ``[[word]]`` marks into ``<mark>`` (everything else escaped)."""
    escaped = str(escape(snippet))
    return mark_safe(escaped.replace("[[", "<mark>").replace("]]", "</mark>"))  # noqa: S308
