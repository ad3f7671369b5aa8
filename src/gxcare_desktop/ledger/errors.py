"""Errors the ledger raises besides ValidationError: locked, wrong password, damage."""

from __future__ import annotations

from ..domain.text import Text


class LedgerError(Exception):
    """A ledger problem to show the user; `message` is bilingual."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


class WrongPassword(LedgerError):
    def __init__(self, retry_after_seconds: float) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            Text(
                "密码或恢复码不正确。" + (f"请 {retry_after_seconds:.0f} 秒后再试。" if retry_after_seconds else ""),
                "Wrong password or recovery code."
                + (f" Try again in {retry_after_seconds:.0f} s." if retry_after_seconds else ""),
            )
        )


class LedgerLockedOut(LedgerError):
    """Too many wrong tries: no attempt is checked until the delay has passed."""

    def __init__(self, retry_after_seconds: float) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            Text(
                f"密码错误次数过多，请 {retry_after_seconds:.0f} 秒后再试。",
                f"Too many wrong tries. Try again in {retry_after_seconds:.0f} s.",
            )
        )


class LedgerDamaged(LedgerError):
    """The encrypted file fails its page authentication: damaged or tampered with."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            Text(
                f"台账文件已损坏或被篡改（{detail}）。请从最近一次备份恢复。",
                f"The ledger file is damaged or was tampered with ({detail}). Restore the last good backup.",
            )
        )


class LedgerClosed(LedgerError):
    def __init__(self) -> None:
        super().__init__(Text("台账已锁定，请先输入密码解锁。", "The ledger is locked. Enter the password first."))


class NotFound(LedgerError):
    def __init__(self, entity: str, row_id: str) -> None:
        self.entity = entity
        self.row_id = row_id
        super().__init__(Text(f"找不到记录（{entity} {row_id}）。", f"No such record ({entity} {row_id})."))
