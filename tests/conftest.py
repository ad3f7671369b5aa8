"""Fixtures shared by every test folder: real encrypted ledgers in temporary folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gxcare_desktop.ledger import Ledger

PASSWORD = "Guangxi-2026"
VILLAGE = "450124100201"  # a real village of 马山县 白山镇
OTHER_VILLAGE = "450124100202"
TOWNSHIP = "450124100"


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.gxc"


@pytest.fixture
def ledger(ledger_path: Path) -> Iterator[Ledger]:
    opened, _ = Ledger.create(ledger_path, password=PASSWORD, village_code=VILLAGE, user_name="韦主任")
    yield opened
    opened.close()
