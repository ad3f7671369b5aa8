"""The passphrase of a sneakernet bundle (typed twice when exporting), and the file dialogs of bundles."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

MIN_PASSPHRASE = 6  # as sync.bundles requires; checked here too so the dialog can say so at once
BUNDLE_FILTER = "GXCare (*.gxbundle);;* (*)"


class PassphraseDialog(QDialog):
    """Ask for a bundle's passphrase; with `confirm`, twice, and both must match."""

    def __init__(self, parent: QWidget | None = None, *, confirm: bool) -> None:
        super().__init__(parent)
        self.confirm = confirm
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.passphrase)
        if confirm:
            form.addRow(self.tr("Again"), self.again)
        else:
            self.again.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Bundle passphrase"))
        self.intro.setText(
            self.tr("Choose a passphrase for the file and tell it to the township by phone, not with the USB stick.")
            if confirm else self.tr("The passphrase the sender chose for this file.")
        )

    def on_ok(self) -> None:
        text = self.passphrase.text()
        if len(text) < MIN_PASSPHRASE:
            self.problem.setText(self.tr("At least %1 characters.").replace("%1", str(MIN_PASSPHRASE)))
        elif self.confirm and text != self.again.text():
            self.problem.setText(self.tr("The two entries differ."))
        else:
            self.accept()


def ask_passphrase(parent: QWidget, confirm: bool) -> str | None:
    dialog = PassphraseDialog(parent, confirm=confirm)
    try:
        return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def choose_save_path(parent: QWidget, suggested: str) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("PassphraseDialog", "Save bundle"), suggested, BUNDLE_FILTER)
    return Path(name) if name else None


def choose_open_path(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, QCoreApplication.translate("PassphraseDialog", "Open bundle"), "", BUNDLE_FILTER)
    return Path(name) if name else None
