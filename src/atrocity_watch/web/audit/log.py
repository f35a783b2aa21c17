"""Recording and verifying the audit log: the API every app uses for its writes.

Usage, in the same transaction as the write it records::

    from atrocity_watch.web.audit.log import record, snapshot

    with transaction.atomic():
        before = snapshot(assessment)
        assessment.status = "approved"
        assessment.save()
        record("approve", request=request, obj=assessment, country=assessment.country,
               before=before, after=snapshot(assessment))

If the write fails, the event is rolled back with it; if recording fails, so does the write.
Each event's hash is SHA-256 over its canonical serialisation (:func:`canonical`), which includes
the previous event's hash, so changing, removing or inserting any event breaks the chain from
that point on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest

from atrocity_watch.web.audit.models import AuditEvent, ChainHead

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """``value`` as it will come back from a JSON column (dates and decimals become text)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, allow_nan=False))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, as plain JSON-ready data.

    Foreign keys are given by id. Fields named in ``fields`` only, when given; secrets (password
    hashes, token digests, TOTP secrets) are never included.
    """
    wanted = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if field.name in {"password", "digest", "secret"}:
            continue
        data[field.name] = field.value_from_object(instance)
    plain: dict[str, Any] = _plain(data)
    return plain


def canonical(event: AuditEvent) -> bytes:
    """The bytes the event's hash covers: every field but the hash, as sorted compact JSON."""
    at = event.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    body = {
        "sequence": event.sequence,
        "at": at,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "country": event.country,
        "before": event.before,
        "after": event.after,
        "address": event.address,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 (hex) of :func:`canonical`."""
    return hashlib.sha256(canonical(event)).hexdigest()


def _lock_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return ChainHead.objects.create(id=1, sequence=0, hash=GENESIS)
    except IntegrityError:  # another request created it first; lock theirs
        return ChainHead.objects.select_for_update().get(id=1)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, as ``core.middleware.ClientAddressMiddleware`` found it."""
    if request is None:
        return None
    return getattr(request, "client_address", None) or request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    country: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` defaults to the request's user (anonymous: none, as for a failed login, whose
    attempted user name belongs in ``after``). ``obj`` fills the object fields not given.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            sequence=head.sequence + 1,
            actor=actor,
            actor_name=getattr(actor, "username", "") if actor is not None else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:300],
            country=country.upper(),
            before=_plain(before),
            after=_plain(after),
            address=client_address(request),
            previous_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        ChainHead.objects.filter(id=1).update(sequence=event.sequence, hash=event.hash)
    return event


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify`."""

    checked: int
    head_sequence: int
    head_hash: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        """True when every link holds."""
        return self.broken_at is None


def verify() -> Verification:
    """Recompute the chain from the first event and report the first broken link."""
    expected_previous = GENESIS
    expected_sequence = 1
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        where = event.sequence
        if event.sequence != expected_sequence:
            return Verification(
                checked,
                where,
                event.hash,
                broken_at=expected_sequence,
                reason=f"event #{expected_sequence} is missing (the next one is #{event.sequence})",
            )
        if event.previous_hash != expected_previous:
            return Verification(
                checked,
                where,
                event.hash,
                broken_at=where,
                reason=f"event #{where} does not point to the hash of event #{where - 1}",
            )
        if compute_hash(event) != event.hash:
            return Verification(
                checked,
                where,
                event.hash,
                broken_at=where,
                reason=f"event #{where} was changed after it was written (its hash does not match)",
            )
        expected_previous = event.hash
        expected_sequence += 1
        checked += 1
    head = ChainHead.objects.filter(id=1).first()
    last_sequence = expected_sequence - 1
    if head is not None and (head.sequence, head.hash) != (last_sequence, expected_previous):
        return Verification(
            checked,
            last_sequence,
            expected_previous,
            broken_at=last_sequence + 1,
            reason=(
                f"the log ends at event #{last_sequence} but its head records #{head.sequence}: "
                "events were removed from the end"
            ),
        )
    return Verification(checked, last_sequence, expected_previous)
