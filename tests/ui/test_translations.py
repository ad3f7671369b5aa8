"""The Chinese catalogue is complete: every string marked in ui/ is in the .ts, translated."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "gxcare_zh_CN.ts"
UI = ROOT / "src" / "gxcare_desktop" / "ui"
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")

Key = tuple[str, str]


def messages(ts: Path) -> dict[Key, ET.Element]:
    found: dict[Key, ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def translation_text(message: ET.Element) -> str:
    translation = message.find("translation")
    assert translation is not None
    forms = [f.text or "" for f in translation.iter("numerusform")]
    return " ".join(forms) if message.get("numerus") == "yes" else (translation.text or "")


def test_every_message_is_translated() -> None:
    problems = []
    for (context, source), message in messages(TS).items():
        translation = message.find("translation")
        kind = translation.get("type") if translation is not None else "missing"
        if kind in ("vanished", "obsolete"):
            continue
        if kind == "unfinished" or not translation_text(message).strip():
            problems.append(f"{context}: {source!r}")
    assert not problems, "untranslated in gxcare_zh_CN.ts (translate them):\n" + "\n".join(problems)


def test_placeholders_survive_translation() -> None:
    problems = []
    for (context, source), message in messages(TS).items():
        text = translation_text(message)
        for mark in ("%1", "%2", "%3", "%n"):
            if (mark in source) != (mark in text):
                problems.append(f"{context}: {source!r} -> {text!r} ({mark})")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not LUPDATE.exists(), reason="pyside6-lupdate not installed")
def test_every_marked_string_in_ui_is_in_the_catalogue(tmp_path: Path) -> None:
    """lupdate itself collects tr()/translate()/QT_TRANSLATE_NOOP strings into a fresh .ts."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(LUPDATE), "-extensions", "py", "-silent", str(UI), "-ts", str(fresh)], check=True)
    marked = set(messages(fresh))
    assert len(marked) > 50  # the extraction really found the UI's strings
    known = messages(TS)
    missing = sorted(f"{c}: {s!r}" for c, s in marked - set(known))
    assert not missing, "run `make translations-update` and translate:\n" + "\n".join(missing)


def test_compiled_catalogue_translates(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTranslator

    from gxcare_desktop.ui.i18n import ensure_qm

    qm = ensure_qm("zh_CN")
    assert qm is not None and qm.exists()
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Navigation", "Settings") == "设置"
    assert translator.translate("Navigation", "Children") == "儿童档案"
