"""Resumable chunked attachment upload and download, verified by SHA-256, only within scope."""

from __future__ import annotations

import hashlib
import os

from gxcare_desktop.sync.protocol import ATTACHMENT_CHUNK_BYTES, AttachmentStatus, ErrorBody
from tests.server.support import DeviceClient, ServerApp, new_id
from tests.server_fixtures import VILLAGE

CHUNK = ATTACHMENT_CHUNK_BYTES


def _attach(device: DeviceClient, content: bytes, *, division: str = VILLAGE) -> str:
    child = new_id()
    sha = hashlib.sha256(content).hexdigest()
    device.push(
        device.record("child", child, {"name": "x"}, division=division)
        + device.record(
            "attachment", new_id(),
            {"child_id": child, "sha256": sha, "size": len(content), "mime": "image/jpeg"},
            division=division,
        )
    )
    return sha


def _put(server: ServerApp, device: DeviceClient, sha: str, index: int, data: bytes) -> AttachmentStatus:
    response = server.client.put(
        f"/v1/attachments/{sha}/chunks/{index}",
        content=data,
        headers={**device.headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.text
    return AttachmentStatus.model_validate(response.json())


def _status(server: ServerApp, device: DeviceClient, sha: str) -> AttachmentStatus:
    response = server.client.get(f"/v1/attachments/{sha}", headers=device.headers)
    assert response.status_code == 200, response.text
    return AttachmentStatus.model_validate(response.json())


def test_interrupted_upload_resumes_and_download_matches(server: ServerApp) -> None:
    director = server.enrol("director")
    content = os.urandom(CHUNK * 2 + 1234)
    sha = _attach(director, content)
    pieces = [content[i : i + CHUNK] for i in range(0, len(content), CHUNK)]
    status = _status(server, director, sha)
    assert (status.size, status.chunks_total, status.received, status.complete) == (len(content), 3, [], False)
    # The link breaks after chunk 2 went up (chunks may arrive in any order).
    assert _put(server, director, sha, 2, pieces[2]).received == [2]
    # Downloading before the upload is complete is refused.
    early = server.client.get(f"/v1/attachments/{sha}/chunks/2", headers=director.headers)
    assert early.status_code == 409
    # Resume: ask what is missing, send only that.
    missing = [i for i in range(status.chunks_total) if i not in _status(server, director, sha).received]
    assert missing == [0, 1]
    _put(server, director, sha, 0, pieces[0])
    _put(server, director, sha, 0, pieces[0])  # a retried chunk is harmless
    final = _put(server, director, sha, 1, pieces[1])
    assert final.complete and final.received == [0, 1, 2]
    # Someone else in scope (the supervisor) downloads it.
    supervisor = server.enrol("supervisor")
    got = b"".join(
        server.client.get(f"/v1/attachments/{sha}/chunks/{i}", headers=supervisor.headers).content
        for i in range(final.chunks_total)
    )
    assert hashlib.sha256(got).hexdigest() == sha and got == content


def test_wrong_sizes_indexes_and_content_are_refused(server: ServerApp) -> None:
    director = server.enrol("director")
    content = os.urandom(CHUNK + 10)
    sha = _attach(director, content)
    short = server.client.put(
        f"/v1/attachments/{sha}/chunks/0", content=b"abc", headers=director.headers
    )
    assert short.status_code == 422 and ErrorBody.model_validate(short.json()).code == "bad_chunk_size"
    beyond = server.client.put(
        f"/v1/attachments/{sha}/chunks/5", content=b"x" * 10, headers=director.headers
    )
    assert beyond.status_code == 422 and beyond.json()["code"] == "bad_chunk_index"
    # Right sizes, wrong bytes: the hash check on completion throws the chunks away.
    _put(server, director, sha, 0, os.urandom(CHUNK))
    bad = server.client.put(
        f"/v1/attachments/{sha}/chunks/1", content=content[CHUNK:], headers=director.headers
    )
    assert bad.status_code == 422 and bad.json()["code"] == "hash_mismatch"
    status = _status(server, director, sha)
    assert status.received == [] and not status.complete
    # The honest upload then succeeds.
    _put(server, director, sha, 0, content[:CHUNK])
    assert _put(server, director, sha, 1, content[CHUNK:]).complete


def test_attachments_outside_scope_are_invisible(server: ServerApp) -> None:
    director = server.enrol("director")
    content = b"scanned agreement"
    sha = _attach(director, content)
    _put(server, director, sha, 0, content)
    other = server.enrol("director2")
    for response in (
        server.client.get(f"/v1/attachments/{sha}", headers=other.headers),
        server.client.get(f"/v1/attachments/{sha}/chunks/0", headers=other.headers),
        server.client.put(f"/v1/attachments/{sha}/chunks/0", content=content, headers=other.headers),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "attachment_not_found"
    unknown = hashlib.sha256(b"nothing").hexdigest()
    assert server.client.get(f"/v1/attachments/{unknown}", headers=director.headers).status_code == 404
    assert server.client.get("/v1/attachments/NOT-A-HASH", headers=director.headers).status_code == 422
