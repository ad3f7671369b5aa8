"""One child's file (一人一档): identity, family, care, categories, health, benefits, attachments, history."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import rules
from ...domain.divisions import load_divisions
from ...domain.enums import (
    Assistance,
    CareType,
    Category,
    DisabilityKind,
    ExitReason,
    GuardianshipLevel,
    GuardianshipType,
    HealthStatus,
    IncomeSource,
    LabeledEnum,
    OrphanCare,
    ParentCondition,
    Schooling,
    Sex,
    VisitCheck,
    VisitMode,
)
from ...domain.errors import ValidationError
from ...domain.ethnicity import ETHNICITIES
from ...domain.labels import field_label
from ...domain.validators import parse_date, parse_id_number
from ...ledger import ChildFile, Ledger
from ..dialogs.child_archive import ArchiveChildDialog
from ..dialogs.child_attachment import AttachmentViewer
from ..dialogs.visit_form import ParentContactForm, VisitForm
from ..widgets.background import write_in_background
from ..widgets.forms import INVALID_STYLE, FormFields, current_language
from ..workers import Workers

if TYPE_CHECKING:
    from ..dialogs.print_file import PrintFileAction

OpenFileFn = Callable[[QWidget], str | None]


class _StagedError(Exception):
    """A ValidationError with the part of the form it belongs to ("father.", "benefit.", ...)."""

    def __init__(self, error: ValidationError, stage: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.stage = stage

CHILD_FIELDS = (
    "name", "id_number", "sex", "birth_date", "ethnicity", "hukou_registered", "hukou_address", "address",
    "categories", "orphan_care", "guardianship_type", "health", "disability_kind", "disability_grade", "illness",
    "schooling", "boarding", "school_name", "income_sources", "assistance", "notes",
)  # fmt: skip
PARENT_FIELDS = ("name", "id_number", "phone", "condition", "work_province", "work_city")
CARE_FIELDS = (
    "care_type", "caregiver_name", "caregiver_id_number", "caregiver_phone", "caregiver_relation",
    "caregiver_address", "notice_given", "disqualifications_checked", "start_date",
)  # fmt: skip
_ENTITY_NAMES = {
    "child": ("儿童", "Child"),
    "family_member": ("家庭成员", "Family"),
    "care_arrangement": ("照护", "Care"),
    "visit": ("走访", "Visit"),
    "parent_contact": ("家长联系", "Parent contact"),
    "assessment": ("监护评估", "Assessment"),
    "benefit": ("补贴", "Benefit"),
    "attachment": ("附件", "Attachment"),
    "case": ("个案", "Case"),
}


def choose_file(parent: QWidget) -> str | None:
    """The default file picker for attachments: photos and scans."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Add a photo or a scanned document"),
        str(Path.home()),
        parent.tr("Images and scans (*.png *.jpg *.jpeg *.bmp *.pdf);;All files (*)"),
    )
    return path or None


def enum_combo(enum_cls: type[LabeledEnum], language: str, *, blank: bool = True) -> QComboBox:
    combo = QComboBox()
    if blank:
        combo.addItem("—", "")
    for member in enum_cls:
        combo.addItem(member.label.get(language), member.value)
    return combo


def bool_combo(language: str) -> QComboBox:
    combo = QComboBox()
    en = language.startswith("en")
    combo.addItem("—", None)
    combo.addItem("Yes" if en else "是", True)
    combo.addItem("No" if en else "否", False)
    return combo


