"""Mandatory-report cases (强制报告): open, report to the police, respond step by step, close with
feedback; the reporter's identity stays with those entitled to it; cases stuck at a step are flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import Session, col

from ...domain.enums import CaseStep as Step
from ...domain.enums import ReportSituation, Role
from ...domain.errors import ValidationError
from ...domain.records import Entity
from ...domain.text import Text
from ..tables import Case, CaseStep, ChangeLogEntry, Child
from ._common import actor, is_supervisor, local_day, require_in_scope, require_role, utc_now

if TYPE_CHECKING:
    from ..service import Ledger

STEP_ORDER: tuple[Step, ...] = (Step.MONITORING, Step.REPORTING, Step.EMERGENCY, Step.ASSESSMENT, Step.INTERVENTION)
RESPONSE_STEPS: tuple[Step, ...] = (Step.EMERGENCY, Step.ASSESSMENT, Step.INTERVENTION)
# Days a case may sit at one step before it is flagged; configurable per ledger (meta key below).
DEFAULT_STEP_MAX_DAYS = 7
STEP_LIMIT_KEY = "case_step_max_days"


@dataclass(frozen=True, slots=True)
class StepView:
    step_id: str
    step: str
    step_date: date | None
    actor: str
    actions: str
    outcome: str


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as this ledger may show it: reporter_name/phone are None when hidden from this user."""

    case_id: str
    child_id: str
    child_name: str
    division_code: str
    situation: str
    opened_on: date | None
    place: str
    observed: str
    reporter_visible: bool
    reporter_name: str | None
    reporter_phone: str | None
    police_reported_at: datetime | None
    police_unit: str
    police_receipt: str
    current_step: str
    closed_on: date | None
    feedback: str
    steps: tuple[StepView, ...]
    step_since: date | None  # the date of the latest step
    days_at_step: int | None
    flagged: bool

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


