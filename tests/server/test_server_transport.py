"""Compressed bodies, size limits, malformed requests (nothing changed) and compressed answers."""

from __future__ import annotations

import gzip
import json

from gxcare_desktop.sync.protocol import ErrorBody
from tests.server.support import ServerApp, new_id
from tests.server_fixtures import VILLAGE


def _body(server: ServerApp, device_changes: list[dict[str, object]]) -> bytes:
    return json.dumps({"changes": device_changes}, ensure_ascii=False).encode("utf-8")


def test_gzip_request_body_is_accepted(server: ServerApp) -> None:
    device = server.enrol("director")
    changes = device.record("child", new_id(), {"name": "韦小明", "notes": "备注" * 500}, division=VILLAGE)
    raw = _body(server, [c.model_dump() for c in changes])
    response = server.client.post(
        "/v1/sync/push",
        content=gzip.compress(raw),
        headers={**device.headers, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["accepted"] * 3


def test_responses_are_gzip_compressed_when_asked(server: ServerApp) -> None:
    device = server.enrol("director")
    device.push(device.record("child", new_id(), {"notes": "长文本" * 1000}, division=VILLAGE))
    response = server.client.get(
        "/v1/sync/pull", headers={**device.headers, "Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["changes"][1]["value"].startswith("长文本")


def test_oversized_body_is_413_before_and_after_decompression(server: ServerApp) -> None:
    device = server.enrol("director")
    limit = server.settings.max_body_bytes
    big = b'{"changes": [], "pad": "' + b"x" * limit + b'"}'
    plain = server.client.post(
        "/v1/sync/push", content=big, headers={**device.headers, "Content-Type": "application/json"}
    )
    assert plain.status_code == 413
    assert ErrorBody.model_validate(plain.json()).code == "body_too_large"
    bomb = gzip.compress(big)
    assert len(bomb) < limit // 100  # small on the wire, too large once inflated
    inflated = server.client.post(
        "/v1/sync/push",
        content=bomb,
        headers={**device.headers, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert inflated.status_code == 413
    assert server.log_count() == 0


def test_malformed_requests_are_4xx_with_error_body_and_change_nothing(server: ServerApp) -> None:
    device = server.enrol("director")
    good = device.change("child", new_id(), "division_code", VILLAGE, division=VILLAGE).model_dump()
    cases: list[tuple[bytes, dict[str, str]]] = [
        (b'{"changes": [', {}),  # truncated JSON
        (b'{"changes": "all of them"}', {}),  # wrong shape
        (json.dumps({"changes": [good, {**good, "change_id": "x", "value": {"a": 1}}]}).encode(), {}),
        (json.dumps({"changes": [{**good, "change_id": ""}]}).encode(), {}),
        (b"\x1f\x8b\x08not really gzip", {"Content-Encoding": "gzip"}),
        (b"{}", {"Content-Encoding": "br"}),
    ]
    for content, extra in cases:
        response = server.client.post(
            "/v1/sync/push",
            content=content,
            headers={**device.headers, "Content-Type": "application/json", **extra},
        )
        assert 400 <= response.status_code < 500, (content, response.status_code)
        body = ErrorBody.model_validate(response.json())
        assert body.code and body.message_zh and body.message_en
    assert server.log_count() == 0
    # The whole batch is refused, including its one good change.
    assert server.field_value("child", good["row_id"], "division_code") is None  # type: ignore[arg-type]


def test_too_many_changes_in_one_push_is_422(server: ServerApp) -> None:
    device = server.enrol("director")
    change = device.change("child", new_id(), "division_code", VILLAGE, division=VILLAGE).model_dump()
    response = server.client.post(
        "/v1/sync/push", json={"changes": [change] * 5001}, headers=device.headers
    )
    assert response.status_code == 422
    assert server.log_count() == 0


def test_unknown_route_is_404_error_body(server: ServerApp) -> None:
    response = server.client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert ErrorBody.model_validate(response.json()).code == "http_404"


def test_health_needs_no_token_and_openapi_describes_every_route(server: ServerApp) -> None:
    health = server.client.get("/v1/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    spec = server.client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/v1/health", "/v1/auth/enrol", "/v1/auth/whoami", "/v1/sync/push", "/v1/sync/pull",
        "/v1/sync/snapshot", "/v1/sync/conflicts", "/v1/sync/conflicts/{conflict_id}/resolve",
        "/v1/attachments/{sha256}", "/v1/attachments/{sha256}/chunks/{index}",
        "/v1/admin/devices", "/v1/admin/devices/{device_id}/revoke",
    ):
        assert path in paths, path
    push = paths["/v1/sync/push"]["post"]
    assert push["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PushResponse"
    )
    assert push["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorBody"
    )
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert paths["/v1/sync/pull"]["get"]["responses"]["409"]
