"""Bilingual user-facing text: every message the core shows exists in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["zh_CN", "en"]


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh

    def format(self, **values: object) -> Text:
        return Text(self.zh.format(**values), self.en.format(**values))

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"
