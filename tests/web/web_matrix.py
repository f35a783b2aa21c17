"""The persona × URL security matrix: rules, expected outcomes, and the sample world.

Each URL name of the project gets a :class:`Rule` (in ``tests/web/access_<app>.py``). Who may
pass a rule is written out by hand in :data:`ALLOWED` — deliberately not computed with the code
under test — so a change of the permission code that lets the wrong persona in fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ANONYMOUS = "anonymous"
PERSONA_NAMES = ("alice", "ana", "rita", "victor", "amara", "vera", "nora", ANONYMOUS)

Kwargs = Mapping[str, Any] | Callable[["World"], Mapping[str, Any]]
Data = Mapping[str, Any] | Callable[["World"], Mapping[str, Any]]


@dataclass(frozen=True)
class Rule:
    """Who may use one URL with one method, and what answer each side gets.

    ``access``: ``public`` (anyone), ``login`` (anyone logged in), ``staff`` (Django admin site),
    or an action of ``accounts.permissions.ACTIONS``. ``country``: ``africa`` or ``asia`` when the
    URL concerns a country (Sudan or Myanmar in the sample world), else None.
    """

    access: str
    country: str | None = None
    kwargs: Kwargs = field(default_factory=dict)
    method: str = "GET"
    data: Data = field(default_factory=dict)
    ok: tuple[int, ...] = (200,)  # statuses that mean "let in"
    denied: int = 403  # what a logged-in persona without the right gets
    anonymous: int | None = None  # default: 302 to the login page (pages) or 401 (API)
    json: bool = False  # send ``data`` as a JSON body (API writes)
    path: str | None = None  # for an unnamed URL: the concrete path to request
    redirect_to: tuple[str, ...] = ("/accounts/login/", "/admin/login/")  # for a 302


# Who passes each kind of rule, per country of the sample world. Written by hand on purpose.
_ALL_MEMBERS = {"alice", "ana", "rita", "victor", "amara", "vera"}
ALLOWED: dict[tuple[str, str | None], set[str]] = {
    ("public", None): set(PERSONA_NAMES),
    ("login", None): set(PERSONA_NAMES) - {ANONYMOUS},
    ("staff", None): {"alice"},
    ("view", None): _ALL_MEMBERS,
    ("view", "africa"): {"alice", "ana", "rita", "victor", "amara"},
    ("view", "asia"): {"alice", "ana", "rita", "victor", "vera"},
    ("export", None): _ALL_MEMBERS,
    ("export", "africa"): {"alice", "ana", "rita", "victor", "amara"},
    ("export", "asia"): {"alice", "ana", "rita", "victor", "vera"},
    ("edit_assessment", None): {"alice", "ana", "rita", "amara"},
    ("edit_assessment", "africa"): {"alice", "ana", "rita", "amara"},
    ("edit_assessment", "asia"): {"alice", "ana", "rita"},
    ("review_assessment", None): {"alice", "rita"},
    ("review_assessment", "africa"): {"alice", "rita"},
    ("review_assessment", "asia"): {"alice", "rita"},
    ("handle_alerts", None): {"alice", "ana", "rita", "amara"},
    ("handle_alerts", "africa"): {"alice", "ana", "rita", "amara"},
    ("handle_alerts", "asia"): {"alice", "ana", "rita"},
    ("manage_users", None): {"alice"},
    ("read_audit", None): {"alice"},
}


def allowed(rule: Rule, persona: str) -> bool:
    """True when ``persona`` passes ``rule`` according to the hand-written table."""
    key = (rule.access, rule.country)
    if key not in ALLOWED:
        raise KeyError(
            f"tests/web/web_matrix.py has no expectations for access {rule.access!r} with country "
            f"{rule.country!r}; add a line to ALLOWED."
        )
    return persona in ALLOWED[key]


@dataclass
class World:
    """Objects the URLs of the matrix point at; apps add theirs in ``extend_world`` hooks."""

    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def resolve(value: Kwargs | Data, world: World) -> dict[str, Any]:
    """Evaluate a kwargs/data spec against the world."""
    return dict(value(world) if callable(value) else value)
