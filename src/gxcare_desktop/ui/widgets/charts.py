"""Small charts painted with QPainter (PySide6-Essentials has no QtCharts)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    color: str = "#2f6fae"


class HorizontalBarChart(QWidget):
    """Labelled horizontal bars with their values; a title above."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = bars
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 10

    def sizeHint(self) -> QSize:
        rows = max(len(self.bars), 3)
        return QSize(420, self._row_height() * (rows + 1) + 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        row = self._row_height()
        width = self.width()
        title_font = self.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor("#202124"))
        painter.drawText(QRectF(4, 0, width - 8, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        if not self.bars:
            painter.end()
            return
        label_width = max(metrics.horizontalAdvance(bar.label) for bar in self.bars) + 12
        value_width = max(metrics.horizontalAdvance(f"{bar.value:,}") for bar in self.bars) + 12
        span = max(10.0, width - label_width - value_width - 12)
        largest = max(1, max(bar.value for bar in self.bars))
        for position, bar in enumerate(self.bars):
            top = row * (position + 1) + 4
            painter.setPen(QColor("#3c4043"))
            painter.drawText(
                QRectF(4, top, label_width - 8, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, bar.label
            )
            length = span * bar.value / largest
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#e8eaed"))
            painter.drawRoundedRect(QRectF(label_width, top + 4, span, row - 8), 3, 3)
            painter.setBrush(QColor(bar.color))
            if length > 0:
                painter.drawRoundedRect(QRectF(label_width, top + 4, max(3.0, length), row - 8), 3, 3)
            painter.setPen(QColor("#202124"))
            painter.drawText(
                QRectF(label_width + span + 6, top, value_width, row),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{bar.value:,}",
            )
        painter.end()