def set_combo(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class CodeChecks(QWidget):
    """A grid of checkboxes for a multi-valued code list (categories, income, assistance)."""

    def __init__(self, enum_cls: type[LabeledEnum], language: str, columns: int = 2) -> None:
        super().__init__()
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for position, member in enumerate(enum_cls):
            box = QCheckBox(member.label.get(language))
            box.setObjectName(f"code_{member.value}")
            self.boxes[member.value] = box
            grid.addWidget(box, position // columns, position % columns)

    def values(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_values(self, values: list[str] | tuple[str, ...] | None) -> None:
        chosen = set(values or ())
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)


class ChildFilePage(QWidget):
    """Shows and edits one child's file; `load(child_id)` or `new()` first."""

    saved = Signal(str)  # child id
    save_failed = Signal(object)  # the exception; every input stays as typed
    changed = Signal(str)  # a benefit or an attachment was added
    archived = Signal(str)
    closed = Signal()
    visit_saved = Signal(str)

    def __init__(
        self,
        ledger: Ledger,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        open_file: OpenFileFn | None = None,
        workers: Workers | None = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.workers = workers or Workers()
        self.saving = False
        self.language = language or current_language()
        self.open_file = open_file or choose_file
        self.child_id: str | None = None
        self.file: ChildFile | None = None
        self.fields = FormFields()
        self.archive_dialog: ArchiveChildDialog | None = None
        self.visit_form: VisitForm | None = None
        self.contact_form: ParentContactForm | None = None
        self.viewer: AttachmentViewer | None = None
        self.setStyleSheet(INVALID_STYLE)
        self._editors: dict[str, QWidget] = {}

        self.back_button = QPushButton(self.tr("← Back to list"))
        self.title = QLabel()
        self.title.setObjectName("child_title")
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.status = QLabel()
        self.status.setProperty("role", "hint")
        self.visit_button = QPushButton(self.tr("Record visit"))
        self.archive_button = QPushButton(self.tr("Archive…"))
        self.print_button = QPushButton(self.tr("Print file…"))
        self.print_button.setObjectName("print_child_file")
        self.print_action: PrintFileAction | None = None  # made on first use; tests may set their own
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save_child")
        self.save_button.setDefault(True)
        self.save_button.setShortcut("Ctrl+S")
        self.message = QLabel()
        self.message.setObjectName("child_message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addSpacing(12)
        header.addWidget(self.title)
        header.addWidget(self.status)
        header.addStretch(1)
        header.addWidget(self.visit_button)
        header.addWidget(self.print_button)
        header.addWidget(self.archive_button)
        header.addWidget(self.save_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._scroll(self._basic_tab()), self.tr("Basic information"))
        self.tabs.addTab(self._scroll(self._family_tab()), self.tr("Family and care"))
        self.tabs.addTab(self._visits_tab(), self.tr("Visits and contacts"))
        self.tabs.addTab(self._benefits_tab(), self.tr("Benefits"))
        self.tabs.addTab(self._attachments_tab(), self.tr("Attachments"))
        self.tabs.addTab(self._history_tab(), self.tr("History"))

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.back_button.clicked.connect(self.closed)
        self.save_button.clicked.connect(self.save)
        self.archive_button.clicked.connect(self.on_archive_clicked)
        self.print_button.clicked.connect(self.print_file)
        self.visit_button.clicked.connect(self.open_visit_form)
        self.id_number.textChanged.connect(self.on_id_number_changed)
        self.id_number.editingFinished.connect(self.on_id_number_finished)
        for box in self.categories.boxes.values():
            box.toggled.connect(self.explain_categories)
        for combo in (self.health, self.care_type, self.father_condition, self.mother_condition):
            combo.currentIndexChanged.connect(self.explain_categories)
        self.birth_date.editingFinished.connect(self.explain_categories)
        for name, editor in self.fields.editors.items():
            self._connect_clear(name, editor)
        self.new()

    # ---- building the sections --------------------------------------------------------------

    def _label(self, field: str, entity: str = "child") -> str:
        return field_label(field, entity).get(self.language)

    def _add(self, form: QFormLayout, key: str, editor: QWidget, *, label: str | None = None, entity: str = "child") -> None:
        field = key.rsplit(".", 1)[-1]
        editor.setObjectName(key.replace(".", "_"))
        form.addRow(label or self._label(field, entity), self.fields.add(key, editor))

    def _scroll(self, inner: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidget(inner)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        return area

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _basic_tab(self) -> QWidget:
        """Identity and categories above, health, schooling and family economy below."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(self._identity_section())
        layout.addLayout(self._health_section())
        layout.addStretch(1)
        return page

    def _identity_section(self) -> QHBoxLayout:
        lang = self.language
        columns = QHBoxLayout()
        identity_box = QGroupBox(self.tr("Identity"))
        left = self._form()
        identity_box.setLayout(left)
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(22)
        self.id_number.setPlaceholderText(self.tr("18 characters; fills in birth date and sex"))
        self.sex = enum_combo(Sex, lang)
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText("YYYY-MM-DD")
        self.ethnicity = QComboBox()
        self.ethnicity.addItem("—", "")
        for code, label in ETHNICITIES.items():
            self.ethnicity.addItem(label.get(lang), code)
        self.hukou_registered = bool_combo(lang)
        self.hukou_address = QLineEdit()
        self.address = QLineEdit()
        for key, editor in (
            ("name", self.name),
            ("id_number", self.id_number),
            ("sex", self.sex),
            ("birth_date", self.birth_date),
            ("ethnicity", self.ethnicity),
            ("hukou_registered", self.hukou_registered),
            ("hukou_address", self.hukou_address),
            ("address", self.address),
        ):
            self._add(left, key, editor)
        # A township or county ledger holds many villages: the child's village is chosen here.
        self.village = QComboBox()
        self.village.setEditable(False)
        self.choose_village = len(self.ledger.village_code) < 12
        if self.choose_village:
            self.village.addItem("—", "")
            divisions = load_divisions()
            for division in divisions.under(self.ledger.village_code, level=5):
                township = divisions.township_of(division.code)
                prefix = f"{township.name} " if township is not None and len(self.ledger.village_code) < 9 else ""
                self.village.addItem(prefix + division.name, division.code)
            self._add(left, "division_code", self.village, label=field_label("village_code").get(self.language))
        self.id_hint = QLabel()
        self.id_hint.setProperty("role", "hint")
        left.addRow("", self.id_hint)

        right = QVBoxLayout()
        category_box = QGroupBox(self._label("categories"))
        category_layout = QVBoxLayout(category_box)
        self.categories = CodeChecks(Category, lang, columns=1)
        category_layout.addWidget(self.fields.add("categories", self.categories))
        self.category_hint = QLabel()
        self.category_hint.setObjectName("category_hint")
        self.category_hint.setWordWrap(True)
        self.category_hint.setStyleSheet("color: #9a5b00;")
        self.category_hint.setVisible(False)
        category_layout.addWidget(self.category_hint)
        extra = self._form()
        self.orphan_care = enum_combo(OrphanCare, lang)
        self.guardianship_type = enum_combo(GuardianshipType, lang)
        self._add(extra, "orphan_care", self.orphan_care)
        self._add(extra, "guardianship_type", self.guardianship_type)
        category_layout.addLayout(extra)
        right.addWidget(category_box)
        right.addStretch(1)
        columns.addWidget(identity_box, 1)
        columns.addLayout(right, 1)
        return columns

    def _health_section(self) -> QHBoxLayout:
        lang = self.language
        columns = QHBoxLayout()
        health_box = QGroupBox(self.tr("Health and schooling"))
        left = self._form()
        health_box.setLayout(left)
        self.health = enum_combo(HealthStatus, lang)
        self.disability_kind = enum_combo(DisabilityKind, lang)
        self.disability_grade = QComboBox()
        self.disability_grade.addItem("—", None)
        for grade in range(1, 5):
            self.disability_grade.addItem(self.tr("Grade %1").replace("%1", str(grade)), grade)
        self.illness = QLineEdit()
        self.schooling = enum_combo(Schooling, lang)
        self.boarding = bool_combo(lang)
        self.school_name = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(64)
        for key, editor in (
            ("health", self.health),
            ("disability_kind", self.disability_kind),
            ("disability_grade", self.disability_grade),
            ("illness", self.illness),
            ("schooling", self.schooling),
            ("boarding", self.boarding),
            ("school_name", self.school_name),
            ("notes", self.notes),
        ):
            self._add(left, key, editor)
        right = QVBoxLayout()
        income_box = QGroupBox(self._label("income_sources"))
        self.income_sources = CodeChecks(IncomeSource, lang, columns=3)
        QVBoxLayout(income_box).addWidget(self.fields.add("income_sources", self.income_sources))
        assistance_box = QGroupBox(self._label("assistance"))
        self.assistance = CodeChecks(Assistance, lang, columns=2)
        QVBoxLayout(assistance_box).addWidget(self.fields.add("assistance", self.assistance))
        right.addWidget(income_box)
        right.addWidget(assistance_box)
        right.addStretch(1)
        columns.addWidget(health_box, 1)
        columns.addLayout(right, 1)
        return columns

    def _parent_box(self, relation: str) -> QGroupBox:
        lang = self.language
        box = QGroupBox(field_label(relation).get(lang))
        form = self._form()
        name, id_number, phone = QLineEdit(), QLineEdit(), QLineEdit()
        condition = enum_combo(ParentCondition, lang)
        province, city = QLineEdit(), QLineEdit()
        for field, editor in (
            ("name", name),
            ("id_number", id_number),
            ("phone", phone),
            ("condition", condition),
            ("work_province", province),
            ("work_city", city),
        ):
            label = field_label(field).get(lang) if field != "condition" else field_label("condition", "family_member").get(lang)
            self._add(form, f"{relation}.{field}", editor, label=label)
            self._editors[f"{relation}.{field}"] = editor
        box.setLayout(form)
        return box

    def _family_tab(self) -> QWidget:
        lang = self.language
        page = QWidget()
        layout = QVBoxLayout(page)
        parents = QHBoxLayout()
        parents.addWidget(self._parent_box("father"))
        parents.addWidget(self._parent_box("mother"))
        father_condition, mother_condition = self._editors["father.condition"], self._editors["mother.condition"]
        assert isinstance(father_condition, QComboBox) and isinstance(mother_condition, QComboBox)
        self.father_condition: QComboBox = father_condition
        self.mother_condition: QComboBox = mother_condition
        layout.addLayout(parents)
        care_box = QGroupBox(self.tr("Care arrangement and entrusted caregiver"))
        columns = QHBoxLayout(care_box)
        left, right = self._form(), self._form()
        self.care_type = enum_combo(CareType, lang)
        self.caregiver_name = QLineEdit()
        self.caregiver_id_number = QLineEdit()
        self.caregiver_phone = QLineEdit()
        self.caregiver_relation = QLineEdit()
        self.caregiver_address = QLineEdit()
        self.notice_given = QCheckBox(self._label("notice_given", "care_arrangement"))
        self.disqualifications_checked = QCheckBox(self._label("disqualifications_checked", "care_arrangement"))
        self.care_start = QLineEdit()
        self.care_start.setPlaceholderText("YYYY-MM-DD")
        for key, editor in (
            ("care_type", self.care_type),
            ("caregiver_name", self.caregiver_name),
            ("caregiver_id_number", self.caregiver_id_number),
            ("caregiver_phone", self.caregiver_phone),
        ):
            self._add(left, key, editor, entity="care_arrangement")
        for key, editor in (
            ("caregiver_relation", self.caregiver_relation),
            ("caregiver_address", self.caregiver_address),
            ("start_date", self.care_start),
        ):
            self._add(right, key, editor, entity="care_arrangement")
        right.addRow("", self.fields.add("notice_given", self.notice_given))
        right.addRow("", self.fields.add("disqualifications_checked", self.disqualifications_checked))
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout.addWidget(care_box)
        layout.addStretch(1)
        return page

    def _table(self, headers: list[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _visits_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        visits_header = QHBoxLayout()
        visits_header.addWidget(QLabel(self.tr("Visits")))
        visits_header.addStretch(1)
        record_visit = QPushButton(self.tr("Record visit"))
        record_visit.clicked.connect(self.open_visit_form)
        visits_header.addWidget(record_visit)
        layout.addLayout(visits_header)
        label = self._label
        self.visits_table = self._table(
            [label("visit_date", "visit"), label("mode", "visit"), label("visitor", "visit"),
             label("guardianship_level", "visit"), label("next_due", "visit"), label("findings", "visit")],
            "visits_table",
        )  # fmt: skip
        layout.addWidget(self.visits_table, 2)
        contacts_header = QHBoxLayout()
        contacts_header.addWidget(QLabel(self.tr("Parent contacts (at least weekly for left-behind children)")))
        contacts_header.addStretch(1)
        self.contact_button = QPushButton(self.tr("Record parent contact"))
        self.contact_button.clicked.connect(self.open_contact_form)
        contacts_header.addWidget(self.contact_button)
        layout.addLayout(contacts_header)
        self.contacts_table = self._table(
            [label("contact_date", "parent_contact"), label("parent", "parent_contact"),
             label("mode", "parent_contact"), label("notes", "parent_contact")],
            "contacts_table",
        )  # fmt: skip
        layout.addWidget(self.contacts_table, 1)
        return page

    def _benefits_tab(self) -> QWidget:
        lang = self.language
        page = QWidget()
        layout = QVBoxLayout(page)
        label = self._label
        self.benefits_table = self._table(
            [label("kind", "benefit"), label("amount_monthly", "benefit"), label("start_month", "benefit"),
             label("end_month", "benefit"), label("notes", "benefit")],
            "benefits_table",
        )  # fmt: skip
        layout.addWidget(self.benefits_table, 1)
        add_box = QGroupBox(self.tr("Add a benefit"))
        form = QHBoxLayout(add_box)
        self.benefit_kind = enum_combo(Assistance, lang, blank=False)
        self.benefit_amount = QLineEdit()
        self.benefit_amount.setPlaceholderText(label("amount_monthly", "benefit"))
        self.benefit_start = QLineEdit()
        self.benefit_start.setPlaceholderText(self.tr("First month YYYY-MM"))
        self.benefit_end = QLineEdit()
        self.benefit_end.setPlaceholderText(self.tr("Last month (optional)"))
        self.benefit_fields = FormFields()
        for key, editor in (
            ("kind", self.benefit_kind),
            ("amount_monthly", self.benefit_amount),
            ("start_month", self.benefit_start),
            ("end_month", self.benefit_end),
        ):
            form.addWidget(self.benefit_fields.add(key, editor), 1)
        add_benefit = QPushButton(self.tr("Add"))
        add_benefit.clicked.connect(self.add_benefit)
        form.addWidget(add_benefit, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(add_box)
        return page

    def _attachments_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        label = self._label
        self.attachments_table = self._table(
            [label("filename", "attachment"), label("kind", "attachment"), label("size", "attachment"), label("caption", "attachment")],
            "attachments_table",
        )
        self.attachments_table.doubleClicked.connect(lambda index: self.view_attachment(index.row()))
        layout.addWidget(self.attachments_table, 1)
        buttons = QHBoxLayout()
        self.attachment_caption = QLineEdit()
        self.attachment_caption.setPlaceholderText(self.tr("Caption, e.g. signed care agreement"))
        self.attachment_kind = QComboBox()
        for code, zh, en in (("photo", "照片", "Photo"), ("agreement", "委托照护协议", "Care agreement"), ("scan", "扫描件", "Scan")):
            self.attachment_kind.addItem(en if self.language.startswith("en") else zh, code)
        add = QPushButton(self.tr("Add photo or scan…"))
        add.setObjectName("add_attachment")
        add.clicked.connect(self.add_attachment)
        view = QPushButton(self.tr("View"))
        view.clicked.connect(lambda: self.view_attachment(self.attachments_table.currentRow()))
        buttons.addWidget(self.attachment_kind)
        buttons.addWidget(self.attachment_caption, 1)
        buttons.addWidget(add)
        buttons.addWidget(view)
        layout.addLayout(buttons)
        self.attachment_error = QLabel()
        self.attachment_error.setProperty("role", "error")
        layout.addWidget(self.attachment_error)
        return page

    def _history_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.history_table = self._table(
            [self.tr("When"), self.tr("Who"), self.tr("Record"), self.tr("Field"), self.tr("Old value"), self.tr("New value")],
            "history_table",
        )
        layout.addWidget(self.history_table)
        return page

    def _connect_clear(self, name: str, editor: QWidget) -> None:
        # An error disappears as soon as the user edits its field; what was typed is never touched.
        def clear(*_: Any) -> None:
            self.fields.clear(name)

        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(clear)
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(clear)
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(clear)
        elif isinstance(editor, QCheckBox):
            editor.toggled.connect(clear)
        elif isinstance(editor, CodeChecks):
            for box in editor.boxes.values():
                box.toggled.connect(clear)

    # ---- loading ----------------------------------------------------------------------------

    def new(self) -> None:
        """An empty form for a new child."""
        self.child_id = None
        self.file = None
        self._clear_form()
        self.title.setText(self.tr("New child file"))
        self.status.setText("")
        self.visit_button.setEnabled(False)
        self.archive_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.contact_button.setEnabled(False)
        for index in range(2, self.tabs.count()):  # visits, benefits, ... need a saved child
            self.tabs.setTabEnabled(index, False)
        self.tabs.setCurrentIndex(0)
        self.name.setFocus()

    def load(self, child_id: str) -> None:
        self.child_id = child_id
        self._clear_form()
        self.refresh()
        self.tabs.setCurrentIndex(0)

    def refresh(self) -> None:
        """Reload the file from the ledger (after a save, a visit, an attachment)."""
        assert self.child_id is not None
        file = self.ledger.child_file(self.child_id)
        self.file = file
        child = file.child
        self.title.setText(child.name)
        self._show_status()
        for index in range(self.tabs.count()):
            self.tabs.setTabEnabled(index, True)
        self.visit_button.setEnabled(not child.archived)
        self.contact_button.setEnabled(not child.archived)
        self.archive_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.archive_button.setText(self.tr("Restore") if child.archived else self.tr("Archive…"))
        self.name.setText(child.name)
        self.id_number.setText(child.id_number)
        set_combo(self.sex, child.sex if child.sex != "0" else "")
        self.birth_date.setText(_text(child.birth_date))
        set_combo(self.ethnicity, child.ethnicity)
        if self.choose_village:
            set_combo(self.village, child.division_code)
        set_combo(self.hukou_registered, child.hukou_registered)
        self.hukou_address.setText(child.hukou_address)
        self.address.setText(child.address)
        self.categories.set_values(child.categories)
        set_combo(self.orphan_care, child.orphan_care)
        set_combo(self.guardianship_type, child.guardianship_type)
        set_combo(self.health, child.health)
        set_combo(self.disability_kind, child.disability_kind)
        set_combo(self.disability_grade, child.disability_grade)
        self.illness.setText(child.illness)
        set_combo(self.schooling, child.schooling)
        set_combo(self.boarding, child.boarding)
        self.school_name.setText(child.school_name)
        self.income_sources.set_values(child.income_sources)
        self.assistance.set_values(child.assistance)
        self.notes.setPlainText(child.notes)
        for relation, member in (("father", file.father), ("mother", file.mother)):
            for field in PARENT_FIELDS:
                editor = self._editors[f"{relation}.{field}"]
                value = getattr(member, field) if member is not None else ""
                if isinstance(editor, QComboBox):
                    set_combo(editor, value)
                else:
                    assert isinstance(editor, QLineEdit)
                    editor.setText(_text(value))
        care = file.care
        set_combo(self.care_type, care.care_type if care else "")
        for field in ("caregiver_name", "caregiver_id_number", "caregiver_phone", "caregiver_relation", "caregiver_address"):
            editor = getattr(self, field)
            editor.setText(getattr(care, field) if care else "")
        self.notice_given.setChecked(bool(care and care.notice_given))
        self.disqualifications_checked.setChecked(bool(care and care.disqualifications_checked))
        self.care_start.setText(_text(care.start_date) if care else "")
        self._fill_lists(file)
        self.fields.clear()
        self.explain_categories()

    def _show_status(self) -> None:
        assert self.file is not None
        child = self.file.child
        lang = self.language
        parts = []
        if child.archived:
            reason = ExitReason.of(child.exit_reason).label.get(lang) if child.exit_reason else ""
            parts.append(self.tr("Archived %1 (%2)").replace("%1", _text(child.exit_date)).replace("%2", reason))
        elif child.next_visit_due:
            parts.append(self.tr("Next visit due %1").replace("%1", child.next_visit_due.isoformat()))
        if child.guardianship_level:
            parts.append(GuardianshipLevel.of(child.guardianship_level).label.get(lang))
        self.status.setText(" · ".join(parts))

    def _fill(self, table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))

    def _fill_lists(self, file: ChildFile) -> None:
        lang = self.language

        def label(enum_cls: type[LabeledEnum], code: str) -> str:
            member = enum_cls._value2member_map_.get(code)
            return member.label.get(lang) if isinstance(member, LabeledEnum) else code

        self._fill(
            self.visits_table,
            [
                [_text(v.visit_date), label(VisitMode, v.mode), v.visitor, label(GuardianshipLevel, v.guardianship_level),
                 _text(v.next_due), v.findings.replace("\n", " ")]
                for v in file.visits
            ],
        )  # fmt: skip
        self._fill(
            self.contacts_table,
            [[_text(c.contact_date), field_label(c.parent).get(lang), label(VisitMode, c.mode), c.notes] for c in file.contacts],
        )
        self._fill(
            self.benefits_table,
            [
                [label(Assistance, b.kind), f"{b.amount_monthly:,.2f}" if b.amount_monthly is not None else "", b.start_month,
                 b.end_month, b.notes]
                for b in file.benefits
            ],
        )  # fmt: skip
        self._fill(
            self.attachments_table,
            [[a.filename, self.attachment_kind.itemText(max(0, self.attachment_kind.findData(a.kind))), f"{(a.size or 0) // 1024 + 1} KB", a.caption]
             for a in file.attachments],
        )  # fmt: skip
        assert self.child_id is not None
        entries = self.ledger.history("child", self.child_id)
        rows = []
        for entry in reversed(entries):
            if entry.field in ("division_code", "child_id"):
                continue
            names = _ENTITY_NAMES.get(entry.entity, (entry.entity, entry.entity))
            rows.append(
                [
                    datetime.fromtimestamp(entry.at_ms / 1000).strftime("%Y-%m-%d %H:%M"),
                    entry.actor,
                    names[1] if lang.startswith("en") else names[0],
                    field_label(entry.field, entry.entity).get(lang),
                    _history_value(entry.old, entry.entity, entry.field, lang),
                    _history_value(entry.new, entry.entity, entry.field, lang),
                ]
            )
        self._fill(self.history_table, rows)

    def _clear_form(self) -> None:
        self.fields.clear()
        self.message.setVisible(False)
        for editor in self.fields.editors.values():
            if isinstance(editor, QLineEdit):
                editor.clear()
            elif isinstance(editor, QPlainTextEdit):
                editor.clear()
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(0)
            elif isinstance(editor, QCheckBox):
                editor.setChecked(False)
            elif isinstance(editor, CodeChecks):
                editor.set_values([])
        self.id_hint.clear()
        self.category_hint.setVisible(False)
        for table in (self.visits_table, self.contacts_table, self.benefits_table, self.attachments_table, self.history_table):
            table.setRowCount(0)

    # ---- live checks ------------------------------------------------------------------------

    def on_id_number_changed(self, text: str) -> None:
        compact = "".join(text.split())
        self.id_hint.clear()
        if len(compact) < 18:
            return  # still typing: judge it when it is complete or when the field is left
        self.on_id_number_finished()

    def on_id_number_finished(self) -> None:
        compact = "".join(self.id_number.text().split())
        if not compact:
            self.fields.clear("id_number")
            return
        try:
            parsed = parse_id_number(compact)
        except ValidationError as exc:
            self.fields.show_error("id_number", exc.message.get(self.language))
            return
        self.fields.clear("id_number")
        # A valid number carries the birth date and sex: fill them in, and say so.
        self.birth_date.setText(parsed.birth_date.isoformat())
        set_combo(self.sex, parsed.sex.value)
        self.fields.clear("birth_date")
        self.fields.clear("sex")
        self.id_hint.setText(
            self.tr("Born %1, %2 (from the ID number)")
            .replace("%1", parsed.birth_date.isoformat())
            .replace("%2", parsed.sex.label.get(self.language))
        )
        self.explain_categories()

    def explain_categories(self) -> None:
        """Say why a chosen category does not fit what the form knows; saving would be refused."""
        chosen = self.categories.values()
        if not chosen:
            self.category_hint.setVisible(False)
            return
        try:
            birth = parse_date(self.birth_date.text(), field="birth_date") if self.birth_date.text().strip() else None
        except ValidationError:
            birth = None
        if birth is None:
            self.category_hint.setVisible(False)
            return

        def member(enum_cls: Any, combo: QComboBox) -> Any:
            code = combo.currentData()
            return enum_cls(code) if code else None

        problems = rules.eligibility_problems(
            chosen,
            birth_date=birth,
            on=date.today(),
            father=member(ParentCondition, self.father_condition),
            mother=member(ParentCondition, self.mother_condition),
            health=member(HealthStatus, self.health),
            care_type=member(CareType, self.care_type),
        )
        self.category_hint.setText("\n".join("• " + p.message.get(self.language) for p in problems))
        self.category_hint.setVisible(bool(problems))

    # ---- saving -----------------------------------------------------------------------------

    def child_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in CHILD_FIELDS:
            editor = self.fields.editors[field]
            if isinstance(editor, QLineEdit):
                values[field] = editor.text()
            elif isinstance(editor, QPlainTextEdit):
                values[field] = editor.toPlainText()
            elif isinstance(editor, QComboBox):
                values[field] = editor.currentData()
            elif isinstance(editor, CodeChecks):
                values[field] = editor.values()
        # Left empty, these come from the ID number (the ledger fills them in).
        if not values["sex"]:
            values.pop("sex")
        if not values["birth_date"].strip():
            values.pop("birth_date")
        if self.choose_village and self.village.currentData():
            values["division_code"] = self.village.currentData()
        return values

    def parent_values(self, relation: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in PARENT_FIELDS:
            editor = self._editors[f"{relation}.{field}"]
            values[field] = editor.currentData() if isinstance(editor, QComboBox) else editor.text()  # type: ignore[attr-defined]
        return values

    def care_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "care_type": self.care_type.currentData(),
            "notice_given": self.notice_given.isChecked(),
            "disqualifications_checked": self.disqualifications_checked.isChecked(),
            "start_date": self.care_start.text(),
        }
        for field in ("caregiver_name", "caregiver_id_number", "caregiver_phone", "caregiver_relation", "caregiver_address"):
            values[field] = getattr(self, field).text()
        return values

    def save(self) -> None:
        """Write the whole form in one transaction on the write thread.

        On a ValidationError the field is marked and every input stays as typed (`save_failed`);
        on success the file is reloaded (`saved`).
        """
        if self.saving:
            return
        self.fields.clear()
        self.message.setVisible(False)
        ledger = self.ledger
        child_values = self.child_values()
        parents = {relation: self.parent_values(relation) for relation in ("father", "mother")}
        care = self.care_values()
        care_known = any(value for key, value in care.items() if key not in ("notice_given", "disqualifications_checked"))
        known_child = self.child_id
        existing = {
            "father": self.file is not None and self.file.father is not None,
            "mother": self.file is not None and self.file.mother is not None,
        }
        care_exists = self.file is not None and self.file.care is not None

        def write() -> str:
            stage = ""
            try:
                with ledger.unit_of_work():
                    child_id = known_child or ledger.create_child(**child_values).id
                    for relation, values in parents.items():
                        if any(values.values()) or existing[relation]:
                            stage = f"{relation}."
                            ledger.set_parent(child_id, relation, **values)
                    stage = ""
                    if care_known or care_exists:
                        ledger.set_care(child_id, **care)
                    # Last, so that eligibility is judged with the parents and care just entered.
                    ledger.update_child(child_id, **child_values)
            except ValidationError as exc:
                raise _StagedError(exc, stage) from exc
            return child_id

        self._write(write, self._on_saved)

    def _write(self, write: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.saving = True
        self.save_button.setEnabled(False)

        def succeeded(result: Any) -> None:
            self.saving = False
            self.save_button.setEnabled(True)
            done(result)

        def failed(error: Exception) -> None:
            self.saving = False
            self.save_button.setEnabled(True)
            if isinstance(error, _StagedError):
                self._show_error(error.error, error.stage)
            elif isinstance(error, ValidationError):
                self._show_error(error, "")
            else:
                self._show_message(str(error), error=True)
            self.save_failed.emit(error)

        write_in_background(self, self.workers, write, succeeded, failed)

    def _on_saved(self, child_id: str) -> None:
        self.child_id = child_id
        self.refresh()
        self._show_message(self.tr("Saved."), error=False)
        self.saved.emit(child_id)

    def _show_error(self, error: ValidationError, stage: str) -> None:
        if stage == "benefit.":
            if not self.benefit_fields.show_validation(error, self.language):
                self._show_message(error.text(self.language), error=True)
            return
        if stage == "attachment.":
            self.attachment_error.setText(error.text(self.language))
            return
        shown = self.fields.show_validation(error, self.language, prefix=stage)
        if shown:
            key = f"{stage}{error.field}" if f"{stage}{error.field}" in self.fields.editors else f"{stage}{error.field.rsplit('.', 1)[-1]}"
            self._reveal(self.fields.editors[key])
        self._show_message(error.text(self.language), error=True)

    def _reveal(self, editor: QWidget) -> None:
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if tab is not None and tab.isAncestorOf(editor):
                self.tabs.setCurrentIndex(index)
                break
        editor.setFocus()

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "color: #1e6b34;")
        self.message.setVisible(True)

    # ---- actions ----------------------------------------------------------------------------

    def print_file(self) -> None:
        """打印档案: the saved file as an A4 PDF, written in a worker (ui/dialogs/print_file.py)."""
        if self.child_id is None or self.file is None:
            return
        if self.print_action is None:
            # Imported here: the PDF writer pulls in reportlab and openpyxl, ~0.6 s at start-up.
            from ..dialogs.print_file import PrintFileAction

            self.print_action = PrintFileAction(self.ledger, self.workers, self, language=self.language)
        self.print_action.start(self.child_id, self.file.child.name)

    def on_archive_clicked(self) -> None:
        if self.child_id is None or self.file is None:
            return
        if self.file.child.archived:
            ledger, child_id = self.ledger, self.child_id
            self._write(lambda: ledger.restore_child(child_id), lambda _child: self._on_archived(child_id))
            return
        self.archive_dialog = ArchiveChildDialog(self.ledger, self.child_id, self, language=self.language, workers=self.workers)
        self.archive_dialog.child_archived.connect(self._on_archived)
        self.archive_dialog.open()

    def _on_archived(self, child_id: str) -> None:
        self.refresh()
        self.archived.emit(child_id)

    def open_visit_form(self) -> None:
        if self.child_id is None:
            return
        self.visit_form = VisitForm(self.ledger, self.child_id, self, language=self.language, workers=self.workers)
        self.visit_form.visit_saved.connect(self._on_visit_saved)
        self.visit_form.open()

    def _on_visit_saved(self, child_id: str) -> None:
        self.refresh()
        self.visit_saved.emit(child_id)

    def open_contact_form(self) -> None:
        if self.child_id is None:
            return
        self.contact_form = ParentContactForm(self.ledger, self.child_id, self, language=self.language, workers=self.workers)
        self.contact_form.contact_saved.connect(self._on_visit_saved)
        self.contact_form.open()

    def add_benefit(self) -> None:
        if self.child_id is None or self.saving:
            return
        self.benefit_fields.clear()
        ledger, child_id = self.ledger, self.child_id
        values: dict[str, Any] = {
            "kind": self.benefit_kind.currentData(),
            "amount_monthly": self.benefit_amount.text() or None,
            "start_month": self.benefit_start.text(),
            "end_month": self.benefit_end.text() or None,
        }

        def done(_benefit: Any) -> None:
            for editor in (self.benefit_amount, self.benefit_start, self.benefit_end):
                editor.clear()
            self.refresh()
            self.changed.emit(child_id)

        def write() -> Any:
            try:
                return ledger.add_benefit(child_id, **values)
            except ValidationError as exc:
                raise _StagedError(exc, "benefit.") from exc

        self._write(write, done)

    def add_attachment(self) -> None:
        if self.child_id is None or self.saving:
            return
        self.attachment_error.clear()
        path = self.open_file(self)
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.attachment_error.setText(str(exc))
            return
        ledger, child_id = self.ledger, self.child_id
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        values: dict[str, Any] = {
            "data": data,
            "filename": Path(path).name,
            "mime": mime,
            "kind": self.attachment_kind.currentData(),
            "caption": self.attachment_caption.text(),
        }

        def done(_attachment: Any) -> None:
            self.attachment_caption.clear()
            self.refresh()
            self.changed.emit(child_id)

        def write() -> Any:
            try:
                return ledger.attach_file(child_id, **values)
            except ValidationError as exc:
                raise _StagedError(exc, "attachment.") from exc

        self._write(write, done)

    def view_attachment(self, row: int) -> None:
        if self.file is None or not 0 <= row < len(self.file.attachments):
            return
        attachment = self.file.attachments[row]
        data = self.ledger.attachment_data(attachment.id)
        self.viewer = AttachmentViewer(data, filename=attachment.filename, caption=attachment.caption, parent=self)
        self.viewer.open()


# Coded fields shown with their labels in the history (the change log keeps the codes).
_CODED: dict[str, type[LabeledEnum]] = {
    "sex": Sex,
    "categories": Category,
    "orphan_care": OrphanCare,
    "health": HealthStatus,
    "disability_kind": DisabilityKind,
    "schooling": Schooling,
    "guardianship_type": GuardianshipType,
    "income_sources": IncomeSource,
    "assistance": Assistance,
    "exit_reason": ExitReason,
    "condition": ParentCondition,
    "care_type": CareType,
    "mode": VisitMode,
    "checks": VisitCheck,
    "guardianship_level": GuardianshipLevel,
    "level": GuardianshipLevel,
    "benefit.kind": Assistance,
}


def _history_value(value: Any, entity: str, field: str, language: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    enum_cls = _CODED.get(f"{entity}.{field}") or _CODED.get(field)
    if field == "ethnicity" and isinstance(value, str) and value in ETHNICITIES:
        return ETHNICITIES[value].get(language)
    if field in ("relation", "parent") and isinstance(value, str) and value in ("father", "mother"):
        return field_label(value).get(language)

    def label(code: Any) -> str:
        if enum_cls is not None and isinstance(code, str) and code in enum_cls._value2member_map_:
            return enum_cls.of(code).label.get(language)
        return str(code)

    if isinstance(value, list):
        return "、".join(label(item) for item in value)
    return label(value)
