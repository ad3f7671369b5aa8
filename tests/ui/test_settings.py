"""Settings: typed values round-trip through the JSON file, written atomically; bad files give defaults."""

from __future__ import annotations

import json
from pathlib import Path

from gxcare_desktop.settings import Settings, default_ledger_path, default_settings_path


def test_defaults_live_in_the_user_folder(user_home: Path) -> None:
    assert default_settings_path() == user_home / "settings.json"
    assert Settings().ledger_path() == default_ledger_path() == user_home / "ledger.gxc"
    assert Settings().language == "zh_CN" and Settings().idle_lock_minutes == 10 and Settings().auto_sync


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "settings.json"
    settings = Settings(language="en", idle_lock_minutes=3, last_ledger_path=tmp_path / "x.gxc",
                        server_url="https://sync.example.org", ca_file=tmp_path / "ca.pem", auto_sync=False)
    settings.save(path)
    assert Settings.load(path) == settings
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary file left


def test_missing_or_broken_file_gives_defaults(tmp_path: Path) -> None:
    assert Settings.load(tmp_path / "none.json") == Settings()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert Settings.load(broken) == Settings()
    broken.write_text("[1, 2]", encoding="utf-8")
    assert Settings.load(broken) == Settings()


def test_hand_edited_values_are_brought_back_into_range(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"language": "fr", "idle_lock_minutes": 0, "auto_sync": "yes"}), encoding="utf-8")
    loaded = Settings.load(path)
    assert loaded.language == "zh_CN"
    assert loaded.idle_lock_minutes == 1
    assert loaded.auto_sync is True


def test_keys_of_newer_versions_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"language": "en", "future_option": [1, 2]}), encoding="utf-8")
    Settings.load(path).with_changes(idle_lock_minutes=5).save(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["future_option"] == [1, 2]
    assert raw["idle_lock_minutes"] == 5 and raw["language"] == "en"
