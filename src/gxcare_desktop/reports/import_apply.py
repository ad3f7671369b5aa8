"""Applying an import plan through the ledger service in one transaction, or rehearsing it (dry run)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import bindparam, text

from ..domain import rules
from ..domain.enums import CareType, HealthStatus, ParentCondition
from ..domain.errors import ValidationError
from ..domain.labels import field_label
from ..domain.text import Text
from ..domain.validators import parse_id_number
from ..ledger import Ledger
from ..ledger.batch import ChildBatch
from ..progress import CancelToken, Progress, ProgressFn, no_progress
from .common import mask_id_number
from .import_values import village_by_name
from .ledger_import import ImportPlan, PlannedRow

Outcome = Literal["created", "updated", "refused", "skipped"]


@dataclass(frozen=True)
class RowResult:
    row_number: int
    outcome: Outcome
    name: str = ""
    id_number: str = ""
    child_id: str = ""
    field: str = ""
    reason: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row_number,
            "outcome": self.outcome,
            "name": self.name,
            # The report goes to screens and logs: the number is masked like every export.
            "id_number": mask_id_number(self.id_number),
            "child_id": self.child_id,
            "field": self.field,
            "reason": None if self.reason is None else {"zh": self.reason.zh, "en": self.reason.en},
        }


@dataclass
class ImportReport:
    file: str
    sheet: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {o: self.count(o) for o in ("created", "updated", "refused", "skipped")}

    def summary(self) -> Text:
        c = self.counts
        prefix = Text("试导入（未写入）：", "Dry run (nothing written): ") if self.dry_run else Text("", "")
        return Text(
            f"{prefix.zh}新建 {c['created']}，更新 {c['updated']}，拒绝 {c['refused']}，跳过 {c['skipped']}",
            f"{prefix.en}{c['created']} created, {c['updated']} updated, {c['refused']} refused, {c['skipped']} skipped",
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "file": self.file,
                "sheet": self.sheet,
                "dry_run": self.dry_run,
                "counts": self.counts,
                "unmapped_columns": self.unmapped_columns,
                "rows": [r.to_dict() for r in self.rows],
            },
            ensure_ascii=False,
            indent=2,
        )


class _DryRunRollback(Exception):
    """Raised at the end of a dry run so the unit of work rolls every write back."""


def _refusal(error: ValidationError, prefix: str) -> tuple[str, Text]:
    field_name = error.field if "." in error.field else f"{prefix}.{error.field}"
    label = error.field_label
    if label.zh == error.field:
        label = field_label(field_name)
    return field_name, Text(f"{label.zh}：{error.message.zh}", f"{label.en}: {error.message.en}")


def _division_for(ledger: Ledger, row: PlannedRow) -> str | None:
    code = row.child_fields.get("division_code")
    if code:
        return str(code)
    if row.village_name:
        return village_by_name(row.village_name, ledger.village_code)
    if len(ledger.village_code) == 12:
        return ledger.village_code
    return None


def _check_categories(row: PlannedRow, categories: list[str]) -> None:
    """The service's eligibility rule, applied with the parents and care this same row brings.

    A new child's parents are written after the child, so the service could not check its
    categories against them at creation; checking here first refuses the row as a later
    update would, one service call cheaper per row.
    """
    birth = row.child_fields.get("birth_date")
    if birth is None and row.id_number:
        birth = parse_id_number(row.id_number).birth_date
    if birth is None:
        return
    father = row.father_fields.get("condition")
    mother = row.mother_fields.get("condition")
    care = row.care_fields.get("care_type")
    health = row.child_fields.get("health")
    rules.check_eligibility(
        categories,
        birth_date=birth,
        on=date.today(),
        hukou_registered=row.child_fields.get("hukou_registered"),
        father=ParentCondition.of(father) if father else None,
        mother=ParentCondition.of(mother) if mother else None,
        health=HealthStatus.of(health) if health else None,
        care_type=CareType.of(care) if care else None,
    )


def _write_family(batch: ChildBatch, child_id: str, row: PlannedRow) -> None:
    for relation, fields in (("father", row.father_fields), ("mother", row.mother_fields)):
        if fields:
            _staged(relation, lambda r=relation, f=fields: batch.set_parent(child_id, r, **f))
    if row.care_fields:
        _staged("care", lambda: batch.set_care(child_id, **row.care_fields))


def _staged(stage: str, call: Any) -> Any:
    """Run one service call; a refusal names the part of the row (father, care ...) it came from."""
    try:
        return call()
    except ValidationError as error:
        error.stage = stage  # type: ignore[attr-defined]
        raise


def _apply_row(ledger: Ledger, batch: ChildBatch, row: PlannedRow) -> RowResult:
    """One row through the ledger's batch, which validates each call as the service does."""
    child_fields = dict(row.child_fields)
    existing = batch.find_child_by_id_number(row.id_number) if row.id_number else None
    if existing is not None:
        # Parents and care first: update_child checks the categories against them.
        if child_fields.get("division_code") == existing.division_code:
            child_fields.pop("division_code")
        _write_family(batch, existing.id, row)
        _staged("child", lambda: batch.update_child(existing.id, **child_fields))
        return RowResult(row.row_number, "updated", row.name, row.id_number, existing.id)
    division = _division_for(ledger, row)
    if division is None:
        raise ValidationError(
            "child.division_code",
            Text(
                "本台账管辖多个村，请在表中加入“村代码”或“所在村”列",
                "This ledger covers several villages; add a village code or village name column",
            ),
            field_label=field_label("village_code"),
        )
    child_fields["division_code"] = division
    if child_fields.get("categories"):
        _staged("child", lambda: _check_categories(row, child_fields["categories"]))
    child = _staged("child", lambda: batch.create_child(**child_fields))
    _write_family(batch, child.id, row)
    return RowResult(row.row_number, "created", row.name, row.id_number, child.id)


