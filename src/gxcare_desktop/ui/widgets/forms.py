"""Form helpers: editors registered by field name, errors shown at the field, the current language."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...domain.errors import ValidationError

# Applied to a form's root widget; an editor with the "invalid" property gets a red border.
INVALID_STYLE = """
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"],
QDateEdit[invalid="true"], QGroupBox[invalid="true"] { border: 1px solid #b3261e; }
QLabel[role="error"] { color: #b3261e; }
QLabel[role="hint"] { color: #5f6368; }
"""


def current_language() -> str:
    """The language of the user interface: "en" or "zh_CN" (the default)."""
    return "en" if QLocale().language() == QLocale.Language.English else "zh_CN"


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class FormFields:
    """Editors of one form by field name, each with an error label right under it."""

    def __init__(self) -> None:
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add(self, field: str, editor: QWidget) -> QWidget:
        """Register `editor` and return a container holding it above its (hidden) error label."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        error = QLabel()
        error.setProperty("role", "error")
        error.setWordWrap(True)
        error.setVisible(False)
        error.setObjectName(f"error_{field}")
        layout.addWidget(error)
        self.editors[field] = editor
        self.errors[field] = error
        return box

    def show_error(self, field: str, text: str) -> bool:
        """Mark the field; False when this form has no such field (the caller shows it elsewhere)."""
        editor = self.editors.get(field)
        if editor is None:
            return False
        label = self.errors[field]
        label.setText(text)
        label.setVisible(True)
        editor.setProperty("invalid", True)
        _repolish(editor)
        return True

    def show_validation(self, error: ValidationError, language: str, *, prefix: str = "") -> bool:
        field = f"{prefix}{error.field}"
        if field not in self.editors and "." in error.field:
            field = f"{prefix}{error.field.rsplit('.', 1)[1]}"
        shown = self.show_error(field, error.message.get(language))
        if shown:
            editor = self.editors[field]
            editor.setFocus()
        return shown

    def clear(self, field: str | None = None) -> None:
        for name in [field] if field else list(self.editors):
            if name not in self.editors:
                continue
            label = self.errors[name]
            if label.isVisible() or label.text():
                label.clear()
                label.setVisible(False)
            editor = self.editors[name]
            if editor.property("invalid"):
                editor.setProperty("invalid", False)
                _repolish(editor)

    def error_text(self, field: str) -> str:
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""
