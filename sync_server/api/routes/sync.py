"""Push, pull, snapshot and conflict review endpoints."""

from __future__ import annotations

import gzip
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gxcare_desktop.sync.protocol import (
    ConflictRecord,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
    ResolveRequest,
    ResolveResponse,
    SnapshotResponse,
)

from ... import services
from ...core.errors import ERROR_RESPONSES
from ..deps import ClientAddr, DeviceDatabase, SettingsDep

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERROR_RESPONSES)


@router.post("/push", response_model=PushResponse)
def push(
    body: PushRequest,
    db: DeviceDatabase,
    settings: SettingsDep,
    client_addr: ClientAddr,
) -> PushResponse:
    """Apply a batch of field changes: each is accepted, superseded or rejected with a reason."""
    with db.as_device() as (session, caller):
        return services.push_changes(
            session, caller=caller, changes=body.changes, settings=settings,
            pulled_to=body.pulled_to, client_addr=client_addr,
        )


@router.get(
    "/pull",
    response_model=PullResponse,
    responses={409: {"model": ErrorBody, "description": "cursor_ahead: the server was restored"}},
)
def pull(
    request: Request,
    db: DeviceDatabase,
    settings: SettingsDep,
    client_addr: ClientAddr,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> PullResponse:
    """Changes of the caller's jurisdiction after `cursor`. Apply `changes`, then `drop`.

    A village director's device receives a case's reporter (name, phone) only as that device
    wrote it; other writes of those fields are left out of `changes` (never sent as null)."""
    size = min(limit or settings.pull_default_limit, settings.pull_max_limit)
    with db.as_device() as (session, caller):
        return services.pull_changes(
            session, caller=caller, cursor=cursor, limit=size, client_addr=client_addr,
            quiet=request.app.state.quiet_pulls,
        )


@router.get("/snapshot", response_model=SnapshotResponse)
def snapshot(
    request: Request,
    db: DeviceDatabase,
    settings: SettingsDep,
    client_addr: ClientAddr,
    after: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Current state of every row in scope, paged by `entity:row_id`. Pull afterwards from the
    `cursor` of the FIRST page. For a village director's device a case's reporter fields are in
    `values` and `clocks` only where that device wrote them; elsewhere they are left out."""
    size = min(limit or settings.snapshot_default_limit, settings.snapshot_max_limit)
    with db.as_device() as (session, caller):
        body = services.snapshot_json(
            session, caller=caller, after=after, limit=size, client_addr=client_addr
        )
    # Already JSON (see services.snapshot_json), and compressed here, in the request's worker
    # thread, at the middleware's level 4: a full page is ~10 MB of JSON, and the middleware
    # would compress it on the event loop, holding up every other request meanwhile. (The
    # middleware passes a response that already has a Content-Encoding through as it is.)
    if len(body) > 1024 and "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            gzip.compress(body, compresslevel=4), media_type="application/json",
            headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
        )
    return Response(body, media_type="application/json")


@router.get("/conflicts", response_model=list[ConflictRecord])
def conflicts(
    db: DeviceDatabase,
    include_resolved: bool = False,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> list[ConflictRecord]:
    """Conflicts in the caller's jurisdiction (a village director: own village, without those
    over a case's reporter), newest first."""
    with db.as_device() as (session, caller):
        return services.list_conflicts(
            session, scope=caller.scope, confidential=services.confidential_for(caller),
            include_resolved=include_resolved, limit=limit,
        )


@router.post(
    "/conflicts/{conflict_id}/resolve",
    response_model=ResolveResponse,
    responses={
        404: {"model": ErrorBody, "description": "No such conflict in your jurisdiction"},
        409: {"model": ErrorBody, "description": "Already resolved"},
    },
)
def resolve(
    conflict_id: int,
    body: ResolveRequest,
    db: DeviceDatabase,
    settings: SettingsDep,
    client_addr: ClientAddr,
) -> ResolveResponse:
    """Keep the winner (close) or the loser (written again as a new server change)."""
    with db.as_device() as (session, caller):
        return services.resolve_conflict(
            session, caller=caller, conflict_id=conflict_id, keep=body.keep, settings=settings,
            client_addr=client_addr,
        )
