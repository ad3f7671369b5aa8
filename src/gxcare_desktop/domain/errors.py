"""The one error type bad input raises: it names the field and explains in Chinese and English."""

from __future__ import annotations

from .text import Text


class ValidationError(ValueError):
    """Bad input for one field. Raised before anything is written."""

    def __init__(self, field: str, message: Text, *, field_label: Text | None = None) -> None:
        self.field = field
        self.message = message
        self.field_label = field_label or Text(field, field)
        super().__init__(str(self))

    def text(self, language: str) -> str:
        return f"{self.field_label.get(language)}: {self.message.get(language)}"

    def __str__(self) -> str:
        return f"{self.field_label.zh}（{self.field}）：{self.message.zh} / {self.field_label.en}: {self.message.en}"
