"""The `gxcare` command as a script would use it: password from the environment or stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gxcare_desktop import __version__
from gxcare_desktop.ledger import Ledger
from tests.conftest import PASSWORD, VILLAGE


def gxcare(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "GXCARE_PASSWORD": PASSWORD, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "gxcare_desktop.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        timeout=300,
    )


def test_version() -> None:
    result = gxcare("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_init_prints_a_recovery_code_that_opens_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "village.gxc"
    result = gxcare("init", "--ledger", str(path), "--village", VILLAGE, "--user", "韦主任")
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip().splitlines()[-1]
    assert len(code.replace("-", "")) == 32
    Ledger.open(path, recovery_code=code).close()


def test_init_refuses_a_bad_village_code_and_a_weak_password_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "x.gxc"
    bad_code = gxcare("init", "--ledger", str(path), "--village", "450124100999")
    assert bad_code.returncode == 2 and "450124100999" in bad_code.stderr, bad_code.stderr
    weak = gxcare("init", "--ledger", str(path), "--village", VILLAGE, env={"GXCARE_PASSWORD": "1234"})
    assert weak.returncode == 2 and "8" in weak.stderr
    assert not path.exists()


def test_demo_backup_restore_check_round_trip(tmp_path: Path) -> None:
    ledger = tmp_path / "demo.gxc"
    assert gxcare("demo-data", "--ledger", str(ledger), "--children", "60", "--seed", "3").returncode == 0
    backup_file = tmp_path / "usb" / "b.gxcbak"
    backup_file.parent.mkdir()
    assert gxcare("backup", "--ledger", str(ledger), "--out", str(backup_file)).returncode == 0
    restored = tmp_path / "pc2" / "ledger.gxc"
    # The password can also come on standard input, for scripts that keep it out of the environment.
    result = gxcare("restore", "--ledger", str(restored), str(backup_file), "--password-stdin", env={"GXCARE_PASSWORD": ""}, stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    check = gxcare("check", "--ledger", str(restored))
    assert check.returncode == 0 and "sound" in check.stdout
    opened = Ledger.open(restored, password=PASSWORD)
    assert opened.count_children(None) > 50
    opened.close()


def test_wrong_password_exits_2_with_a_bilingual_message(tmp_path: Path) -> None:
    path = tmp_path / "v.gxc"
    Ledger.create(path, password=PASSWORD, village_code=VILLAGE)[0].close()
    result = gxcare("check", "--ledger", str(path), env={"GXCARE_PASSWORD": "wrong-password-1"})
    assert result.returncode == 2
    assert "密码" in result.stderr and "password" in result.stderr.lower()


def test_report_and_import_excel_round_trip_through_the_command(tmp_path: Path) -> None:
    source = tmp_path / "demo.gxc"
    assert gxcare("demo-data", "--ledger", str(source), "--children", "40", "--seed", "5").returncode == 0
    workbook = tmp_path / "2026-10.xlsx"
    made = gxcare("report", "--ledger", str(source), "--month", "2026-10", "--out", str(workbook), "--full-ids")
    assert made.returncode == 0, made.stderr
    assert workbook.stat().st_size > 0
    target = tmp_path / "empty.gxc"
    Ledger.create(target, password=PASSWORD, village_code=VILLAGE)[0].close()
    dry = gxcare("import-excel", "--ledger", str(target), str(workbook), "--sheet", "花名册", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    import json

    planned = json.loads(dry.stdout)
    assert planned["dry_run"] and planned["counts"]["created"] > 30
    assert Ledger.open(target, password=PASSWORD).count_children(None) == 0  # a dry run writes nothing
    real = gxcare("import-excel", "--ledger", str(target), str(workbook), "--sheet", "花名册", "--json")
    assert json.loads(real.stdout)["counts"]["created"] == planned["counts"]["created"]
    bad_month = gxcare("report", "--ledger", str(source), "--month", "2026/13", "--out", str(tmp_path / "x.xlsx"))
    assert bad_month.returncode == 2 and "YYYY-MM" in bad_month.stderr
