"""Typed request dependencies: database session, settings, client address, authenticated device."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from ..accounts import Caller, authenticate
from ..core.config import Settings
from ..core.errors import APIError


def get_db(request: Request) -> Iterator[Session]:
    # Services commit their own transaction; closing here rolls back whatever a failed request
    # left open.
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_client_addr(request: Request) -> str:
    return request.client.host if request.client is not None else ""


_bearer = HTTPBearer(auto_error=False, description="Device token from POST /v1/auth/enrol")


def get_current_device(
    session: Annotated[Session, Depends(get_db)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The device behind the bearer token, checked against the database on every request so a
    revoked device is refused at once."""
    caller = authenticate(session, credentials.credentials if credentials is not None else "")
    if caller is None:
        raise APIError(
            401,
            "unauthorized",
            "设备未登记或已被停用，请重新登录",
            "Unknown or revoked device token; enrol again",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return caller


SessionDep = Annotated[Session, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ClientAddr = Annotated[str, Depends(get_client_addr)]
CurrentDevice = Annotated[Caller, Depends(get_current_device)]
