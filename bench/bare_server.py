"""The floor under [5] in bench/sync.py: the same push and pull endpoints doing no work at all.

FastAPI parses and validates the same PushRequest and answers the same models, on uvicorn with
the same workers and HTTP protocol as `gxcare-server serve`, but nothing touches a database:
every change is "accepted" and every pull is empty. Driven by the same device threads through
the same SyncClient, it shows what the framework, HTTP on loopback and the bench's own clients
cost on this machine before the sync server does anything.

Run: python bench/bare_server.py PORT WORKERS
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from gxcare_desktop.sync.protocol import (
    API_PREFIX,
    Health,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
    PushStatus,
)
from sync_server.core.bodies import RequestBodyMiddleware
from sync_server.core.transport import HTTP_PROTOCOL

EPOCH = "bare"

app = FastAPI()
# Pushes over 1 KB arrive gzip-compressed, as they do at the real server.
app.add_middleware(RequestBodyMiddleware, limit=32 * 1024 * 1024)


@app.get(f"{API_PREFIX}/health")
def health() -> Health:
    return Health(server_epoch=EPOCH, server_time_ms=0)


@app.post(f"{API_PREFIX}/sync/push")
def push(body: PushRequest) -> PushResponse:
    return PushResponse(
        results=[PushResult(change_id=c.change_id, status=PushStatus.ACCEPTED) for c in body.changes],
        server_time_ms=0,
        server_epoch=EPOCH,
    )


@app.get(f"{API_PREFIX}/sync/pull")
def pull(cursor: int = 0, limit: int = 1000) -> PullResponse:
    return PullResponse(changes=[], next_cursor=cursor, has_more=False, server_epoch=EPOCH)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    uvicorn.run("bare_server:app", host="127.0.0.1", port=int(sys.argv[1]), workers=int(sys.argv[2]),
                log_level="warning", http=HTTP_PROTOCOL)