_ON_FILE = text("SELECT id_number FROM child WHERE deleted = 0 AND id_number IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def preview_import(ledger: Ledger, plan: ImportPlan) -> ImportPlan:
    """The plan as the preview shows it: rows whose ID number is already on file become "update"."""
    wanted = {row.id_number for row in plan.rows if row.action == "create" and row.id_number}
    on_file: set[str] = set()
    with ledger.reading() as session:
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found = session.execute(_ON_FILE, {"ids": chunk})
            on_file.update(str(value) for (value,) in found)
    rows = [
        replace(row, action="update") if row.action == "create" and row.id_number in on_file else row
        for row in plan.rows
    ]
    return replace(plan, rows=rows)


def apply_import(
    ledger: Ledger,
    plan: ImportPlan,
    *,
    dry_run: bool,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Write every plannable row through the ledger service in ONE transaction.

    The rows go through the ledger's ChildBatch: each call validated as the service validates
    it, a refused row's writes dropped whole, the rest written in bulk (a few ms per row became
    a fraction of one). A dry run does exactly the same writes, inside the same single unit of
    work, and then rolls it back: every row meets the very checks a real run would (ID already on file,
    eligibility against the parents written in the same row, village scope), and nothing stays.
    A cancel or any error other than a row's ValidationError rolls back the whole import.
    """
    report = ImportReport(
        file=str(plan.path),
        sheet=plan.sheet,
        dry_run=dry_run,
        unmapped_columns=[f"{c.letter}: {c.header}" for c in plan.unmapped_columns],
    )
    total = len(plan.rows)
    results: list[RowResult] = []
    try:
        with ledger.unit_of_work(), ChildBatch(ledger) as batch:
            batch.prefetch(row.id_number for row in plan.rows if row.action in ("create", "update"))
            for done, row in enumerate(plan.rows, start=1):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if row.action == "skip":  # "create" and "update" rows are both decided afresh below
                    results.append(RowResult(row.row_number, "skipped", reason=row.reason))
                elif row.action == "refuse":
                    results.append(
                        RowResult(row.row_number, "refused", row.name, row.id_number, field=row.field, reason=row.reason)
                    )
                else:
                    try:
                        with batch.row():
                            results.append(_apply_row(ledger, batch, row))
                    except ValidationError as error:
                        field_name, reason = _refusal(error, getattr(error, "stage", "child"))
                        results.append(
                            RowResult(row.row_number, "refused", row.name, row.id_number, field=field_name, reason=reason)
                        )
                # Every row: the Qt bridge throttles what it shows, and a cancel lands at once.
                progress(Progress(done, total, f"{done}/{total}"))
            batch.flush()  # a dry run too: the file's own checks meet every write
            if dry_run:
                raise _DryRunRollback()
            ledger.record_audit(
                "import_excel",
                detail=json.dumps({"file": plan.path.name, "sheet": plan.sheet, **_counts(results)}, ensure_ascii=False),
            )
    except _DryRunRollback:
        pass
    report.rows = results
    return report


def _counts(results: list[RowResult]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in results:
        out[r.outcome] = out.get(r.outcome, 0) + 1
    return out
