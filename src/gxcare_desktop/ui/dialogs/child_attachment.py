"""View one attachment of a child file: images shown scaled, other files described."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget


class AttachmentViewer(QDialog):
    """Shows the bytes of an attachment; `pixmap_label.pixmap()` is null for non-images."""

    def __init__(self, data: bytes | None, *, filename: str, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(filename)
        self.pixmap_label = QLabel()
        self.pixmap_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap()
        if data is None:
            self.pixmap_label.setText(self.tr("The content of this file has not arrived from the server yet."))
        elif pixmap.loadFromData(data):
            if pixmap.width() > 900 or pixmap.height() > 700:
                pixmap = pixmap.scaled(900, 700, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            self.pixmap_label.setPixmap(pixmap)
        else:
            self.pixmap_label.setText(
                self.tr("%1 (%2 KB) cannot be shown here.").replace("%1", filename).replace("%2", str(max(1, len(data) // 1024)))
            )
        scroll = QScrollArea()
        scroll.setWidget(self.pixmap_label)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        if caption:
            layout.addWidget(QLabel(caption))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)
