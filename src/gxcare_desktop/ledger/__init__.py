"""The encrypted local ledger: SQLCipher storage, keys, change log, audit log and the service API."""

from .errors import (
    LedgerClosed,
    LedgerDamaged,
    LedgerError,
    LedgerLockedOut,
    NotFound,
    WrongPassword,
)
from .keys import password_problems
from .queries import ChildFile, ChildQuery, ChildSummary, HistoryEntry
from .service import Ledger

__all__ = [
    "ChildFile",
    "ChildQuery",
    "ChildSummary",
    "HistoryEntry",
    "Ledger",
    "LedgerClosed",
    "LedgerDamaged",
    "LedgerError",
    "LedgerLockedOut",
    "NotFound",
    "WrongPassword",
    "password_problems",
]
