"""Reports benchmark: monthly report, roster export (time, peak memory, ratio to raw openpyxl), import.

Usage: python bench/reports.py [--full] [--import-rows 10000]
10,000 children by default; --full adds 100,000. Prints figures; asserts nothing.
Demo ledgers are cached in /tmp/gxcare-bench (bench/common.py). Each measurement that reports
peak memory runs in its own subprocess, so the figure is that step's own maximum RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PASSWORD, demo_ledger  # noqa: E402

from gxcare_desktop.domain.validators import id_check_char  # noqa: E402
from gxcare_desktop.ledger import Ledger  # noqa: E402

MONTH = date.today().replace(day=1)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_export(path: str, out: str) -> dict[str, float]:
    """Subprocess: monthly report and the full workbook export (form + roster)."""
    from gxcare_desktop.reports.monthly import compute_monthly
    from gxcare_desktop.reports.monthly_excel import write_monthly_workbook

    ledger = Ledger.open(Path(path), password=PASSWORD)
    baseline = _rss_mb()
    started = time.perf_counter()
    report = compute_monthly(ledger, month=MONTH)
    monthly_s = time.perf_counter() - started
    started = time.perf_counter()
    write_monthly_workbook(report, out, unit_name="bench", filled_by="bench", filled_on=date.today(), ledger=ledger)
    export_s = time.perf_counter() - started
    return {
        "monthly_s": monthly_s,
        "export_s": export_s,
        "rows": report.totals["on_file"],
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _rss_mb(),
    }


def child_raw(path: str, out: str) -> dict[str, float]:
    """Subprocess: the same roster cells, gathered first (untimed), written by bare openpyxl write-only."""
    from openpyxl import Workbook

    from gxcare_desktop.reports.common import chinese
    from gxcare_desktop.reports.monthly import compute_monthly
    from gxcare_desktop.reports.monthly_excel import write_monthly_workbook
    from gxcare_desktop.reports.roster import ROSTER_HEADERS, roster_rows

    ledger = Ledger.open(Path(path), password=PASSWORD)
    report = compute_monthly(ledger, month=MONTH)
    rows = [[chinese(h) for h in ROSTER_HEADERS], *roster_rows(ledger, report)]
    started = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    for row in rows:
        ws.append(row)
    wb.save(out)
    raw_s = time.perf_counter() - started
    # Our export in this same process too, right after, for a like-for-like second ratio.
    started = time.perf_counter()
    write_monthly_workbook(report, out + ".ours.xlsx", unit_name="bench", filled_by="bench", filled_on=date.today(), ledger=ledger)
    ours_s = time.perf_counter() - started
    return {"raw_s": raw_s, "ours_same_process_s": ours_s, "cells": len(rows) * len(ROSTER_HEADERS)}


def _run_child(kind: str, path: Path, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(out)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def make_ledger_workbook(path: Path, rows: int) -> None:
    """A village ledger the way people keep it: title, two-level headers, parents, text IDs."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.merged_cells.add("A1:L1")
    ws.append(["某村农村留守儿童台账"])
    ws.append(["序号", "姓名", "身份证号码", "性别", "出生日期", "儿童类别", "父亲", None, None, "母亲", None, None])
    ws.merged_cells.add("G2:I2")
    ws.merged_cells.add("J2:L2")
    for col in "ABCDEF":
        ws.merged_cells.add(f"{col}2:{col}3")
    ws.append([None] * 6 + ["姓名", "联系电话", "状况", "姓名", "联系电话", "状况"])
    for i in range(rows):
        birth = date(2011 + i % 12, 1 + i % 12, 1 + i % 28)
        first17 = f"450124{birth:%Y%m%d}{i % 100:02d}{(i // 100) % 5 * 2 + 1}"
        # Vary the area code so 10,000 rows stay distinct ID numbers.
        first17 = f"4501{24 + (i // 500) % 70:02d}{first17[6:]}"
        ws.append([i + 1, "韦小明", first17 + id_check_char(first17), "男", birth.isoformat(), "留守儿童",
                   "韦大", "13800138000", "外出务工", "李芳", "13900139000", "外出务工"])
    wb.save(path)


