"""The sync engine: push the outbox, download or pull the jurisdiction, move attachment files."""

from __future__ import annotations

import hashlib
import socket
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlmodel import col

from ..domain.enums import Role
from ..domain.text import Text
from ..ledger import Ledger
from ..ledger.tables import Attachment, AttachmentBlob
from ..progress import CancelToken, Progress, ProgressFn, no_progress
from .client import ServerRefused, SyncClient, SyncError
from .protocol import ATTACHMENT_CHUNK_BYTES, Change, PushRequest, PushStatus

T = TypeVar("T")
R = TypeVar("R")

PUSH_BATCH = 500  # small enough for one 2G/3G request to finish (~40 KB compressed)
# Pages of a pull or a download start at the first size and double after every page that
# arrived within PAGE_FAST_S, up to the largest the server gives; a page slower than
# PAGE_SLOW_S halves the next. A fast link soon fetches big pages (fewer round trips and
# transactions); a 2G/3G link keeps pages it can finish well inside the request timeout.
PULL_PAGE = 2000
PULL_PAGE_MAX = 5000
SNAPSHOT_PAGE = 500
SNAPSHOT_PAGE_MAX = 5000
PAGE_FAST_S = 1.5
PAGE_SLOW_S = 6.0

# Ledger meta keys of the sync state; all inside the encrypted file.
SERVER_URL = "sync_server_url"
TOKEN = "sync_device_token"
CURSOR = "sync_cursor"
# The server's fingerprint of the log entry at CURSOR ("" while not known): see HistoryChanged.
ANCHOR = "sync_cursor_anchor"
SNAPSHOT_AFTER = "sync_snapshot_after"
SNAPSHOT_CURSOR = "sync_snapshot_cursor"
LAST_SYNC = "last_sync_at"
CA_FILE = "sync_ca_file"


class HistoryChanged(SyncError):
    """The server holds another change at this device's cursor than it did when the device
    pulled it: restored from an older backup, and written on since (so the cursor is no longer
    ahead of the server's). Handled like `cursor_ahead`: send everything again, download afresh."""

    def __init__(self) -> None:
        super().__init__(Text(
            "服务器的同步记录与本机不一致（服务器可能已从旧备份恢复），将重新上传本机数据并重新下载",
            "The server's sync history no longer matches this PC's (it was probably restored from "
            "an older backup); local data will be sent again and downloaded afresh",
        ))


@dataclass
class SyncReport:
    pushed: int = 0
    accepted: int = 0
    superseded: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    pulled: int = 0
    applied: int = 0
    dropped: int = 0
    downloaded_rows: int = 0
    files_up: int = 0
    files_down: int = 0
    clock_warning: bool = False
    server_reset: bool = False

    def summary(self) -> Text:
        return Text(
            f"已上传 {self.pushed} 项修改（{len(self.rejected)} 项被拒），下载 {self.pulled + self.downloaded_rows} 项。",
            f"Sent {self.pushed} changes ({len(self.rejected)} refused), received {self.pulled + self.downloaded_rows}.",
        )


CLOCK_WARNING = Text(
    "本机的日期时间明显快于服务器，部分修改被拒收。请校正电脑时间后再同步。",
    "This PC's clock is far ahead of the server's, so some changes were refused. Correct the date and time, then sync again.",
)


def enrol(ledger: Ledger, server_url: str, *, username: str, password: str, ca_file: str | None = None) -> None:
    """Log in once and keep the device token inside the encrypted ledger."""
    client = SyncClient(server_url, ca_file=ca_file)
    try:
        answer = client.enrol(username, password, device_name=socket.gethostname())
    finally:
        client.close()
    if not answer.division_code.startswith(ledger.village_code) and not ledger.village_code.startswith(answer.division_code):
        raise SyncError(
            Text(
                f"该账号的管辖范围（{answer.division_code}）与本台账（{ledger.village_code}）不符。",
                f"This account's jurisdiction ({answer.division_code}) does not match this ledger ({ledger.village_code}).",
            )
        )
    ledger.set_scope(role=Role.of(answer.role), division_code=answer.division_code, user_name=answer.username)
    for key, value in {SERVER_URL: server_url, TOKEN: answer.token, CA_FILE: ca_file or ""}.items():
        ledger.set_meta(key, value)
    ledger.record_audit("enrol", detail=f"{server_url} {answer.username} {answer.device_id}")


def client_for(ledger: Ledger, *, timeout: float = 30.0, attempts: int = 5) -> SyncClient:
    url = ledger.meta(SERVER_URL)
    token = ledger.meta(TOKEN)
    if not url or not token:
        raise SyncError(Text("本台账尚未登记到同步服务器。", "This ledger is not enrolled with a sync server."))
    return SyncClient(url, token=token, ca_file=ledger.meta(CA_FILE) or None, timeout=timeout, attempts=attempts)


