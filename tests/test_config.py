"""Settings are read in one place, fail loudly, and are all documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from atrocity_watch import config
from atrocity_watch.errors import ConfigError

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [s.name for s in config.SETTINGS if f"`{s.name}`" not in text]
    assert not missing, f"add these to docs/configuration.md: {missing}"


def test_setting_names_are_unique() -> None:
    names = [s.name for s in config.SETTINGS]
    assert len(names) == len(set(names))


def test_home_defaults_to_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ATROCITY_WATCH_HOME")
    monkeypatch.chdir(tmp_path)
    assert config.home() == tmp_path / "var"


def test_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_DEBUG", "perhaps")
    with pytest.raises(ConfigError, match=r"DJANGO_DEBUG must be one of true/false.*'perhaps'"):
        config.env_bool("DJANGO_DEBUG")


def test_missing_mirror_folder_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATROCITY_WATCH_MIRROR", str(tmp_path / "absent"))
    with pytest.raises(ConfigError, match="is not a folder that exists"):
        config.mirror()


def test_undeclared_setting_is_refused() -> None:
    with pytest.raises(ConfigError, match="not a setting Atrocity Watch knows"):
        config.env_str("SOMETHING_ELSE")


def test_list_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", " a.example ,, b.example ")
    assert config.env_list("DJANGO_ALLOWED_HOSTS") == ["a.example", "b.example"]
