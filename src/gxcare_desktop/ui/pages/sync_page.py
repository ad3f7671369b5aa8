"""The sync page (同步): server and enrolment, sync now with progress, the last report, conflicts, USB bundles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...ledger import LedgerError
from ...ledger.workflows import ConflictRow
from ...ledger.workflows._common import is_supervisor
from ...sync.bundles import BundleInfo, export_changes, export_rows, import_bundle
from ...sync.engine import CA_FILE, CLOCK_WARNING, SERVER_URL, client_for
from ..context import AppContext
from ..dialogs import bundle_dialog
from ..dialogs.enrol_dialog import EnrolDialog, error_message
from ..i18n import QT_TRANSLATE_NOOP
from ..models.conflicts_model import ROW_ROLE, Column, ConflictsModel
from ..sync_status import (
    SyncController,
    SyncOutcome,
    SyncState,
    controller_for,
    fetch_conflicts,
    is_enrolled,
    run_sync,
)
from ..widgets.progress_panel import ProgressPanel
from ..workers import CancelToken, Job
from .base import NAV_TITLES, Page

REASONS: dict[str, str] = {
    "unknown_entity": QT_TRANSLATE_NOOP("SyncPage", "unknown kind of record"),
    "unknown_field": QT_TRANSLATE_NOOP("SyncPage", "unknown field"),
    "invalid_value": QT_TRANSLATE_NOOP("SyncPage", "invalid value"),
    "invalid_hlc": QT_TRANSLATE_NOOP("SyncPage", "invalid time stamp"),
    "clock_ahead": QT_TRANSLATE_NOOP("SyncPage", "this PC's clock is ahead"),
    "bad_division": QT_TRANSLATE_NOOP("SyncPage", "unknown village code"),
    "out_of_jurisdiction": QT_TRANSLATE_NOOP("SyncPage", "outside your jurisdiction"),
    "unknown_child": QT_TRANSLATE_NOOP("SyncPage", "the child is not on the server"),
}
STAGES: dict[str, str] = {
    "push": QT_TRANSLATE_NOOP("SyncPage", "Sending changes…"),
    "pull": QT_TRANSLATE_NOOP("SyncPage", "Receiving changes…"),
    "download": QT_TRANSLATE_NOOP("SyncPage", "Downloading the records of your area…"),
    "files": QT_TRANSLATE_NOOP("SyncPage", "Photos and scanned files…"),
}
WARNING_STYLE = "background: #fde7e9; color: #b3261e; border: 1px solid #b3261e; padding: 8px; font-weight: bold;"
NOTE_STYLE = "background: #fff4e0; color: #6b4400; border: 1px solid #e0b060; padding: 6px;"

# Injected so tests answer them: (parent, suggested name) -> path; (parent) -> path; (parent, confirm) -> passphrase.
ChooseSave = Callable[[QWidget, str], Path | None]
ChooseOpen = Callable[[QWidget], Path | None]
AskPassphrase = Callable[[QWidget, bool], str | None]


class SyncPage(Page):
    key: ClassVar[str] = "sync"
    title: ClassVar[str] = NAV_TITLES["sync"]

    enrolled = Signal(str)
    conflicts_loaded = Signal()
    conflict_resolved = Signal(int, str)
    bundle_exported = Signal(object)  # BundleInfo
    bundle_imported = Signal(object)  # BundleInfo
    bundle_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.controller: SyncController = controller_for(context)
        self.choose_save_path: ChooseSave = bundle_dialog.choose_save_path
        self.choose_open_path: ChooseOpen = bundle_dialog.choose_open_path
        self.ask_passphrase: AskPassphrase = bundle_dialog.ask_passphrase
        self.make_enrol_dialog: Callable[[], EnrolDialog] = self._default_enrol_dialog
        self.bundle_job: Job | None = None
        self.conflicts_job: Job | None = None

        # ---- server ----
        self.server_box = QGroupBox(self)
        self.server_label = QLabel(self)
        self.server_label.setObjectName("server_label")
        self.server_label.setWordWrap(True)
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("sync_state")
        self.enrol_button = QPushButton(self)
        self.enrol_button.setObjectName("enrol_button")
        self.auto_check = QCheckBox(self)
        self.auto_check.setObjectName("auto_sync")
        self.auto_check.setChecked(context.settings.auto_sync)
        server_layout = QVBoxLayout(self.server_box)
        server_layout.addWidget(self.server_label)
        server_layout.addWidget(self.state_label)
        row = QHBoxLayout()
        row.addWidget(self.enrol_button)
        row.addWidget(self.auto_check)
        row.addStretch(1)
        server_layout.addLayout(row)

        # ---- sync now and the last report ----
        self.sync_box = QGroupBox(self)
        self.sync_button = QPushButton(self)
        self.sync_button.setObjectName("sync_button")
        self.sync_button.setMinimumHeight(40)
        self.progress = ProgressPanel(self)
        self.pending_label = QLabel(self)
        self.report_label = QLabel(self)
        self.report_label.setObjectName("report_label")
        self.report_label.setWordWrap(True)
        self.report_label.hide()  # until there is a report
        self.clock_warning = QLabel(self)
        self.clock_warning.setObjectName("clock_warning")
        self.clock_warning.setWordWrap(True)
        self.clock_warning.setStyleSheet(WARNING_STYLE)
        self.clock_warning.hide()
        self.reset_note = QLabel(self)
        self.reset_note.setObjectName("server_reset_note")
        self.reset_note.setWordWrap(True)
        self.reset_note.setStyleSheet(NOTE_STYLE)
        self.reset_note.hide()
        self.refused_label = QLabel(self)
        self.refused_list = QListWidget(self)
        self.refused_list.setObjectName("refused_list")
        self.refused_list.setMaximumHeight(72)
        self.refused_label.hide()
        self.refused_list.hide()
        sync_layout = QVBoxLayout(self.sync_box)
        button_row = QHBoxLayout()
        button_row.addWidget(self.sync_button)
        button_row.addWidget(self.pending_label, 1)
        sync_layout.addLayout(button_row)
        sync_layout.addWidget(self.progress)
        sync_layout.addWidget(self.clock_warning)
        sync_layout.addWidget(self.reset_note)
        sync_layout.addWidget(self.report_label)
        sync_layout.addWidget(self.refused_label)
        sync_layout.addWidget(self.refused_list)

        # ---- sneakernet ----
        self.bundle_box = QGroupBox(self)
        self.bundle_intro = QLabel(self)
        self.bundle_intro.setWordWrap(True)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("export_bundle")
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("import_bundle")
        self.village_combo = QComboBox(self)
        self.village_combo.setObjectName("return_village")
        self.return_button = QPushButton(self)
        self.return_button.setObjectName("export_return_bundle")
        self.bundle_status = QLabel(self)
        self.bundle_status.setObjectName("bundle_status")
        self.bundle_status.setWordWrap(True)
        self.bundle_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bundle_status.hide()
        bundle_layout = QVBoxLayout(self.bundle_box)
        bundle_layout.addWidget(self.bundle_intro)
        bundle_row = QHBoxLayout()
        bundle_row.addWidget(self.export_button)
        bundle_row.addWidget(self.import_button)
        bundle_row.addStretch(1)
        bundle_layout.addLayout(bundle_row)
        self.return_row = QWidget(self)
        return_layout = QHBoxLayout(self.return_row)
        return_layout.setContentsMargins(0, 0, 0, 0)
        return_layout.addWidget(self.village_combo, 1)
        return_layout.addWidget(self.return_button)
        bundle_layout.addWidget(self.return_row)
        bundle_layout.addWidget(self.bundle_status)

        # ---- conflicts ----
        self.conflicts_box = QGroupBox(self)
        self.conflicts_intro = QLabel(self)
        self.conflicts_intro.setWordWrap(True)
        self.conflicts_model = ConflictsModel(context.language, self)
        self.conflicts_view = QTableView(self)
        self.conflicts_view.setObjectName("conflicts_view")
        self.conflicts_view.setModel(self.conflicts_model)
        self.conflicts_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflicts_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflicts_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflicts_view.setAlternatingRowColors(True)
        self.conflicts_view.verticalHeader().setVisible(False)
        self.conflicts_view.setWordWrap(True)
        header = self.conflicts_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.KEPT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.OTHER, QHeaderView.ResizeMode.Stretch)
        self.keep_winner = QPushButton(self)
        self.keep_winner.setObjectName("keep_winner")
        self.keep_loser = QPushButton(self)
        self.keep_loser.setObjectName("keep_loser")
        self.refresh_conflicts_button = QPushButton(self)
        self.refresh_conflicts_button.setObjectName("refresh_conflicts")
        self.conflicts_status = QLabel(self)
        self.conflicts_status.setObjectName("conflicts_status")
        self.conflicts_status.setWordWrap(True)
        conflicts_layout = QVBoxLayout(self.conflicts_box)
        conflicts_layout.addWidget(self.conflicts_intro)
        conflicts_layout.addWidget(self.conflicts_view, 1)
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(self.keep_winner)
        conflict_buttons.addWidget(self.keep_loser)
        conflict_buttons.addStretch(1)
        conflict_buttons.addWidget(self.refresh_conflicts_button)
        conflicts_layout.addLayout(conflict_buttons)
        conflicts_layout.addWidget(self.conflicts_status)

        left = QVBoxLayout()
        left.addWidget(self.server_box)
        left.addWidget(self.sync_box)
        left.addWidget(self.bundle_box)
        left.addStretch(1)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(16, 16, 16, 16)
        columns.setSpacing(16)
        columns.addLayout(left, 4)
        columns.addWidget(self.conflicts_box, 7)

        self.enrol_button.clicked.connect(self.open_enrol_dialog)
        self.auto_check.toggled.connect(self.on_auto_toggled)
        self.sync_button.clicked.connect(self.start_sync)
        self.export_button.clicked.connect(self.export_changes)
        self.import_button.clicked.connect(self.import_bundle)
        self.return_button.clicked.connect(self.export_return_bundle)
        self.keep_winner.clicked.connect(lambda: self.resolve_selected("winner"))
        self.keep_loser.clicked.connect(lambda: self.resolve_selected("loser"))
        self.refresh_conflicts_button.clicked.connect(self.load_conflicts)
        self.conflicts_view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.controller.state_changed.connect(self.on_state_changed)
        self.controller.sync_started.connect(self.on_sync_started)
        self.controller.sync_succeeded.connect(self.on_sync_succeeded)
        self.controller.sync_failed.connect(self.on_sync_failed)
        self.controller.conflicts_changed.connect(self.on_conflicts_changed)
        context.events.settings_changed.connect(self.on_settings_changed)
        self._fill_villages()
        self.retranslate()
        if self.controller.job is not None:
            self.on_sync_started(self.controller.job)
        if self.controller.last_outcome is not None:
            self.show_outcome(self.controller.last_outcome)
        self.conflicts_model.set_rows(self.controller.conflicts)

    # ---- roles and state ----------------------------------------------------------------------

    @property
    def can_resolve(self) -> bool:
        """Choosing between two values is a supervisor's call; a director sees the list read-only."""
        try:
            return bool(is_supervisor(self.context.ledger))
        except LedgerError:
            return False

    def _fill_villages(self) -> None:
        self.village_combo.clear()
        ledger = self.context.ledger
        if not self.can_resolve:
            return
        divisions = self.context.divisions()
        for village in divisions.under(ledger.village_code, level=5):
            self.village_combo.addItem(f"{village.name} ({village.code})", village.code)

    def _update_buttons(self) -> None:
        enrolled = is_enrolled(self.context.ledger)
        syncing = self.controller.busy
        self.sync_button.setEnabled(enrolled and not syncing)
        self.enrol_button.setEnabled(not syncing)
        chosen = self.selected_conflict() is not None
        working = self.conflicts_job is not None
        for button in (self.keep_winner, self.keep_loser):
            button.setVisible(self.can_resolve)
            button.setEnabled(self.can_resolve and chosen and not working and not syncing)
        self.refresh_conflicts_button.setEnabled(enrolled and not working)
        bundle_busy = self.bundle_job is not None
        self.export_button.setEnabled(not bundle_busy)
        self.import_button.setEnabled(not bundle_busy)
        self.return_row.setVisible(self.can_resolve)
        self.return_button.setEnabled(not bundle_busy and self.village_combo.count() > 0)

    def page_shown(self) -> None:
        self.refresh_server()
        if is_enrolled(self.context.ledger) and not self.conflicts_model.rows and self.conflicts_job is None:
            self.load_conflicts()

    def refresh_server(self) -> None:
        ledger = self.context.ledger
        try:
            url = ledger.meta(SERVER_URL) or ""
            pending = ledger.pending_changes()
        except LedgerError:
            return
        if url:
            self.server_label.setText(self.tr("Server: %1").replace("%1", url))
            self.enrol_button.setText(self.tr("Connect again…"))
        else:
            self.server_label.setText(self.tr(
                "This computer is not connected to a sync server yet. Your records stay on this PC; "
                "you can also carry changes to the township on a USB stick (below)."))
            self.enrol_button.setText(self.tr("Connect to a server…"))
        self.pending_label.setText(self.tr("Changes not sent yet: %1").replace("%1", str(pending)))
        self.on_state_changed(self.controller.state)

    def on_state_changed(self, state: SyncState) -> None:
        texts = {
            SyncState.NOT_ENROLLED: self.tr("Not connected"),
            SyncState.OFFLINE: self.tr("Offline: the server cannot be reached. Work goes on; it syncs later."),
            SyncState.SYNCING: self.tr("Syncing…"),
            SyncState.SYNCED: self.tr("Synced"),
            SyncState.CONFLICTS: self.tr("Synced; some conflicting edits are listed on the right"),
            SyncState.IDLE: self.tr("Connected"),
        }
        self.state_label.setText(texts[state])
        self._update_buttons()

    def ledger_changed(self) -> None:
        if self.isVisible():
            self.refresh_server()

    def on_settings_changed(self, settings: Any) -> None:
        self.auto_check.blockSignals(True)
        self.auto_check.setChecked(bool(settings.auto_sync))
        self.auto_check.blockSignals(False)

    def on_auto_toggled(self, checked: bool) -> None:
        self.context.update_settings(auto_sync=checked)

    # ---- enrolment ------------------------------------------------------------------------------

    def _default_enrol_dialog(self) -> EnrolDialog:
        ledger = self.context.ledger
        url = ledger.meta(SERVER_URL) or self.context.settings.server_url
        ca = ledger.meta(CA_FILE) or (str(self.context.settings.ca_file) if self.context.settings.ca_file else "")
        return EnrolDialog(ledger, self.context.workers, self, server_url=url, ca_file=ca)

    def open_enrol_dialog(self) -> EnrolDialog:
        """Open the enrolment dialog (not modal, so tests can fill it); returns it."""
        dialog = self.make_enrol_dialog()
        dialog.enrolled.connect(self.on_enrolled)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def on_enrolled(self, url: str) -> None:
        ca = self.context.ledger.meta(CA_FILE) or ""
        self.context.update_settings(server_url=url, ca_file=Path(ca) if ca else None)
        self._fill_villages()
        self.controller.refresh_state()
        self.retranslate()  # the server may have set another role: the conflicts text and buttons follow
        self.context.notify_ledger_changed()  # the role and division may have been set by the server
        self.enrolled.emit(url)

    # ---- sync -----------------------------------------------------------------------------------

    def start_sync(self) -> Job | None:
        return self.controller.start_sync()

    def on_sync_started(self, job: Job) -> None:
        self.report_label.hide()
        self.progress.watch(job, self.tr("Syncing…"))
        job.signals.progress.connect(self.on_sync_progress)
        job.signals.cancelled.connect(self.on_sync_cancelled)
        self._update_buttons()

    def on_sync_cancelled(self) -> None:
        # What was sent or received before the stop is kept; the next sync carries on from there.
        self.report_label.setText(self.tr("Sync stopped. What was already sent or received is kept; the next sync carries on."))
        self.report_label.show()
        self.refresh_server()

    def on_sync_progress(self, _done: int, _total: int, message: str) -> None:
        stage = STAGES.get(message)
        if stage is not None:
            self.progress.message.setText(QCoreApplication.translate("SyncPage", stage))

    def on_sync_succeeded(self, outcome: SyncOutcome) -> None:
        self.show_outcome(outcome)
        self.refresh_server()

    def show_outcome(self, outcome: SyncOutcome) -> None:
        report = outcome.report
        language = self.context.language
        received = report.pulled + report.downloaded_rows
        lines = [
            self.tr("Last sync: %1").replace("%1", outcome.finished_at.astimezone().strftime("%Y-%m-%d %H:%M")),
            self.tr("Sent %1 changes: %2 accepted, %3 already superseded, %4 refused.")
            .replace("%1", str(report.pushed)).replace("%2", str(report.accepted))
            .replace("%3", str(report.superseded)).replace("%4", str(len(report.rejected))),
            self.tr("Received %1 changes (%2 applied).").replace("%1", str(received))
            .replace("%2", str(report.applied + report.downloaded_rows)),
        ]
        if report.files_up or report.files_down:
            lines.append(self.tr("Files: %1 sent, %2 received.").replace("%1", str(report.files_up))
                         .replace("%2", str(report.files_down)))
        if report.dropped:
            lines.append(self.tr("%1 records moved out of your area and were removed from this PC.")
                         .replace("%1", str(report.dropped)))
        if outcome.conflicts_error is not None:
            lines.append(self.tr("Conflicts could not be read: %1").replace("%1", error_message(outcome.conflicts_error)))
        self.report_label.setText("\n".join(lines))
        self.report_label.show()
        self.clock_warning.setText(CLOCK_WARNING.get(language))
        self.clock_warning.setVisible(report.clock_warning)
        self.reset_note.setText(self.tr(
            "The server was restored from a backup. This PC sent all its records again and downloaded "
            "the area afresh; nothing was lost."))
        self.reset_note.setVisible(report.server_reset)
        self.refused_list.clear()
        reasons = Counter(reason for _change, reason in report.rejected)
        for reason, count in sorted(reasons.items()):
            text = QCoreApplication.translate("SyncPage", REASONS[reason]) if reason in REASONS else reason
            self.refused_list.addItem(self.tr("%1 changes: %2").replace("%1", str(count)).replace("%2", text))
        self.refused_label.setText(self.tr("Refused by the server (they stay in this PC's history):"))
        self.refused_label.setVisible(bool(reasons))
        self.refused_list.setVisible(bool(reasons))

    def on_sync_failed(self, error: object) -> None:
        self.report_label.setText(self.tr("The sync did not finish: %1").replace("%1", error_message(error)))
        self.report_label.show()
        self.refresh_server()

    # ---- conflicts ------------------------------------------------------------------------------

    def selected_conflict(self) -> ConflictRow | None:
        rows = self.conflicts_view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.conflicts_model.data(rows[0], ROW_ROLE)
        return row if isinstance(row, ConflictRow) else None

    def load_conflicts(self) -> Job | None:
        """Read the open conflicts from the server (a background read)."""
        if self.conflicts_job is not None or not is_enrolled(self.context.ledger):
            return None
        ledger = self.context.ledger

        def work(*, progress: Any, cancel: CancelToken) -> list[ConflictRow]:
            return fetch_conflicts(ledger)

        job = self.context.workers.run(work, write=False, name="conflicts")
        self.conflicts_job = job
        job.signals.succeeded.connect(self.controller.set_conflicts)
        job.signals.failed.connect(self.on_conflicts_failed)
        job.signals.finished.connect(self.on_conflicts_job_finished)
        self.conflicts_status.setText(self.tr("Asking the server…"))
        self._update_buttons()
        return job

    def on_conflicts_job_finished(self) -> None:
        self.conflicts_job = None
        self._update_buttons()
        self.conflicts_loaded.emit()

    def on_conflicts_failed(self, error: object) -> None:
        self.conflicts_status.setText(error_message(error))

    def on_conflicts_changed(self, rows: list[ConflictRow]) -> None:
        self.conflicts_model.set_rows(rows)
        self.conflicts_view.resizeRowsToContents()  # long addresses wrap instead of being cut
        if rows:
            self.conflicts_view.selectRow(0)
            self.conflicts_status.setText(self.tr("%1 conflicting edits.").replace("%1", str(len(rows))))
        else:
            self.conflicts_status.setText(self.tr("No conflicting edits."))
        self._update_buttons()

    def resolve_selected(self, keep: str) -> Job | None:
        """Keep the value now in force ("winner") or the other one ("loser"); then sync it here."""
        row = self.selected_conflict()
        if row is None or not self.can_resolve or self.conflicts_job is not None:
            return None
        ledger = self.context.ledger
        conflict_id = row.conflict_id

        # On the write pool: the sync after the choice writes the ledger.
        def work(*, progress: Any, cancel: CancelToken) -> SyncOutcome:
            client = client_for(ledger)
            try:
                client.resolve_conflict(conflict_id, keep)
            finally:
                client.close()
            return run_sync(ledger, progress=progress, cancel=cancel)

        if self.controller.busy:
            return None
        job = self.context.workers.run(work, write=True, name="resolve-conflict")
        self.conflicts_job = job
        self.conflicts_status.setText(self.tr("Saving the choice and syncing…"))

        def done(outcome: SyncOutcome) -> None:
            self.controller.on_sync_succeeded(outcome)
            self.conflict_resolved.emit(conflict_id, keep)
            self.context.notify_ledger_changed()

        job.signals.succeeded.connect(done)
        job.signals.failed.connect(self.on_conflicts_failed)
        job.signals.finished.connect(self.on_conflicts_job_finished)
        self._update_buttons()
        return job

    # ---- sneakernet -----------------------------------------------------------------------------

    def _run_bundle(self, work: Callable[[], BundleInfo], exported: bool) -> Job:
        def job_fn(*, progress: Any, cancel: CancelToken) -> BundleInfo:
            return work()

        job = self.context.workers.run(job_fn, write=True, name="bundle")
        self.bundle_job = job
        self._bundle_message(self.tr("Working…"))
        job.signals.succeeded.connect(self.on_bundle_exported if exported else self.on_bundle_imported)
        job.signals.failed.connect(self.on_bundle_failed)
        job.signals.finished.connect(self.on_bundle_finished)
        self._update_buttons()
        return job

    def export_changes(self) -> Job | None:
        ledger = self.context.ledger
        path = self.choose_save_path(self, f"gxcare-{ledger.village_code}-{date.today():%Y%m%d}.gxbundle")
        if path is None:
            return None
        passphrase = self.ask_passphrase(self, True)
        if passphrase is None:
            return None
        return self._run_bundle(lambda: export_changes(ledger, path, passphrase=passphrase), exported=True)

    def export_return_bundle(self) -> Job | None:
        code = self.village_combo.currentData()
        if not code or not self.can_resolve:
            return None
        ledger = self.context.ledger
        path = self.choose_save_path(self, f"gxcare-return-{code}-{date.today():%Y%m%d}.gxbundle")
        if path is None:
            return None
        passphrase = self.ask_passphrase(self, True)
        if passphrase is None:
            return None
        return self._run_bundle(
            lambda: export_rows(ledger, path, division_code=str(code), passphrase=passphrase), exported=True
        )

    def import_bundle(self) -> Job | None:
        ledger = self.context.ledger
        path = self.choose_open_path(self)
        if path is None:
            return None
        passphrase = self.ask_passphrase(self, False)
        if passphrase is None:
            return None
        return self._run_bundle(lambda: import_bundle(ledger, path, passphrase=passphrase), exported=False)

    def on_bundle_exported(self, info: BundleInfo) -> None:
        self._bundle_message(
            self.tr("Saved %1 records in %2.\nSigner fingerprint: %3 (read it out to the township by phone).")
            .replace("%1", str(info.count)).replace("%2", str(info.path)).replace("%3", info.fingerprint)
        )
        self.bundle_exported.emit(info)

    def on_bundle_imported(self, info: BundleInfo) -> None:
        self._bundle_message(
            self.tr("Imported %1 records from %2.\nSigner fingerprint: %3 (compare it with what the sender read out).")
            .replace("%1", str(info.count)).replace("%2", info.path.name).replace("%3", info.fingerprint)
        )
        self.context.notify_ledger_changed()
        self.bundle_imported.emit(info)

    def on_bundle_failed(self, error: object) -> None:
        text = error_message(error)
        self._bundle_message(text)
        self.bundle_failed.emit(text)

    def _bundle_message(self, text: str) -> None:
        self.bundle_status.setText(text)
        self.bundle_status.setVisible(bool(text))

    def on_bundle_finished(self) -> None:
        self.bundle_job = None
        self._update_buttons()

    # ---- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.server_box.setTitle(self.tr("Sync server"))
        self.auto_check.setText(self.tr("Sync automatically when the server can be reached"))
        self.sync_box.setTitle(self.tr("Sync"))
        self.sync_button.setText(self.tr("Sync now"))
        self.bundle_box.setTitle(self.tr("Without a network: USB stick"))
        self.bundle_intro.setText(self.tr(
            "Save the changes not sent yet as an encrypted, signed file, carry it to the township, "
            "and import the file the township gives back."))
        self.export_button.setText(self.tr("Save unsent changes to a file…"))
        self.import_button.setText(self.tr("Import a file…"))
        self.return_button.setText(self.tr("Save a return file for this village…"))
        self.conflicts_box.setTitle(self.tr("Conflicting edits"))
        self.conflicts_intro.setText(
            self.tr("Two computers changed the same field before they had seen each other's change. The newer "
                    "change was kept; the supervisor may choose the other value.")
            if self.can_resolve else
            self.tr("Two computers changed the same field before they had seen each other's change. The newer "
                    "change was kept; your township supervisor reviews these.")
        )
        self.keep_winner.setText(self.tr("Keep this value"))
        self.keep_loser.setText(self.tr("Keep the other value"))
        self.refresh_conflicts_button.setText(self.tr("Refresh"))
        self.conflicts_model.set_language(self.context.language)
        self.refresh_server()
        if self.controller.last_outcome is not None:
            self.show_outcome(self.controller.last_outcome)


