"""Access rules of the assessment pages and endpoints."""

from __future__ import annotations

from web_matrix import Rule

ACCESS = {
    "assessments:list": Rule("view"),
}
