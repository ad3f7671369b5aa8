"""Resumable chunked attachment upload and download, limited to the caller's jurisdiction."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response

from gxcare_desktop.sync.protocol import AttachmentStatus, ErrorBody

from ... import services
from ...core.errors import ERROR_RESPONSES
from ..deps import DeviceDatabase

router = APIRouter(prefix="/attachments", tags=["attachments"], responses=ERROR_RESPONSES)

Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="lower-case hex SHA-256")]
ChunkIndex = Annotated[int, Path(ge=0)]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No attachment with this hash in scope"}}


@router.get("/{sha256}", response_model=AttachmentStatus, responses=_NOT_FOUND)
def status(sha256: Sha256, db: DeviceDatabase) -> AttachmentStatus:
    """Size, chunk count and received chunks: an interrupted upload resumes at the missing ones."""
    with db.as_device() as (session, caller):
        return services.attachment_status(session, caller=caller, sha256=sha256)


@router.put("/{sha256}/chunks/{index}", response_model=AttachmentStatus, responses=_NOT_FOUND)
def put_chunk(
    sha256: Sha256,
    index: ChunkIndex,
    data: Annotated[bytes, Body(media_type="application/octet-stream")],
    db: DeviceDatabase,
) -> AttachmentStatus:
    """Store chunk `index` (256 KiB, the last one shorter); the file is verified when complete."""
    with db.as_device() as (session, caller):
        return services.put_chunk(session, caller=caller, sha256=sha256, index=index, data=data)


@router.get(
    "/{sha256}/chunks/{index}",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "Chunk bytes"},
        409: {"model": ErrorBody, "description": "Upload not complete"},
        **_NOT_FOUND,
    },
)
def get_chunk(sha256: Sha256, index: ChunkIndex, db: DeviceDatabase) -> Response:
    with db.as_device() as (session, caller):
        data = services.get_chunk(session, caller=caller, sha256=sha256, index=index)
    return Response(content=data, media_type="application/octet-stream")
