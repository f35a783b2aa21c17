"""Layering rules of docs/architecture.md, checked by parsing every module's imports.

Each rule names a layer and the packages it must not import. A failure names the offending
module, the line and the forbidden import, so the fix is obvious.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "atrocity_watch"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))

# (layer that is checked, packages it must not import, why)
RULES: list[tuple[str, tuple[str, ...], str]] = [
    ("atrocity_watch", ("django", "ninja"), "only atrocity_watch.web may import Django"),
    (
        "atrocity_watch.framework",
        ("atrocity_watch.countries", "atrocity_watch.sources", "atrocity_watch.warehouse"),
        "the Framework is the bottom layer",
    ),
    (
        "atrocity_watch.countries",
        ("atrocity_watch.sources", "atrocity_watch.warehouse", "atrocity_watch.panels"),
        "the country registry sits below the data layers",
    ),
]


def _exempt(module: str) -> bool:
    return module == "atrocity_watch.web" or module.startswith("atrocity_watch.web.")


def _forbidden(module: str, imported: str, banned: tuple[str, ...]) -> bool:
    return any(imported == b or imported.startswith(b + ".") for b in banned)


def test_modules_found() -> None:
    assert len(MODULES) > 5, f"no modules found under {PACKAGE}"


@pytest.mark.parametrize(("layer", "banned", "why"), RULES, ids=[r[0] for r in RULES])
def test_layer_does_not_import(layer: str, banned: tuple[str, ...], why: str) -> None:
    offences = []
    for path in MODULES:
        module = _module_name(path)
        if not (module == layer or module.startswith(layer + ".")) or _exempt(module):
            continue
        for line, imported in _imports(path):
            if _forbidden(module, imported, banned):
                offences.append(f"{module} (line {line}) imports {imported}")
    assert not offences, f"{why}:\n" + "\n".join(offences)


def test_rule_catches_an_offender(tmp_path: Path) -> None:
    """The parser sees both import forms, so the rule cannot pass vacuously."""
    sample = tmp_path / "bad.py"
    sample.write_text("import django.db\nfrom django.conf import settings\n", encoding="utf-8")
    names = [name for _, name in _imports(sample)]
    assert names == ["django.db", "django.conf"]
    assert _forbidden("atrocity_watch.panels", "django.conf", ("django",))
