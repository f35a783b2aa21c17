"""Access rules of the assessment pages and endpoints, and the assessments of the sample world.

Sample world: Sudan (SDN) v1 approved and v2 submitted, and Nigeria (NGA) v1 draft, all by Amara
(AU analyst); Myanmar (MMR) v1 approved and v2 submitted, and Afghanistan (AFG) v1 draft, by Ana.
Requests that would change the world are made so that they fail after the permission check
(missing revision, no decision), so every persona sees the same world.
"""

from __future__ import annotations

from typing import Any

from web_matrix import ALLOWED, Rule, World

from atrocity_watch.web.assessments.models import Assessment, Status

# Deleting a draft: its author or an administrator (on top of the analyst role and scope).
ALLOWED[("delete_draft", "africa")] = {"alice", "amara"}
ALLOWED[("delete_draft", "asia")] = {"alice", "ana"}


def _version(world: World, country: str, version: int, status: str, author: Any) -> Assessment:
    return Assessment.objects.create(
        country=country,
        version=version,
        status=status,
        author=author,
        updated_by=author,
        submitted_by=author if status != Status.DRAFT else None,
    )


def extend_world(world: World) -> None:
    amara, ana = world.users["amara"], world.users["ana"]
    world.objects["sdn_v1"] = _version(world, "SDN", 1, Status.APPROVED, amara)
    world.objects["sdn_v2"] = _version(world, "SDN", 2, Status.SUBMITTED, amara)
    world.objects["nga_draft"] = _version(world, "NGA", 1, Status.DRAFT, amara)
    world.objects["mmr_v1"] = _version(world, "MMR", 1, Status.APPROVED, ana)
    world.objects["mmr_v2"] = _version(world, "MMR", 2, Status.SUBMITTED, ana)
    world.objects["afg_draft"] = _version(world, "AFG", 1, Status.DRAFT, ana)


def _pk(key: str) -> Any:
    return lambda w: {"pk": w[key].pk}


def _both(access: str, africa: str, asia: str, **options: Any) -> list[Rule]:
    return [
        Rule(access, country="africa", kwargs=_pk(africa), **options),
        Rule(access, country="asia", kwargs=_pk(asia), **options),
    ]


ACCESS = {
    "assessments:list": Rule("view"),
    "assessments:start": [
        Rule("edit_assessment", ok=(405,)),
        # An open version exists, so those allowed are taken to it.
        Rule("edit_assessment", "africa", method="POST", data={"country": "SDN"}, ok=(302,)),
        Rule("edit_assessment", "asia", method="POST", data={"country": "MMR"}, ok=(302,)),
    ],
    "assessments:detail": _both("view", "sdn_v2", "mmr_v2"),
    "assessments:edit": [
        Rule("edit_assessment", "africa", kwargs=lambda w: {"pk": w["nga_draft"].pk, "number": 7}),
        Rule("edit_assessment", "asia", kwargs=lambda w: {"pk": w["afg_draft"].pk, "number": 7}),
        Rule(
            "edit_assessment",
            "asia",
            method="POST",
            kwargs=lambda w: {"pk": w["afg_draft"].pk, "number": 7},
            ok=(400,),  # no revision sent: refused, nothing saved
        ),
    ],
    "assessments:save_overview": _both(
        "edit_assessment", "nga_draft", "afg_draft", method="POST", ok=(400,)
    ),
    "assessments:submit": _both(
        "edit_assessment", "nga_draft", "afg_draft", method="POST", ok=(302,)
    ),
    "assessments:review": _both("review_assessment", "sdn_v2", "mmr_v2", method="POST", ok=(302,)),
    "assessments:delete": _both("delete_draft", "sdn_v2", "mmr_v2", method="POST", ok=(302,)),
    "assessments:compare": [
        Rule("view", "africa", kwargs=lambda w: {"pk": w["sdn_v1"].pk, "other": w["sdn_v2"].pk}),
        Rule("view", "asia", kwargs=lambda w: {"pk": w["mmr_v1"].pk, "other": w["mmr_v2"].pk}),
    ],
    "assessments:history": [
        Rule("view", "africa", kwargs={"iso3": "SDN"}),
        Rule("view", "asia", kwargs={"iso3": "MMR"}),
    ],
    "api:list_assessments": Rule("view"),
    # POST on the same URL; an open version exists, so those allowed get 409 with its id.
    "api:start_assessment": [
        Rule(
            "edit_assessment",
            "africa",
            method="POST",
            json=True,
            data={"country": "SDN"},
            ok=(409,),
        ),
        Rule(
            "edit_assessment", "asia", method="POST", json=True, data={"country": "MMR"}, ok=(409,)
        ),
    ],
    "api:get_assessment": _both("view", "sdn_v2", "mmr_v2"),
    # PATCH on the same URL with a stale revision: the permission passes, the edit is refused.
    "api:save_overview": _both(
        "edit_assessment",
        "nga_draft",
        "afg_draft",
        method="PATCH",
        json=True,
        data={"revision": 0},
        ok=(409,),
    ),
    "api:save_risk_factor": [
        Rule(
            "edit_assessment",
            "asia",
            method="PUT",
            json=True,
            kwargs=lambda w: {"pk": w["afg_draft"].pk, "number": 1},
            data={"revision": 0, "judgements": {"1": {"level": "high"}}},
            ok=(409,),
        ),
        Rule(
            "edit_assessment",
            "africa",
            method="PUT",
            json=True,
            kwargs=lambda w: {"pk": w["nga_draft"].pk, "number": 1},
            data={"revision": 0, "judgements": {"1": {"level": "high"}}},
            ok=(409,),
        ),
    ],
    # The drafts have no category yet: refused (400) after the permission check.
    "api:submit_assessment": _both(
        "edit_assessment",
        "nga_draft",
        "afg_draft",
        method="POST",
        json=True,
        data={"revision": 0},
        ok=(400,),
    ),
    # Approving the submitted versions: Rita and Alice are allowed; the decision "return" without
    # a comment is refused after the permission check, so the world does not change.
    "api:review_assessment": _both(
        "review_assessment",
        "sdn_v2",
        "mmr_v2",
        method="POST",
        json=True,
        data={"decision": "return", "comment": ""},
        ok=(400,),
    ),
}
