"""API errors with a code and a Chinese+English message, rendered as protocol ErrorBody everywhere."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from gxcare_desktop.sync.protocol import ErrorBody


class APIError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.status = status
        self.body = ErrorBody(code=code, message_zh=message_zh, message_en=message_en, field=field)
        self.headers = headers


def error_response(
    status: int,
    code: str,
    message_zh: str,
    message_en: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(code=code, message_zh=message_zh, message_en=message_en, field=field)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


# The error answers every route may give, for the OpenAPI description.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed request"},
    401: {"model": ErrorBody, "description": "Missing, unknown or revoked device token"},
    403: {"model": ErrorBody, "description": "Outside the caller's role or jurisdiction"},
    413: {"model": ErrorBody, "description": "Body larger than the limit (after decompression)"},
    422: {"model": ErrorBody, "description": "Body or parameters of the wrong shape"},
}

_HTTP_TEXTS: dict[int, tuple[str, str]] = {
    404: ("未找到", "Not found"),
    405: ("不支持该请求方法", "Method not allowed"),
}


def _validation_field(exc: RequestValidationError) -> str | None:
    errors = exc.errors()
    if not errors:
        return None
    loc = [str(part) for part in errors[0].get("loc", ()) if part != "body"]
    return ".".join(loc) or None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(_request: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(exc.body.model_dump(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        detail = str(errors[0].get("msg", "")) if errors else ""
        field = _validation_field(exc)
        return error_response(
            422,
            "invalid_request",
            f"请求格式不正确（{field or '请求体'}）",
            f"Request has the wrong shape ({field or 'body'}): {detail}",
            field=field,
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, _exc: Exception) -> JSONResponse:
        # Logged by the server (re-raised after this answer); the client sees a retryable code.
        return error_response(
            500, "server_error", "服务器内部错误，请稍后重试", "Internal server error; retry later"
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh, en = _HTTP_TEXTS.get(exc.status_code, ("请求失败", str(exc.detail)))
        return error_response(
            exc.status_code, f"http_{exc.status_code}", zh, en, headers=getattr(exc, "headers", None)
        )
