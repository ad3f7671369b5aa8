"""The HTTP client of the sync protocol: compressed bodies, TLS checks, retries with backoff."""

from __future__ import annotations

import gzip
import json
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from pydantic import BaseModel

from ..domain.text import Text
from .protocol import (
    API_PREFIX,
    EnrolRequest,
    EnrolResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    SnapshotResponse,
    WhoAmI,
)

M = TypeVar("M", bound=BaseModel)
# Bodies under this size are sent as they are: gzip would cost more than it saves.
_COMPRESS_ABOVE = 1024
_RETRY_STATUSES = {429, 500, 502, 503, 504}


class SyncError(Exception):
    """A sync failure to show the user; `message` is bilingual."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


class ServerUnreachable(SyncError):
    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            Text(f"无法连接同步服务器（{detail}）。数据已保存在本机，联网后会自动同步。",
                 f"Cannot reach the sync server ({detail}). Your data is safe on this PC and syncs when the network returns.")
        )


class ServerRefused(SyncError):
    """The server answered with a 4xx: retrying will not help."""

    def __init__(self, status: int, code: str, message: Text) -> None:
        self.status = status
        self.code = code
        super().__init__(message)


def _refusal(response: requests.Response) -> ServerRefused:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail", body) if isinstance(body, dict) else {}
    if not isinstance(detail, dict):
        detail = {"message_en": str(detail)}
    code = str(detail.get("code", response.status_code))
    zh = detail.get("message_zh") or f"服务器拒绝了请求（{response.status_code}）。"
    en = detail.get("message_en") or f"The server refused the request ({response.status_code})."
    return ServerRefused(response.status_code, code, Text(zh, en))


class SyncClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_file: str | None = None,
        timeout: float = 30.0,
        attempts: int = 5,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._session = requests.Session()
        # A county may run its own CA; otherwise the system's trust store. Never verify=False.
        # Passed on every request: a session-level setting loses to REQUESTS_CA_BUNDLE.
        self._verify: str | bool = ca_file or True
        self._timeout = timeout
        self._attempts = attempts
        self._backoff_s = backoff_s
        self._sleep = sleep

    def close(self) -> None:
        self._session.close()

    def _request(self, method: str, path: str, *, body: Any = None, params: dict[str, Any] | None = None, raw: bytes | None = None) -> requests.Response:
        headers = {"Accept-Encoding": "gzip"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data: bytes | None = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if data is not None and raw is None and len(data) > _COMPRESS_ABOVE:
            data = gzip.compress(data, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        if raw is not None:
            headers["Content-Type"] = "application/octet-stream"
        url = f"{self.base_url}{API_PREFIX}{path}"
        last_error = ""
        for attempt in range(self._attempts):
            try:
                response = self._session.request(
                    method, url, data=data, params=params, headers=headers, timeout=self._timeout, verify=self._verify
                )
            except requests.exceptions.SSLError as exc:
                raise SyncError(
                    Text(f"服务器证书验证失败：{exc}", f"The server's certificate could not be verified: {exc}")
                ) from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_error = type(exc).__name__
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in _RETRY_STATUSES:
                    raise _refusal(response)
                last_error = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After")
                if response.status_code == 429 and retry_after and retry_after.isdigit() and int(retry_after) > 60:
                    raise _refusal(response)
            if attempt + 1 < self._attempts:
                # Exponential backoff with jitter, so a hundred village PCs coming back online
                # after an outage do not all retry in the same instant.
                self._sleep(self._backoff_s * (2**attempt) * (0.5 + random.random()))
        raise ServerUnreachable(last_error)

    def _json(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        # Straight from the bytes: parsing to Python objects first, then validating them, costs
        # half as much again on a download page of ~50,000 field states.
        return model.model_validate_json(self._request(method, path, **kwargs).content)

    def health(self) -> bool:
        try:
            self._request("GET", "/health")
        except SyncError:
            return False
        return True

    def enrol(self, username: str, password: str, device_name: str) -> EnrolResponse:
        request = EnrolRequest(username=username, password=password, device_name=device_name)
        return self._json(EnrolResponse, "POST", "/auth/enrol", body=request.model_dump())

    def whoami(self) -> WhoAmI:
        return self._json(WhoAmI, "GET", "/auth/whoami")

    def push(self, request: PushRequest) -> PushResponse:
        return self._json(PushResponse, "POST", "/sync/push", body=request.model_dump(mode="json"))

    def pull(self, cursor: int, limit: int) -> PullResponse:
        return self._json(PullResponse, "GET", "/sync/pull", params={"cursor": cursor, "limit": limit})

    def snapshot(self, after: str | None, limit: int) -> SnapshotResponse:
        params: dict[str, Any] = {"limit": limit}
        if after:
            params["after"] = after
        return self._json(SnapshotResponse, "GET", "/sync/snapshot", params=params)

    def conflicts(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._request("GET", "/sync/conflicts").json()
        return result

    def resolve_conflict(self, conflict_id: int, keep: str) -> dict[str, Any]:
        result: dict[str, Any] = self._request("POST", f"/sync/conflicts/{conflict_id}/resolve", body={"keep": keep}).json()
        return result

    def attachment_status(self, sha256: str) -> dict[str, Any]:
        result: dict[str, Any] = self._request("GET", f"/attachments/{sha256}").json()
        return result

    def upload_chunk(self, sha256: str, index: int, data: bytes) -> dict[str, Any]:
        result: dict[str, Any] = self._request("PUT", f"/attachments/{sha256}/chunks/{index}", raw=data).json()
        return result

    def download_chunk(self, sha256: str, index: int) -> bytes:
        return self._request("GET", f"/attachments/{sha256}/chunks/{index}").content
