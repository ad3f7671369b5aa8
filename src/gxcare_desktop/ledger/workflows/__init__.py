"""Township and county work on the ledger: reviews, the no-carer approval chain, mandatory-report
cases, the staff registry and the overview; keyword-only functions taking the Ledger first."""

from ._common import NotAllowed, ReviewKind, ReviewStage, is_supervisor
from .approvals import (
    ApprovalRow,
    advance_no_carer,
    apply_no_carer,
    approval_rows,
    following_month,
    no_carer_benefits,
)
from .cases import (
    DEFAULT_STEP_MAX_DAYS,
    RESPONSE_STEPS,
    STEP_ORDER,
    CaseView,
    StepView,
    close_case,
    get_case,
    list_cases,
    open_case,
    record_police_report,
    record_step,
    set_step_limit,
    step_limit,
)
from .conflicts import ConflictRow, conflict_rows, value_text
from .overview import SILENT_DAYS, OverviewRow, overview_rows
from .reviews import (
    COUNTY_DAYS,
    TOWNSHIP_DAYS,
    ReviewRow,
    change_categories,
    decide_review,
    history_rows,
    register_child,
    request_exit,
    resubmit,
    review_history,
    review_queue,
    submissions,
    submit_for_review,
    unsubmitted_files,
)
from .staff import (
    StaffRow,
    TrainedRate,
    add_training,
    register_staff,
    staff_rows,
    trained_rates,
    update_staff,
)

__all__ = [
    "COUNTY_DAYS", "DEFAULT_STEP_MAX_DAYS", "RESPONSE_STEPS", "SILENT_DAYS", "STEP_ORDER", "TOWNSHIP_DAYS",
    "ApprovalRow", "CaseView", "ConflictRow", "NotAllowed", "OverviewRow", "ReviewKind", "ReviewRow", "ReviewStage",
    "StaffRow", "StepView", "TrainedRate",
    "add_training", "advance_no_carer", "apply_no_carer", "approval_rows", "change_categories", "close_case", "conflict_rows",
    "decide_review", "following_month", "get_case", "history_rows", "is_supervisor", "list_cases",
    "no_carer_benefits", "open_case", "overview_rows", "record_police_report", "record_step", "register_child",
    "register_staff", "request_exit", "resubmit", "review_history", "review_queue", "set_step_limit",
    "staff_rows", "step_limit", "submissions", "submit_for_review", "trained_rates", "unsubmitted_files", "update_staff", "value_text",
]