def _error(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError(field, Text(zh, en), field_label=Text("强制报告", "Mandatory report"))


def step_limit(ledger: Ledger) -> int:
    value = ledger.meta(STEP_LIMIT_KEY)
    return int(value) if value and value.isdigit() else DEFAULT_STEP_MAX_DAYS


def set_step_limit(ledger: Ledger, days: int) -> None:
    """How many days a case may wait at one step before it is flagged (county setting)."""
    if not 1 <= days <= 365:
        raise _error("days", "天数应在 1 到 365 之间。", "Days must be between 1 and 365.")
    ledger.set_meta(STEP_LIMIT_KEY, str(days))


def _case(session: Session, ledger: Ledger, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.deleted:
        raise _error("case", "找不到该案件。", "No such case.")
    require_in_scope(ledger, case.division_code)
    return case


def open_case(
    ledger: Ledger,
    *,
    child_id: str,
    situation: ReportSituation | str,
    opened_on: date,
    place: str,
    observed: str,
    reporter_name: str,
    reporter_phone: str = "",
) -> Case:
    """Record what was found (监测预防/发现): one of the nine situations, date, place, what was seen."""
    if not situation:
        raise _error("situation", "请选择强制报告情形。", "Choose the situation to report.")
    if not (observed or "").strip():
        raise _error("observed", "请写明发现的情况。", "Describe what was seen.")
    if not (reporter_name or "").strip():
        raise _error("reporter_name", "请填写报告人。", "Enter who reported it.")
    with ledger.unit_of_work():
        child = ledger.get_child(child_id)
        require_in_scope(ledger, child.division_code)
        case: Case = ledger.create_record(
            Entity.CASE,
            child_id=child_id,
            situation=situation,
            opened_on=opened_on,
            place=place,
            observed=observed,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            current_step=Step.MONITORING.value,
        )
        ledger.create_record(
            Entity.CASE_STEP,
            child_id=child_id,
            case_id=case.id,
            step=Step.MONITORING.value,
            step_date=opened_on,
            actor=actor(ledger),
            actions=observed,
            outcome="",
        )
        return case


def record_police_report(
    ledger: Ledger, case_id: str, *, reported_at: datetime, unit: str, receipt: str, outcome: str = ""
) -> Case:
    """The report to the police (发现报告): when, to which unit, the receipt number."""
    if not (unit or "").strip():
        raise _error("police_unit", "请填写接报单位。", "Enter the police unit that took the report.")
    with ledger.unit_of_work() as session:
        case = _case(session, ledger, case_id)
        if case.closed_on is not None:
            raise _error("closed_on", "案件已结案。", "The case is closed.")
        moment = utc_now(reported_at)
        updated: Case = ledger.update_record(
            Entity.CASE,
            case_id,
            police_reported_at=moment,
            police_unit=unit,
            police_receipt=receipt,
            current_step=Step.REPORTING.value,
        )
        ledger.create_record(
            Entity.CASE_STEP,
            child_id=case.child_id,
            case_id=case_id,
            step=Step.REPORTING.value,
            step_date=local_day(moment),
            actor=actor(ledger),
            actions=f"向{unit}报案，回执号 {receipt}".strip(),
            outcome=outcome,
        )
        return updated


def record_step(
    ledger: Ledger,
    case_id: str,
    *,
    step: Step | str,
    step_date: date,
    actor_name: str,
    actions: str,
    outcome: str = "",
) -> CaseStep:
    """应急处置, 评估帮扶 or 监护干预, in that order (a step may be recorded again, never gone back to).

    The response steps are the supervisor's (and above): a director reports, the township responds.
    """
    require_role(ledger, Role.TOWNSHIP_SUPERVISOR, Text("记录处置步骤", "record response steps"))
    try:
        parsed = Step.parse(step)
    except ValueError:
        raise _error("step", f"未知的步骤：{step}", f"Unknown step: {step}") from None
    if parsed not in RESPONSE_STEPS:
        raise _error("step", "这里只记录应急处置、评估帮扶和监护干预。",
                     "Only emergency response, assessment and intervention are recorded here.")
    if not (actions or "").strip():
        raise _error("actions", "请写明采取的措施。", "Describe the actions taken.")
    with ledger.unit_of_work() as session:
        case = _case(session, ledger, case_id)
        if case.closed_on is not None:
            raise _error("closed_on", "案件已结案。", "The case is closed.")
        if case.police_reported_at is None:
            raise _error("police_reported_at", "请先记录向公安机关报案的情况。", "Record the report to the police first.")
        if STEP_ORDER.index(parsed) < STEP_ORDER.index(Step.of(case.current_step or Step.MONITORING.value)):
            raise _error("step", "不能回到已经完成的步骤。", "A case does not go back to an earlier step.")
        if case.opened_on and step_date < case.opened_on:
            raise _error("step_date", "步骤日期早于立案日期。", "The step date is before the case was opened.")
        row: CaseStep = ledger.create_record(
            Entity.CASE_STEP,
            child_id=case.child_id,
            case_id=case_id,
            step=parsed.value,
            step_date=step_date,
            actor=actor_name or actor(ledger),
            actions=actions,
            outcome=outcome,
        )
        ledger.update_record(Entity.CASE, case_id, current_step=parsed.value)
        return row


def close_case(ledger: Ledger, case_id: str, *, closed_on: date, feedback: str) -> Case:
    """Close with feedback (反馈) to the reporter and the units involved."""
    require_role(ledger, Role.TOWNSHIP_SUPERVISOR, Text("结案", "close cases"))
    if not (feedback or "").strip():
        raise _error("feedback", "结案时请填写反馈。", "Write the feedback when closing the case.")
    with ledger.unit_of_work() as session:
        case = _case(session, ledger, case_id)
        if case.closed_on is not None:
            raise _error("closed_on", "案件已结案。", "The case is already closed.")
        if case.police_reported_at is None:
            raise _error("police_reported_at", "尚未记录报案，不能结案。", "The report to the police is not recorded yet.")
        closed: Case = ledger.update_record(Entity.CASE, case_id, closed_on=closed_on, feedback=feedback)
        return closed


def reporter_visible(ledger: Ledger, session: Session, case: Case) -> bool:
    """Who may see the reporter: a supervisor or above; or the ledger the case was entered on
    (its user took the report and knows the reporter already); or the reporter themself."""
    if is_supervisor(ledger):
        return True
    if ledger.user_name and case.reporter_name == ledger.user_name:
        return True
    entered_here = session.execute(
        select(col(ChangeLogEntry.seq)).where(
            col(ChangeLogEntry.entity) == Entity.CASE.value,
            col(ChangeLogEntry.row_id) == case.id,
            col(ChangeLogEntry.field) == "reporter_name",
            col(ChangeLogEntry.origin) == "local",
            col(ChangeLogEntry.device_id) == ledger.device_id,
        ).limit(1)
    ).first()
    return entered_here is not None


def _view(ledger: Ledger, session: Session, case: Case, name: str, steps: list[CaseStep],
          today: date, limit: int) -> CaseView:
    visible = reporter_visible(ledger, session, case)
    ordered = sorted(steps, key=lambda s: (STEP_ORDER.index(Step.of(s.step)) if s.step else 0, s.step_date or date.min))
    since = max((s.step_date for s in steps if s.step_date), default=case.opened_on)
    days = (today - since).days if since else None
    return CaseView(
        case_id=case.id,
        child_id=case.child_id,
        child_name=name,
        division_code=case.division_code,
        situation=case.situation,
        opened_on=case.opened_on,
        place=case.place,
        observed=case.observed,
        reporter_visible=visible,
        reporter_name=case.reporter_name if visible else None,
        reporter_phone=case.reporter_phone if visible else None,
        police_reported_at=case.police_reported_at,
        police_unit=case.police_unit,
        police_receipt=case.police_receipt,
        current_step=case.current_step,
        closed_on=case.closed_on,
        feedback=case.feedback,
        steps=tuple(StepView(s.id, s.step, s.step_date, s.actor, s.actions, s.outcome) for s in ordered),
        step_since=since,
        days_at_step=days,
        flagged=case.closed_on is None and days is not None and days > limit,
    )


def list_cases(ledger: Ledger, *, today: date | None = None, include_closed: bool = True) -> list[CaseView]:
    """Cases of the jurisdiction: flagged first, then open, newest first."""
    today = today or local_day(utc_now())
    limit = step_limit(ledger)
    with ledger.reading() as session:
        stmt = (
            select(Case, col(Child.name))
            .join(Child, col(Child.id) == col(Case.child_id))
            .where(col(Case.deleted) == False, col(Case.division_code).startswith(ledger.village_code))  # noqa: E712
        )
        if not include_closed:
            stmt = stmt.where(col(Case.closed_on).is_(None))
        rows = session.execute(stmt).all()
        ids = [case.id for case, _ in rows]
        steps: dict[str, list[CaseStep]] = {}
        if ids:
            for step in session.scalars(
                select(CaseStep).where(col(CaseStep.case_id).in_(ids), col(CaseStep.deleted) == False)  # noqa: E712
            ):
                steps.setdefault(step.case_id, []).append(step)
        views = [_view(ledger, session, case, name, steps.get(case.id, []), today, limit) for case, name in rows]
    return sorted(views, key=lambda v: (not v.flagged, v.closed, -(v.opened_on or date.min).toordinal()))


def get_case(ledger: Ledger, case_id: str, *, today: date | None = None) -> CaseView:
    """One case; opening it is recorded in the audit log (it names a child and maybe a reporter)."""
    today = today or local_day(utc_now())
    with ledger.reading() as session:
        case = _case(session, ledger, case_id)
        child = session.get(Child, case.child_id)
        steps = list(session.scalars(select(CaseStep).where(col(CaseStep.case_id) == case_id, col(CaseStep.deleted) == False)))  # noqa: E712
        view = _view(ledger, session, case, child.name if child else "", steps, today, step_limit(ledger))
    ledger.record_audit("view", entity=Entity.CASE.value, row_id=case_id,
                        detail="reporter" if view.reporter_visible else "reporter_masked")
    return view