class SyncEngine:
    def __init__(self, ledger: Ledger, client: SyncClient) -> None:
        self.ledger = ledger
        self.client = client

    def sync(self, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> SyncReport:
        """Push first, then download or pull; safe to cut at any point and run again."""
        cancel = cancel or CancelToken()
        report = SyncReport()
        try:
            self._push(report, progress, cancel)
            self._receive(report, progress, cancel)
        except (ServerRefused, HistoryChanged) as exc:
            if isinstance(exc, ServerRefused) and exc.code != "cursor_ahead":
                raise
            # The server was restored from an older backup: it has lost changes we already
            # sent. Send everything again and download afresh; the merge makes repeats harmless.
            report.server_reset = True
            self.ledger.requeue_all_local()
            for key in (CURSOR, ANCHOR, SNAPSHOT_AFTER, SNAPSHOT_CURSOR):
                self.ledger.set_meta(key, "")
            self._push(report, progress, cancel)
            self._receive(report, progress, cancel)
        self._files(report, progress, cancel)
        self.ledger.set_meta(LAST_SYNC, datetime.now(UTC).isoformat(timespec="seconds"))
        self.ledger.record_audit("sync", detail=f"push={report.pushed} pull={report.pulled} rows={report.downloaded_rows}")
        return report

    def _push(self, report: SyncReport, progress: ProgressFn, cancel: CancelToken) -> None:
        total = self.ledger.pending_changes()
        cursor = self.ledger.meta(CURSOR)
        pulled_to = int(cursor) if cursor else None
        while True:
            cancel.raise_if_cancelled()
            batch = self.ledger.outbox(limit=PUSH_BATCH)
            if not batch:
                return
            changes = [
                Change(
                    change_id=e.change_id,
                    entity=e.entity,
                    row_id=e.row_id,
                    division_code=e.division_code,
                    field=e.field,
                    value=e.value,
                    hlc=e.hlc,
                    device_id=e.device_id,
                )
                for e in batch
            ]
            own = [c for c in changes if c.device_id == self.ledger.device_id]
            # Changes carried in from a village's bundle were made without seeing what this
            # ledger has pulled: sent apart, as from a device that has seen nothing (0), so the
            # server keeps every value they overwrite in its conflict log.
            forwarded = [c for c in changes if c.device_id != self.ledger.device_id]
            for part, seen in ((own, pulled_to), (forwarded, 0)):
                if part:
                    self._push_batch(part, seen, report)
            report.pushed += len(changes)
            progress(Progress(report.pushed, max(total, report.pushed), "push"))

    def _push_batch(self, changes: list[Change], pulled_to: int | None, report: SyncReport) -> None:
        answer = self.client.push(PushRequest(changes=changes, pulled_to=pulled_to))
        results = []
        for result in answer.results:
            results.append((result.change_id, result.status.value, result.reason or ""))
            if result.status is PushStatus.ACCEPTED:
                report.accepted += 1
            elif result.status is PushStatus.SUPERSEDED:
                report.superseded += 1
            else:
                # Recorded and passed over: a refused change must never block the queue.
                report.rejected.append((result.change_id, result.reason or ""))
                report.clock_warning |= result.reason == "clock_ahead"
        self.ledger.mark_pushed(results)

    def _receive(self, report: SyncReport, progress: ProgressFn, cancel: CancelToken) -> None:
        cursor_text = self.ledger.meta(CURSOR)
        if not cursor_text:
            self._download(report, progress, cancel)
            cursor_text = self.ledger.meta(CURSOR)
        cursor = int(cursor_text or 0)
        anchor = self.ledger.meta(ANCHOR) or None  # None: not known (a fresh download, an older ledger)
        size = PULL_PAGE
        cancel.raise_if_cancelled()
        with _Prefetch() as prefetch:
            fetched = prefetch.fetch(self.client.pull, cursor, size)
            while True:
                page, took = fetched.result()
                if anchor is not None and page.anchor is not None and page.anchor != anchor:
                    raise HistoryChanged()
                anchor = page.next_anchor
                # The next page travels while this one is applied. A page once asked for is
                # also applied: a cancel stops before the next request, never between a request
                # and its apply. (Pushes tell the server the applied cursor, `pulled_to`, so a
                # page lost on a failure does not count as seen.)
                ahead = page.has_more and not cancel.cancelled
                if ahead:
                    size = _next_size(size, took, PULL_PAGE_MAX)
                    fetched = prefetch.fetch(self.client.pull, page.next_cursor, size)
                changes = [c.model_dump() for c in page.changes]
                # The page and its cursor land in one transaction: a crash replays the page, never skips it.
                meta = {CURSOR: str(page.next_cursor), ANCHOR: page.next_anchor or ""}
                report.applied += self.ledger.apply_remote(changes, drop=page.drop, meta=meta)
                report.pulled += len(changes)
                report.dropped += len(page.drop)
                progress(Progress(report.pulled, report.pulled + (size if page.has_more else 0), "pull"))
                if not page.has_more:
                    return
                if not ahead:
                    cancel.raise_if_cancelled()

    def _download(self, report: SyncReport, progress: ProgressFn, cancel: CancelToken) -> None:
        """The first download of the whole jurisdiction, as current rows rather than history."""
        after = self.ledger.meta(SNAPSHOT_AFTER) or None
        snapshot_cursor = self.ledger.meta(SNAPSHOT_CURSOR)
        size = SNAPSHOT_PAGE
        cancel.raise_if_cancelled()
        with _Prefetch() as prefetch:
            fetched = prefetch.fetch(self.client.snapshot, after, size)
            while True:
                page, took = fetched.result()
                cancel.raise_if_cancelled()
                if page.next_after is not None:
                    # A snapshot page, unlike a pull page, changes nothing on the server, so
                    # the next one may travel while this one is applied.
                    size = _next_size(size, took, SNAPSHOT_PAGE_MAX)
                    fetched = prefetch.fetch(self.client.snapshot, page.next_after, size)
                if not snapshot_cursor:
                    # Pull from the cursor of the first page: later pages may hold newer state,
                    # and replaying those changes is harmless, while skipping any would not be.
                    snapshot_cursor = str(page.cursor)
                # Plain dicts around the validated values (model_dump would copy every value again).
                rows = [
                    {"entity": r.entity, "row_id": r.row_id, "division_code": r.division_code, "values": r.values, "clocks": r.clocks}
                    for r in page.rows
                ]
                meta = {SNAPSHOT_AFTER: page.next_after or "", SNAPSHOT_CURSOR: snapshot_cursor}
                last = page.next_after is None
                if last:
                    meta[CURSOR] = snapshot_cursor
                    meta[ANCHOR] = ""
                # Children's derived columns are computed once, with the last page (in its
                # transaction, so a download cut off before it still ends with them).
                self.ledger.apply_snapshot(rows, meta=meta, derive="all" if last else "later")
                report.downloaded_rows += len(rows)
                progress(Progress(report.downloaded_rows, report.downloaded_rows + (0 if last else size), "download"))
                if last:
                    return

    def _files(self, report: SyncReport, progress: ProgressFn, cancel: CancelToken) -> None:
        """Attachment content, after the records and in resumable chunks."""
        with self.ledger.reading() as session:
            attachments = [
                (a.sha256, a.size or 0)
                for a in session.scalars(select(Attachment).where(col(Attachment.deleted) == False))  # noqa: E712
            ]
            present = set(session.scalars(select(col(AttachmentBlob.sha256))))
        uploaded = set(filter(None, (self.ledger.meta("sync_files_uploaded") or "").split(",")))
        for sha, size in attachments:
            cancel.raise_if_cancelled()
            if sha in present and sha not in uploaded:
                self._upload(sha)
                uploaded.add(sha)
                self.ledger.set_meta("sync_files_uploaded", ",".join(sorted(uploaded)))
                report.files_up += 1
            elif sha not in present:
                data = self._download_file(sha, size)
                if data is not None:
                    self.ledger.store_blob(sha, data)
                    report.files_down += 1
            progress(Progress(report.files_up + report.files_down, len(attachments), "files"))

    def _upload(self, sha: str) -> None:
        data = self.ledger.blob(sha)
        if data is None:
            return
        status = self.client.attachment_status(sha)
        have = set(status.get("received", []))
        for index in range(_chunk_count(len(data))):
            if index not in have:
                self.client.upload_chunk(sha, index, data[index * ATTACHMENT_CHUNK_BYTES : (index + 1) * ATTACHMENT_CHUNK_BYTES])

    def _download_file(self, sha: str, size: int) -> bytes | None:
        try:
            status = self.client.attachment_status(sha)
        except SyncError:
            return None
        if not status.get("complete"):
            return None
        chunks = [self.client.download_chunk(sha, i) for i in range(_chunk_count(size))]
        data = b"".join(chunks)
        if hashlib.sha256(data).hexdigest() != sha:
            return None
        return data


def _chunk_count(size: int) -> int:
    return max(1, -(-size // ATTACHMENT_CHUNK_BYTES))


def _next_size(size: int, took_s: float, largest: int) -> int:
    if took_s < PAGE_FAST_S:
        return min(size * 2, largest)
    if took_s > PAGE_SLOW_S:
        return max(size // 2, 100)
    return size


class _Prefetch:
    """One request in flight on a helper thread while the caller applies the previous answer.

    Only one request at a time: the client's HTTP session is never used by two threads at once.
    Leaving the block on a failure abandons a request still in flight; its answer is dropped,
    and the next sync asks again from the cursor that was committed. (For a pull page that the
    server served, this is the window a crash between a page's arrival and its commit always
    had, one page wider.)
    """

    def __enter__(self) -> _Prefetch:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gxcare-sync-fetch")
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=exc == (None, None, None), cancel_futures=True)

    def fetch(self, request: Callable[[T, int], R], position: T, size: int) -> Future[tuple[R, float]]:
        def timed() -> tuple[R, float]:
            started = time.monotonic()
            answer = request(position, size)
            return answer, time.monotonic() - started

        return self._pool.submit(timed)


def sync_ledger(ledger: Ledger, *, progress: ProgressFn = no_progress, cancel: CancelToken | None = None) -> SyncReport:
    client = client_for(ledger)
    try:
        return SyncEngine(ledger, client).sync(progress=progress, cancel=cancel)
    finally:
        client.close()