def report_shot(window: Any) -> QWidget:
    """`make screenshots`: the page after a sync with a refused change, a clock warning and two conflicts.

    The demo ledger is pointed at an address that is never contacted (automatic sync is stopped).
    """
    from datetime import UTC, datetime

    from sqlalchemy import select

    from ...ledger.tables import Child
    from ...ledger.workflows import conflict_rows
    from ...sync.engine import LAST_SYNC, TOKEN, SyncReport

    context = window.context
    ledger = context.ledger
    controller = controller_for(context)
    controller.set_automatic(False)
    ledger.set_meta(SERVER_URL, "https://sync.mashan.example.invalid")
    ledger.set_meta(TOKEN, "screenshot")
    ledger.set_meta(LAST_SYNC, datetime.now(UTC).isoformat(timespec="seconds"))
    with ledger.reading() as session:
        children = list(session.scalars(select(Child).order_by(Child.name).limit(2)))
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    records = [
        {"id": 1, "entity": "child", "row_id": children[0].id, "field": "school_name",
         "division_code": children[0].division_code, "winner_value": "白山镇中心小学", "winner_device": "3f9a1c2e77",
         "loser_value": "白山村小学", "loser_device": "b71d0e4419", "created_ms": now_ms - 3_600_000},
        {"id": 2, "entity": "child", "row_id": children[-1].id, "field": "address",
         "division_code": children[-1].division_code, "winner_value": "白山镇新汉村那马屯 12 号", "winner_device": "b71d0e4419",
         "loser_value": "白山镇新汉村那马屯 21 号", "loser_device": "3f9a1c2e77", "created_ms": now_ms - 7_200_000},
    ]
    report = SyncReport(pushed=42, accepted=40, superseded=1, rejected=[("c1", "clock_ahead")], pulled=118,
                        applied=117, clock_warning=True)
    outcome = SyncOutcome(report, conflict_rows(ledger, records))
    controller.on_sync_succeeded(outcome)
    controller.refresh_state()
    context.notify_ledger_changed()
    window.show_page("sync")
    return cast(QWidget, window)


def enrol_shot(window: Any) -> QWidget:
    """`make screenshots`: the enrolment dialog over the sync page, partly filled in."""
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    dialog = page.make_enrol_dialog()
    dialog.form.url_edit.setText("https://sync.mashan.example.invalid")
    dialog.form.username_edit.setText("xinhan_director")
    dialog.show()
    return dialog
