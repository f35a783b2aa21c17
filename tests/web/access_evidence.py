"""Access rules of the evidence pages, and the documents of the sample world.

Sample world: one document about Sudan (SDN, Africa) and one about Myanmar (MMR, Asia) in the
evidence library of the test's home folder, added without suggestions (no model needed here).
Writes are sent so that they fail after the permission check (no file, no decision), so every
persona sees the same world.
"""

from __future__ import annotations

from typing import Any

from web_matrix import Rule, World

from atrocity_watch.web.evidence.library import library

SUDAN_TEXT = (
    "The Rapid Support Forces attacked the camp for displaced people near El Fasher in "
    "April 2024 and blocked food convoys from entering the besieged town."
)
MYANMAR_TEXT = (
    "The military burned Rohingya villages in northern Rakhine State in August 2017 and "
    "refugees crossed into Bangladesh in their hundreds of thousands."
)


def extend_world(world: World) -> None:
    lib = library()
    for key, country, text in (("sdn", "SDN", SUDAN_TEXT), ("mmr", "MMR", MYANMAR_TEXT)):
        document = lib.add_bytes(f"{key}.txt", text.encode(), country=country).document
        world.objects[f"{key}_doc"] = document
        world.objects[f"{key}_passage"] = lib.passages(document.id)[0]


def _id(key: str) -> Any:
    return lambda w: {"pk": w[key].id}


def _both(access: str, africa: str, asia: str, **options: Any) -> list[Rule]:
    return [
        Rule(access, country="africa", kwargs=_id(africa), **options),
        Rule(access, country="asia", kwargs=_id(asia), **options),
    ]


ACCESS = {
    "evidence:library": Rule("view"),
    "evidence:upload": [
        Rule("edit_assessment"),
        Rule("edit_assessment", method="POST", data={}, ok=(400,)),  # no file: refused
    ],
    "evidence:queue": Rule("edit_assessment"),
    "evidence:document": _both("view", "sdn_doc", "mmr_doc"),
    "evidence:original": _both("view", "sdn_doc", "mmr_doc"),
    "evidence:passage": _both("view", "sdn_passage", "mmr_passage"),
    "evidence:decide": _both(
        "edit_assessment", "sdn_passage", "mmr_passage", method="POST", data={}, ok=(400,)
    ),
    "api:list_evidence_documents": Rule("view"),
    "api:search_evidence": Rule("view"),
    # an empty body is refused after the permission check (neither "text" nor "texts")
    "api:suggest_evidence": Rule("view", method="POST", data={}, json=True, ok=(400,)),
}
