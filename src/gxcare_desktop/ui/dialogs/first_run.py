"""First run: create the local ledger (village, password, recovery code) or try the demo ledger."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import cast

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...domain.divisions import Division, Divisions, load_divisions
from ...domain.enums import Role
from ...domain.errors import ValidationError
from ...ledger import Ledger, LedgerError, password_problems
from ..i18n import current_language
from ..widgets.progress_panel import ProgressPanel
from ..workers import Job, Workers
from .demo import DemoLedgerPanel
from .enrol_dialog import EnrolWizardPage

# print_recovery(parent, recovery_code, village_full_name) -> True if it was printed.
PrintRecovery = Callable[[QWidget, str, str], bool]
SEARCH_LIMIT = 50
# Who keeps this ledger, and the level of the division it covers (village directors first).
ROLE_LEVELS: dict[Role, int] = {Role.VILLAGE_DIRECTOR: 5, Role.TOWNSHIP_SUPERVISOR: 4, Role.COUNTY_ADMIN: 3}
CODE_ROLE = Qt.ItemDataRole.UserRole
LOADED_ROLE = Qt.ItemDataRole.UserRole + 1


class PageId(IntEnum):
    WELCOME = 0
    VILLAGE = 1
    PASSWORD = 2
    RECOVERY = 3
    DEMO = 4
    ENROL = 5  # optional: connect to the sync server (dialogs/enrol_dialog.py)


def print_recovery_code(parent: QWidget, code: str, village: str) -> bool:
    """Print the recovery code on paper through the system's print dialog."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setHtml(recovery_sheet_html(code, village))
    document.print_(printer)
    return True


def recovery_sheet_html(code: str, village: str) -> str:
    from html import escape

    return (
        "<h2>儿童关爱台账 恢复码 / GXCare recovery code</h2>"
        f"<p>{escape(village)}</p>"
        f"<p style='font-size:24pt; font-family:monospace'><b>{escape(code)}</b></p>"
        "<p>忘记密码时，用这个恢复码打开台账。请把这张纸锁好，不要和电脑放在一起。<br>"
        "If the password is forgotten, this code opens the ledger. Keep this sheet locked away, "
        "not with the computer.</p>"
    )


def village_caption(divisions: Divisions, village: Division) -> str:
    """"新汉村委会 — 白山镇，马山县，南宁市": the village first, then where it is."""
    above = [d.name for d in reversed(divisions.path(village.code)) if 1 < d.level < village.level]
    return f"{village.name} — {'，'.join(above)}" if above else village.name


class WelcomePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.create_radio = QRadioButton(self)
        self.create_radio.setChecked(True)
        self.demo_radio = QRadioButton(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(12)
        layout.addWidget(self.create_radio)
        layout.addWidget(self.demo_radio)
        layout.addStretch(1)
        self.retranslate()

    def nextId(self) -> int:
        return int(PageId.DEMO if self.demo_radio.isChecked() else PageId.VILLAGE)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Welcome"))
        self.intro.setText(self.tr(
            "This program keeps the files of the children you look after in an encrypted ledger on this computer. It works without a network and sends changes to the township when a connection is available."))
        self.create_radio.setText(self.tr("Create my ledger"))
        self.demo_radio.setText(self.tr("First try a demo ledger with invented children"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class VillagePage(QWizardPage):
    """Pick the village: search by name or code, or browse city → county → township → village.

    A township supervisor (or a county administrator) picks a township (or a county) instead:
    the ledger then holds that whole area. `village_code` is the chosen code at that level.
    """

    def __init__(self, divisions: Divisions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.divisions = divisions
        self.village_code: str | None = None

        self.role_label = QLabel(self)
        self.role_combo = QComboBox(self)
        for role in ROLE_LEVELS:
            self.role_combo.addItem("", role.value)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tabs = QTabWidget(self)
        search_tab = QWidget(self)
        search_layout = QVBoxLayout(search_tab)
        search_layout.addWidget(self.search_edit)
        search_layout.addWidget(self.results)
        self.tabs.addTab(search_tab, "")
        self.tabs.addTab(self.tree, "")
        self.chosen = QLabel(self)
        self.chosen.setWordWrap(True)
        self.chosen.setStyleSheet("font-weight: bold;")
        self.name_label = QLabel(self)
        self.name_edit = QLineEdit(self)
        form = QFormLayout()
        form.addRow(self.name_label, self.name_edit)
        role_form = QFormLayout()
        role_form.addRow(self.role_label, self.role_combo)

        layout = QVBoxLayout(self)
        layout.addLayout(role_form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.chosen)
        layout.addLayout(form)

        self.search_edit.textChanged.connect(self.on_search_text_changed)
        self.results.currentItemChanged.connect(self.on_result_current_changed)
        self.tree.itemExpanded.connect(self.on_tree_item_expanded)
        self.tree.currentItemChanged.connect(self.on_tree_current_changed)
        self.role_combo.currentIndexChanged.connect(self.on_role_changed)
        self._fill_tree_roots()
        self.retranslate()

    @property
    def role(self) -> Role:
        return Role.of(self.role_combo.currentData())

    @property
    def level(self) -> int:
        """The division level this role's ledger covers: 5 village, 4 township, 3 county."""
        return ROLE_LEVELS[self.role]

    def on_role_changed(self, _index: int) -> None:
        self.village_code = None
        self.on_search_text_changed(self.search_edit.text())
        self._show_choice()
        self.completeChanged.emit()

    # ---- search -----------------------------------------------------------------------------

    def on_search_text_changed(self, text: str) -> None:
        self.results.clear()
        for village in self.divisions.search(text, level=self.level, limit=SEARCH_LIMIT):
            item = QListWidgetItem(f"{village_caption(self.divisions, village)}  ({village.code})")
            item.setData(CODE_ROLE, village.code)
            self.results.addItem(item)

    def on_result_current_changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.choose(item.data(CODE_ROLE))

    # ---- tree (children are loaded when a node is first opened) -------------------------------

    def _fill_tree_roots(self) -> None:
        for city in self.divisions.children("45"):
            self.tree.addTopLevelItem(self._tree_item(city))

    def _tree_item(self, division: Division) -> QTreeWidgetItem:
        item = QTreeWidgetItem([division.name])
        item.setData(0, CODE_ROLE, division.code)
        if division.level < 5:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def on_tree_item_expanded(self, item: QTreeWidgetItem) -> None:
        if item.data(0, LOADED_ROLE):
            return
        item.setData(0, LOADED_ROLE, True)
        item.addChildren([self._tree_item(d) for d in self.divisions.children(item.data(0, CODE_ROLE))])

    def on_tree_current_changed(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            division = self.divisions.get(item.data(0, CODE_ROLE))
            if division is not None and division.level == self.level:
                self.choose(division.code)

    # ---- choice -----------------------------------------------------------------------------

    def choose(self, code: str) -> None:
        village = self.divisions.get(code)
        if village is None or village.level != self.level:
            return
        self.village_code = code
        self._show_choice()
        self.completeChanged.emit()

    def _show_choice(self) -> None:
        if self.village_code is None:
            self.chosen.setText(self.tr("No village chosen yet.") if self.level == 5 else self.tr("No area chosen yet."))
        else:
            full = self.divisions.full_name(self.village_code)
            text = self.tr("Village: %1 (%2)") if self.level == 5 else self.tr("Area of your ledger: %1 (%2)")
            self.chosen.setText(text.replace("%1", full).replace("%2", self.village_code))

    def isComplete(self) -> bool:
        return self.village_code is not None

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your village"))
        self.setSubTitle(self.tr("Search for the village (村委会 or 社区) by name or by its 12-digit code, or browse the list of Guangxi's divisions."))
        self.search_edit.setPlaceholderText(self.tr("Village name or code, e.g. 新汉 or 450124100201"))
        self.tabs.setTabText(0, self.tr("Search"))
        self.tabs.setTabText(1, self.tr("Browse"))
        self.name_label.setText(self.tr("Your name (recorded with your changes)"))
        self.role_label.setText(self.tr("I work as"))
        language = current_language()
        for index, role in enumerate(ROLE_LEVELS):
            self.role_combo.setItemText(index, role.label.get(language))
        self._show_choice()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class PasswordPage(QWizardPage):
    """The password, typed twice; weak ones are refused with the reason. Creates the ledger."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.first_run = wizard
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit(self)
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel(self)
        self.confirm_label = QLabel(self)
        self.problems = QLabel(self)
        self.problems.setObjectName("errorMessage")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.progress = ProgressPanel(self, cancellable=False)
        form = QFormLayout()
        form.addRow(self.password_label, self.password_edit)
        form.addRow(self.confirm_label, self.confirm_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.password_edit.textChanged.connect(self.on_password_edited)
        self.confirm_edit.textChanged.connect(self.on_password_edited)
        self._creating = False
        self.retranslate()

    def reasons(self) -> list[str]:
        """Why the typed password cannot be used now, in the current language."""
        password, confirm = self.password_edit.text(), self.confirm_edit.text()
        found = [problem.get(current_language()) for problem in password_problems(password)]
        if not found and confirm and confirm != password:
            found.append(self.tr("The two passwords are not the same."))
        return found

    def on_password_edited(self) -> None:
        if self.password_edit.text():
            self.problems.setText("\n".join(self.reasons()))
        else:
            self.problems.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.password_edit.text() and self.confirm_edit.text()) and not self._creating

    def validatePage(self) -> bool:
        if self.first_run.ledger is not None:
            return True
        reasons = self.reasons()
        if not reasons and self.confirm_edit.text() != self.password_edit.text():
            reasons = [self.tr("The two passwords are not the same.")]
        if reasons:
            self.problems.setText("\n".join(reasons))
            return False
        self.start_creating()
        return False  # the wizard moves on when the worker has created the ledger

    def start_creating(self) -> None:
        self._creating = True
        self.completeChanged.emit()
        self.problems.clear()
        self.password_edit.setEnabled(False)
        self.confirm_edit.setEnabled(False)
        job = self.first_run.start_creating(self.password_edit.text())
        job.signals.succeeded.connect(self.on_created)
        job.signals.failed.connect(self.on_create_failed)
        self.progress.watch(job, self.tr("Creating the encrypted ledger…"))

    def on_created(self, _result: object) -> None:
        self._creating = False
        self.password_edit.clear()
        self.confirm_edit.clear()
        self.first_run.next()

    def on_create_failed(self, error: object) -> None:
        self._creating = False
        self.password_edit.setEnabled(True)
        self.confirm_edit.setEnabled(True)
        if isinstance(error, ValidationError):
            text = error.text(current_language())
        elif isinstance(error, LedgerError):
            text = error.message.get(current_language())
        else:
            text = str(error)
        self.problems.setText(text)
        self.completeChanged.emit()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Password"))
        self.setSubTitle(self.tr("The password encrypts the ledger. Choose one you can remember: at least 8 characters, with letters and digits."))
        self.intro.setText(self.tr("Nobody can read the ledger without this password, not even the township. If you forget it, the recovery code shown next still opens it."))
        self.password_label.setText(self.tr("Password"))
        self.confirm_label.setText(self.tr("Password again"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Create the ledger"))
        if self.password_edit.text():
            self.on_password_edited()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class RecoveryPage(QWizardPage):
    """Shows the recovery code once; the user must confirm it was written down."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.first_run = wizard
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.code_label = QLabel(self)
        self.code_label.setObjectName("recoveryCode")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(20)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setStyleSheet("padding: 12px; border: 2px dashed #888; background: #fffbe6;")
        self.print_button = QPushButton(self)
        self.print_status = QLabel(self)
        self.written_check = QCheckBox(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.code_label)
        layout.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.print_status)
        layout.addStretch(1)
        layout.addWidget(self.written_check)
        self.print_button.clicked.connect(self.on_print_clicked)
        self.written_check.toggled.connect(lambda _checked: self.completeChanged.emit())
        self.setFinalPage(True)
        self.retranslate()

    def initializePage(self) -> None:
        self.code_label.setText(self.first_run.recovery_code or "")
        self.written_check.setChecked(False)
        # The ledger exists now: the only way on is to confirm the code (reject() refuses too).
        self.first_run.setOption(QWizard.WizardOption.NoCancelButton, True)

    def isComplete(self) -> bool:
        return self.first_run.ledger is not None and self.written_check.isChecked()

    def nextId(self) -> int:
        return int(PageId.ENROL)  # optional; Finish stays here too (setFinalPage)

    def on_print_clicked(self) -> None:
        code = self.first_run.recovery_code or ""
        village = self.first_run.divisions.full_name(self.first_run.village_page.village_code or "")
        if self.first_run.print_recovery(self, code, village):
            self.print_status.setText(self.tr("Sent to the printer."))

    def retranslate(self) -> None:
        self.setTitle(self.tr("Recovery code"))
        self.intro.setText(self.tr("Write this code on paper (or print it) and keep it locked away, not with the computer. If the password is forgotten, only this code opens the ledger. It is shown only now."))
        self.print_button.setText(self.tr("Print…"))
        self.written_check.setText(self.tr("I have written the recovery code down"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class DemoPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard, demo_path: Path | None, demo_children: int) -> None:
        super().__init__(wizard)
        self.first_run = wizard
        self.panel = DemoLedgerPanel(wizard.workers, demo_path, self, children=demo_children)
        self.panel.ready.connect(self.on_panel_ready)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.retranslate()

    def initializePage(self) -> None:
        self.panel.start()

    def on_panel_ready(self, ledger: object) -> None:
        self.first_run.ledger = ledger if isinstance(ledger, Ledger) else None
        self.first_run.is_demo = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.panel.ledger is not None

    def nextId(self) -> int:
        return -1  # the demo is not enrolled: it never syncs

    def retranslate(self) -> None:
        self.setTitle(self.tr("Demo ledger"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class FirstRunWizard(QWizard):
    """Creates the ledger at `ledger_path` (or opens the demo); emits `ledger_created` on Finish.

    `print_recovery` is injected so tests can answer it without a printer.
    """

    ledger_created = Signal(object)

    def __init__(
        self,
        ledger_path: Path,
        workers: Workers,
        parent: QWidget | None = None,
        *,
        print_recovery: PrintRecovery = print_recovery_code,
        divisions: Divisions | None = None,
        demo_path: Path | None = None,
        demo_children: int | None = None,
    ) -> None:
        super().__init__(parent)
        from .demo import DEMO_CHILDREN

        self.ledger_path = Path(ledger_path)
        self.workers = workers
        self.print_recovery = print_recovery
        self.divisions = divisions or load_divisions()
        self.ledger: Ledger | None = None
        self.recovery_code: str | None = None
        self.is_demo = False
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.welcome_page = WelcomePage(self)
        self.village_page = VillagePage(self.divisions, self)
        self.password_page = PasswordPage(self)
        self.recovery_page = RecoveryPage(self)
        self.demo_page = DemoPage(self, demo_path, demo_children or DEMO_CHILDREN)
        self.setPage(PageId.WELCOME, self.welcome_page)
        self.setPage(PageId.VILLAGE, self.village_page)
        self.setPage(PageId.PASSWORD, self.password_page)
        self.setPage(PageId.RECOVERY, self.recovery_page)
        self.setPage(PageId.DEMO, self.demo_page)
        self.enrol_page = EnrolWizardPage(self)
        self.setPage(PageId.ENROL, self.enrol_page)
        self.setStartId(PageId.WELCOME)
        self.resize(720, 560)
        self.retranslate()

    def start_creating(self, password: str) -> Job:
        path = self.ledger_path
        village = self.village_page.village_code or ""
        role = self.village_page.role
        user = self.village_page.name_edit.text().strip()

        def create(*, progress: object, cancel: object) -> tuple[Ledger, str]:
            return Ledger.create(path, password=password, village_code=village, role=role, user_name=user)

        job = self.workers.run(create, name="create-ledger")
        job.signals.succeeded.connect(self.on_ledger_created_in_worker)
        return job

    def on_ledger_created_in_worker(self, result: object) -> None:
        ledger, code = cast(tuple[Ledger, str], result)
        self.ledger = ledger
        self.recovery_code = code

    def accept(self) -> None:
        if self.ledger is None:
            return
        super().accept()
        self.ledger_created.emit(self.ledger)

    def reject(self) -> None:
        if self.ledger is not None and not self.is_demo:
            # The ledger exists: leaving before the recovery code is confirmed would lose the
            # code, and leaving after it is simply finishing.
            if self.recovery_page.isComplete():
                self.accept()
            return
        super().reject()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up the Children's Care Ledger"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
