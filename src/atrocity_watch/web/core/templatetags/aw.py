"""Template filters available in every template (registered as a builtin in settings)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ names|get_item:code }}``: a dictionary value by key (empty when missing)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def humanize_level(value: str) -> str:
    """``not_present`` → ``not present``."""
    return (value or "unknown").replace("_", " ")


@register.filter
def humanize_category(value: str) -> str:
    """``imminent_risk`` → ``Imminent risk``."""
    return (value or "").replace("_", " ").capitalize()


@register.filter
def country_name(iso3: str) -> str:
    """``{{ "SDN"|country_name }}`` → ``Sudan`` (the code itself when the registry lacks it)."""
    from atrocity_watch.web.core import geo

    return geo.country_name(str(iso3 or ""))
