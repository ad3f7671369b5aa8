"""ASGI middleware: gzip request bodies decompressed by the app, size limit checked after that."""

from __future__ import annotations

import json
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from gxcare_desktop.sync.protocol import ErrorBody

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Refused(Exception):
    def __init__(self, status: int, body: ErrorBody) -> None:
        super().__init__(body.code)
        self.status = status
        self.body = body


def _too_large(limit: int) -> _Refused:
    return _Refused(
        413,
        ErrorBody(
            code="body_too_large",
            message_zh=f"请求内容过大（解压后超过 {limit} 字节），请分批同步",
            message_en=f"Request body too large (over {limit} bytes after decompression); send smaller batches",
        ),
    )


class RequestBodyMiddleware:
    """Buffers each request body (at most `limit` bytes), inflating `Content-Encoding: gzip`.

    Starlette's GZipMiddleware only compresses responses; a compressed push has to be inflated
    here, and the limit must apply to the inflated size or a small "zip bomb" gets through.
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        encoding = b""
        length: int | None = None
        for name, value in headers:
            if name == b"content-encoding":
                encoding = value.strip().lower()
            elif name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = None
        try:
            if encoding not in (b"", b"identity", b"gzip"):
                raise _Refused(
                    415,
                    ErrorBody(
                        code="unsupported_encoding",
                        message_zh="不支持的内容编码，只接受 gzip",
                        message_en="Unsupported Content-Encoding; only gzip is accepted",
                    ),
                )
            if length is not None and length > self.limit:
                raise _too_large(self.limit)
            raw = await self._read(receive)
            body = self._inflate(raw) if encoding == b"gzip" else raw
        except _Refused as refused:
            await self._answer(send, refused)
            return
        headers = [
            (name, value)
            for name, value in headers
            if name not in (b"content-encoding", b"content-length")
        ]
        headers.append((b"content-length", str(len(body)).encode("ascii")))
        scope = dict(scope, headers=headers)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes:
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise _too_large(self.limit)
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(parts)

    def _inflate(self, raw: bytes) -> bytes:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(raw, self.limit + 1)
        except zlib.error as exc:
            raise _Refused(400, _bad_gzip()) from exc
        if len(body) > self.limit:
            raise _too_large(self.limit)
        if not inflater.eof:
            raise _Refused(400, _bad_gzip())
        return body

    @staticmethod
    async def _answer(send: Send, refused: _Refused) -> None:
        payload = json.dumps(refused.body.model_dump(), ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": refused.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode("ascii")),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def _bad_gzip() -> ErrorBody:
    return ErrorBody(
        code="bad_gzip",
        message_zh="压缩的请求内容已损坏",
        message_en="The gzip request body is corrupt or truncated",
    )
