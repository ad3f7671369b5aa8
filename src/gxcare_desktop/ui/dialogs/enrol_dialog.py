"""Enrolment with the sync server: a form (address, account, optional CA file), as a dialog and as a wizard page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ...ledger import Ledger
from ...sync.client import SyncError
from ...sync.engine import enrol
from ..i18n import current_language
from ..workers import CancelToken, Job, Workers

# choose_ca_file(parent) -> the chosen file, or None; injected so tests need no file dialog.
ChooseFile = Callable[[QWidget], Path | None]


def choose_ca_file_dialog(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("EnrolForm", "Certificate authority file"), "", "PEM (*.pem *.crt *.cer);;* (*)"
    )
    return Path(name) if name else None


def error_message(error: object) -> str:
    """A failure's text in the UI language (sync errors carry both languages)."""
    if isinstance(error, SyncError):
        return error.message.get(current_language())
    message = getattr(error, "message", None)
    if message is not None and hasattr(message, "get"):
        return str(message.get(current_language()))
    return str(error)


class EnrolForm(QWidget):
    """The fields and the enrol job; `enrolled(url)` or `failed(text)` when the server has answered."""

    enrolled = Signal(str)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, workers: Workers, parent: QWidget | None = None, *, server_url: str = "",
                 ca_file: str = "", choose_ca_file: ChooseFile = choose_ca_file_dialog) -> None:
        super().__init__(parent)
        self.workers = workers
        self.choose_ca_file = choose_ca_file
        self.job: Job | None = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.url_edit = QLineEdit(server_url, self)
        self.url_edit.setObjectName("server_url")
        self.url_edit.setPlaceholderText("https://sync.example.gov.cn")
        self.username_edit = QLineEdit(self)
        self.username_edit.setObjectName("username")
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_edit = QLineEdit(ca_file, self)
        self.ca_edit.setObjectName("ca_file")
        self.ca_button = QPushButton(self)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        self.form = QFormLayout()
        self.url_label, self.username_label = QLabel(self), QLabel(self)
        self.password_label, self.ca_label = QLabel(self), QLabel(self)
        self.form.addRow(self.url_label, self.url_edit)
        self.form.addRow(self.username_label, self.username_edit)
        self.form.addRow(self.password_label, self.password_edit)
        self.form.addRow(self.ca_label, ca_row)
        self.status = QLabel(self)
        self.status.setObjectName("enrol_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.status)
        self.ca_button.clicked.connect(self.on_ca_clicked)
        self.retranslate()

    def on_ca_clicked(self) -> None:
        chosen = self.choose_ca_file(self)
        if chosen is not None:
            self.ca_edit.setText(str(chosen))

    def is_filled(self) -> bool:
        return bool(self.url_edit.text().strip() and self.username_edit.text().strip() and self.password_edit.text())

    def problem(self) -> str | None:
        url = self.url_edit.text().strip()
        if not url.startswith(("https://", "http://")):
            return self.tr("The server address starts with https:// (ask the county for it).")
        if not self.username_edit.text().strip() or not self.password_edit.text():
            return self.tr("Enter the account name and password the county gave you.")
        ca = self.ca_edit.text().strip()
        if ca and not Path(ca).is_file():
            return self.tr("The certificate file does not exist.")
        return None

    def start(self, ledger: Ledger) -> Job | None:
        """Log in on the write pool (enrolment writes the token into the ledger)."""
        if self.job is not None:
            return None
        problem = self.problem()
        if problem is not None:
            self.status.setText(problem)
            self.failed.emit(problem)
            return None
        url = self.url_edit.text().strip().rstrip("/")
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        ca_file = self.ca_edit.text().strip() or None

        def work(*, progress: Any, cancel: CancelToken) -> str:
            enrol(ledger, url, username=username, password=password, ca_file=ca_file)
            return url

        self.job = self.workers.run(work, write=True, name="enrol")
        self.job.signals.succeeded.connect(self.on_enrol_succeeded)
        self.job.signals.failed.connect(self.on_enrol_failed)
        self.job.signals.finished.connect(self.on_enrol_finished)
        self.status.setText(self.tr("Connecting to the server…"))
        self.setEnabled(False)
        self.busy_changed.emit(True)
        return self.job

    def on_enrol_succeeded(self, url: str) -> None:
        self.password_edit.clear()
        self.status.setText(self.tr("This computer is now connected to %1.").replace("%1", url))
        self.enrolled.emit(url)

    def on_enrol_failed(self, error: object) -> None:
        text = error_message(error)
        self.status.setText(text)
        self.failed.emit(text)

    def on_enrol_finished(self) -> None:
        self.job = None
        self.setEnabled(True)
        self.busy_changed.emit(False)

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Connect this computer to the county's sync server to send your changes to the township and "
            "receive theirs. The password is used once and is not kept; the computer keeps a device key instead."))
        self.url_label.setText(self.tr("Server address"))
        self.username_label.setText(self.tr("Account"))
        self.password_label.setText(self.tr("Password"))
        self.ca_label.setText(self.tr("County CA file (optional)"))
        self.ca_button.setText(self.tr("Choose…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class EnrolDialog(QDialog):
    """Enrol `ledger`; accepted once the server has given this computer its device token."""

    enrolled = Signal(str)

    def __init__(self, ledger: Ledger, workers: Workers, parent: QWidget | None = None, *,
                 server_url: str = "", ca_file: str = "", choose_ca_file: ChooseFile = choose_ca_file_dialog) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.form = EnrolForm(workers, self, server_url=server_url, ca_file=ca_file, choose_ca_file=choose_ca_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.form.enrolled.connect(self.on_enrolled)
        self.form.busy_changed.connect(lambda busy: self.ok_button.setEnabled(not busy))
        self.resize(560, 320)
        self.retranslate()

    def on_ok_clicked(self) -> None:
        self.form.start(self.ledger)

    def on_enrolled(self, url: str) -> None:
        self.enrolled.emit(url)
        self.accept()

    def reject(self) -> None:
        if self.form.job is not None:
            return  # the login is under way; its answer must land in the ledger first
        super().reject()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Connect to the sync server"))
        self.ok_button.setText(self.tr("Connect"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class EnrolWizardPage(QWizardPage):
    """The first-run wizard's optional last page: connect now, or finish and connect later."""

    def __init__(self, wizard: Any) -> None:
        super().__init__(wizard)
        self.first_run = wizard
        self.form = EnrolForm(wizard.workers, self)
        self.connect_button = QPushButton(self)
        self.connect_button.setObjectName("enrol_connect")
        self.later = QLabel(self)
        self.later.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.connect_button)
        layout.addStretch(1)
        layout.addWidget(self.later)
        self.connect_button.clicked.connect(self.on_connect_clicked)
        self.form.busy_changed.connect(lambda _busy: self.completeChanged.emit())
        self.form.enrolled.connect(self.on_enrolled)
        self.enrolled_url: str | None = None
        self.retranslate()

    def on_connect_clicked(self) -> None:
        ledger = self.first_run.ledger
        if isinstance(ledger, Ledger):
            self.form.start(ledger)

    def on_enrolled(self, url: str) -> None:
        self.enrolled_url = url
        self.connect_button.setEnabled(False)

    def isComplete(self) -> bool:
        return self.form.job is None  # finishing is always allowed, but not in the middle of a login

    def nextId(self) -> int:
        return -1

    def retranslate(self) -> None:
        self.setTitle(self.tr("Sync server (optional)"))
        self.connect_button.setText(self.tr("Connect"))
        self.later.setText(self.tr("Without a network, simply finish: you can connect later on the Sync page."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
