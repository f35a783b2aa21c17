"""Side-by-side comparison of two versions of a country's assessment."""

from __future__ import annotations

from typing import Any

from atrocity_watch.framework import get_framework
from atrocity_watch.web.assessments import services
from atrocity_watch.web.assessments.models import Assessment

EMPTY = {"level": "unknown", "trend": "", "confidence": "", "rationale": ""}
_FIELDS = (
    ("status", "Status"),
    ("summary", "Summary"),
    ("suggested_category", "Suggested category"),
    ("category", "Chosen category"),
    ("override_reason", "Reason for the category"),
    ("review_comment", "Reviewer's comment"),
)


def _evidence_key(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row.get(f) or "") for f in services.EVIDENCE_FIELDS)


def compare(left: Assessment, right: Assessment, include_unchanged: bool = False) -> dict[str, Any]:
    """What differs between two versions: overall fields, judgements and evidence by risk factor.

    Judgements missing from a version count as unknown with no rationale. With
    ``include_unchanged`` every item is listed, else only changed ones.
    """
    fields = []
    for name, label in _FIELDS:
        a = getattr(left, f"get_{name}_display")() if name == "status" else getattr(left, name)
        b = getattr(right, f"get_{name}_display")() if name == "status" else getattr(right, name)
        if include_unchanged or a != b:
            fields.append({"label": label, "left": a, "right": b, "changed": a != b})
    saved_left = services.judgements_of(left)
    saved_right = services.judgements_of(right)
    risk_factors = []
    changes = 0
    for rf in get_framework():
        rows = []
        items = [(str(rf.number), f"Risk factor {rf.number} overall")]
        items += [(i.number, f"{i.number} {i.label}") for i in rf.indicators]
        for key, label in items:
            a = saved_left.get(key, EMPTY)
            b = saved_right.get(key, EMPTY)
            changed = {f for f in EMPTY if (a.get(f) or "") != (b.get(f) or "")}
            changes += bool(changed)
            if changed or include_unchanged:
                rows.append({"key": key, "label": label, "left": a, "right": b, "changed": changed})
        ev_left = services.evidence_of(left, rf.number)
        ev_right = services.evidence_of(right, rf.number)
        evidence_changed = sorted(map(_evidence_key, ev_left)) != sorted(
            map(_evidence_key, ev_right)
        )
        changes += evidence_changed
        if rows or evidence_changed or include_unchanged:
            risk_factors.append(
                {
                    "rf": rf,
                    "rows": rows,
                    "evidence_left": ev_left,
                    "evidence_right": ev_right,
                    "evidence_changed": evidence_changed,
                }
            )
    return {
        "fields": fields,
        "risk_factors": risk_factors,
        "changes": changes + sum(1 for f in fields if f["changed"]),
    }
