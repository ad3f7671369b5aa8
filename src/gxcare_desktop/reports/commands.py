"""One entry point per report command, for cli.py and the UI workers to call."""

from __future__ import annotations

from pathlib import Path

from ..ledger import Ledger
from ..progress import CancelToken, ProgressFn, no_progress
from .import_apply import ImportReport, apply_import
from .ledger_import import read_ledger_workbook


def run_import(
    ledger: Ledger,
    path: Path | str,
    sheet: str | None = None,
    dry_run: bool = False,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """`gxcare import-excel`: read the workbook, plan every row, apply (or rehearse) in one transaction."""
    plan = read_ledger_workbook(path, sheet=sheet)
    return apply_import(ledger, plan, dry_run=dry_run, progress=progress, cancel=cancel)
