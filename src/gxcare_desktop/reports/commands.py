"""One entry point per report command, for cli.py and the UI workers to call."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..ledger import Ledger
from ..progress import CancelToken, ProgressFn, no_progress
from .common import translator
from .compare import ComparisonResult, compare_with_list, write_comparison_workbook
from .import_apply import ImportReport, apply_import
from .ledger_import import read_ledger_workbook
from .monthly import MonthlyReport, compute_monthly
from .monthly_excel import write_monthly_workbook
from .printable import write_child_file_pdf


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


def run_report(
    ledger: Ledger,
    *,
    month: date,
    out: Path | str,
    scope: str | None = None,
    unit_name: str = "",
    filled_by: str = "",
    full_ids: bool = False,
    language: str = "zh_CN",
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> MonthlyReport:
    """`gxcare report --month YYYY-MM [--scope CODE] --out FILE.xlsx [--full-ids]`: form sheet + roster."""
    report = compute_monthly(ledger, month=month, scope=scope)
    write_monthly_workbook(
        report,
        out,
        unit_name=unit_name or report.scope_name,
        filled_by=filled_by or ledger.user_name,
        filled_on=date.today(),
        translate=translator(language),
        ledger=ledger,
        full_ids=full_ids,
        progress=progress,
        cancel=cancel,
    )
    return report


def run_compare(
    ledger: Ledger, list_path: Path | str, *, department: str, out: Path | str, scope: str | None = None
) -> ComparisonResult:
    """`gxcare compare --department education|public_security|disabled_federation LIST.xlsx --out FILE.xlsx`."""
    result = compare_with_list(ledger, list_path, department=department, scope=scope)
    write_comparison_workbook(result, out)
    ledger.record_audit("compare", detail=f"{department} {Path(list_path).name}")
    return result


def run_print_file(
    ledger: Ledger, child_id: str, out: Path | str, *, language: str = "zh_CN", full_ids: bool = False
) -> Path:
    """`gxcare print-file CHILD_ID_OR_ID_NUMBER --out FILE.pdf`: viewing the file is audited by the ledger."""
    child = ledger.find_child_by_id_number(child_id) if len(child_id) == 18 else None
    path = write_child_file_pdf(ledger.child_file(child.id if child else child_id), out, language=language, full_ids=full_ids)
    ledger.record_audit("print_full_ids" if full_ids else "print", entity="child", row_id=child.id if child else child_id)
    return path