def _service_row_by_row(ledger: Ledger, plan: Any) -> None:
    """The import as it ran before the ledger's ChildBatch: every row's service calls in a savepoint."""
    from gxcare_desktop.domain.errors import ValidationError

    with ledger.unit_of_work() as session:
        for row in plan.rows:
            if row.action not in ("create", "update"):
                continue
            nested = session.begin_nested()
            try:
                found = ledger.find_child_by_id_number(row.id_number)
                child = found or ledger.create_child(**row.child_fields, division_code=ledger.village_code)
                for relation, fields in (("father", row.father_fields), ("mother", row.mother_fields)):
                    if fields:
                        ledger.set_parent(child.id, relation, **fields)
                if found is not None:
                    ledger.update_child(child.id, **row.child_fields)
            except ValidationError:
                nested.rollback()
                ledger._audit_head = None
                continue
            nested.commit()


def bench_import(rows: int, workdir: Path) -> None:
    from dataclasses import replace

    from openpyxl import load_workbook

    from gxcare_desktop.reports.import_apply import apply_import
    from gxcare_desktop.reports.ledger_import import read_ledger_workbook

    book = workdir / "ledger.xlsx"
    make_ledger_workbook(book, rows)
    ledger, _ = Ledger.create(workdir / "import.gxc", password=PASSWORD, village_code="450124100201")
    started = time.perf_counter()
    load_workbook(book, data_only=True)
    raw_read_s = time.perf_counter() - started
    started = time.perf_counter()
    plan = read_ledger_workbook(book)
    read_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    report = apply_import(ledger, plan, dry_run=False)
    apply_s, apply_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"import of {rows:,} rows (load {_load()}): read+plan {read_s:.2f} s (raw openpyxl load {raw_read_s:.2f} s), "
          f"apply (one transaction) {apply_s:.2f} s (CPU {apply_cpu:.2f} s), "
          f"total {read_s + apply_s:.2f} s ({(read_s + apply_s) / rows * 1000:.2f} ms/row); {report.counts}")
    started = time.perf_counter()
    again = apply_import(ledger, plan, dry_run=False)
    print(f"  the same file again (every row on file, nothing changes): apply {time.perf_counter() - started:.2f} s; "
          f"{again.counts}")
    ledger.close()
    # Beside it, the same rows through the service one call at a time (a sample: ~4 ms a row).
    sample = min(rows, 1_000)
    ledger, _ = Ledger.create(workdir / "import-service.gxc", password=PASSWORD, village_code="450124100201")
    started = time.perf_counter()
    _service_row_by_row(ledger, replace(plan, rows=plan.rows[:sample]))
    service_s = time.perf_counter() - started
    ledger.close()
    print(f"  service calls row by row (savepoint per row), first {sample:,} rows: {service_s:.2f} s "
          f"({service_s / sample * 1000:.2f} ms/row, ~{service_s / sample * rows:.0f} s for {rows:,}); "
          f"ratio batch/row-by-row per row {apply_s / rows / (service_s / sample):.2f}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="also 100,000 children")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "LEDGER", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path, out = args.child
        print(json.dumps(child_export(path, out) if kind == "export" else child_raw(path, out)))
        return
    sizes = [10_000] + ([100_000] if args.full else [])
    with tempfile.TemporaryDirectory(prefix="gxcare-bench-reports-") as tmp:
        workdir = Path(tmp)
        for size in sizes:
            path = demo_ledger(size, workdir=workdir)
            ours = _run_child("export", path, workdir / f"ours-{size}.xlsx")
            raw = _run_child("raw", path, workdir / f"raw-{size}.xlsx")
            print(f"{size:,} children ({ours['rows']:,.0f} on file this month):")
            print(f"  monthly report (SQL aggregates): {ours['monthly_s'] * 1000:.0f} ms")
            print(f"  workbook export (form + roster): {ours['export_s']:.2f} s; peak RSS {ours['peak_rss_mb']:.0f} MB "
                  f"(after opening the ledger {ours['baseline_rss_mb']:.0f} MB)")
            print(f"  raw openpyxl write-only, same {raw['cells']:,.0f} cells: {raw['raw_s']:.2f} s; "
                  f"ratio ours/raw {ours['export_s'] / raw['raw_s']:.2f} "
                  f"(same-process rerun {raw['ours_same_process_s'] / raw['raw_s']:.2f})")
            for leftover in workdir.glob("*.gxc*"):
                leftover.unlink()
        if not args.skip_import:
            bench_import(args.import_rows, workdir)


if __name__ == "__main__":
    main()
