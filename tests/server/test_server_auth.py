"""Enrolment, whoami, the persisted login rate limit, revocation and the audit trail."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from gxcare_desktop.sync.protocol import EnrolResponse, ErrorBody, WhoAmI
from sync_server.accounts import now_ms
from sync_server.main import create_app
from sync_server.models import AuditEvent, Device, LoginAttempt
from tests.server.support import ServerApp
from tests.server_fixtures import PASSWORD, TOWNSHIP, VILLAGE


def _enrol(client: TestClient, username: str, password: str, *, addr_headers: dict[str, str] | None = None) -> int:
    response = client.post(
        "/v1/auth/enrol",
        json={"username": username, "password": password, "device_name": "pc"},
        headers=addr_headers or {},
    )
    return response.status_code


def test_enrol_returns_token_and_whoami_knows_the_device(server: ServerApp) -> None:
    response = server.client.post(
        "/v1/auth/enrol",
        json={"username": "supervisor", "password": PASSWORD, "device_name": "乡镇办公室"},
    )
    assert response.status_code == 200
    enrolment = EnrolResponse.model_validate(response.json())
    assert enrolment.division_code == TOWNSHIP and enrolment.role.value == "township_supervisor"
    assert len(enrolment.token) >= 40 and enrolment.server_epoch
    who = server.client.get(
        "/v1/auth/whoami", headers={"Authorization": f"Bearer {enrolment.token}"}
    )
    assert who.status_code == 200
    assert WhoAmI.model_validate(who.json()).device_id == enrolment.device_id
    with server.session() as session:
        device = session.get(Device, enrolment.device_id)
        assert device is not None
        # Only the digest is stored, never the token itself.
        assert device.token_hash != enrolment.token and len(device.token_hash) == 64
        assert device.name == "乡镇办公室"


def test_wrong_password_and_unknown_user_get_the_same_401(server: ServerApp) -> None:
    wrong = server.client.post(
        "/v1/auth/enrol", json={"username": "director", "password": "nope-nope", "device_name": ""}
    )
    unknown = server.client.post(
        "/v1/auth/enrol", json={"username": "nobody", "password": "nope-nope", "device_name": ""}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert ErrorBody.model_validate(wrong.json()).code == "bad_credentials"
    assert wrong.json() == unknown.json()


def test_five_failures_lock_the_account_even_for_the_right_password(server: ServerApp) -> None:
    for _ in range(5):
        assert _enrol(server.client, "director", "wrong-password") == 401
    response = server.client.post(
        "/v1/auth/enrol", json={"username": "director", "password": PASSWORD, "device_name": ""}
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert ErrorBody.model_validate(response.json()).code == "too_many_attempts"
    # Another account from the same address is not locked by this one's failures.
    assert _enrol(server.client, "supervisor", PASSWORD) == 200


def test_rate_limit_is_shared_by_workers(server: ServerApp) -> None:
    """A second app on the same database (another worker) sees the failures of the first."""
    for _ in range(3):
        assert _enrol(server.client, "director2", "wrong-password") == 401
    other_worker = create_app(server.settings)
    try:
        with TestClient(other_worker) as client:
            for _ in range(2):
                assert _enrol(client, "director2", "wrong-password") == 401
            assert _enrol(client, "director2", PASSWORD) == 429
        assert _enrol(server.client, "director2", PASSWORD) == 429
    finally:
        other_worker.state.engine.dispose()


def test_attempts_older_than_a_day_are_pruned_at_the_next_enrolment(server: ServerApp) -> None:
    day_ms = 24 * 3600 * 1000
    with server.session() as session:
        for age_ms in (2 * day_ms, day_ms + server.settings.login_window_s * 1000 + 60_000, 3_600_000):
            session.add(LoginAttempt(at_ms=now_ms() - age_ms, username="director2", client_addr="10.0.0.9", success=False))
        session.commit()
    assert _enrol(server.client, "director2", PASSWORD) == 200
    with server.session() as session:
        ages = sorted(now_ms() - a.at_ms for a in session.exec(select(LoginAttempt)))
    assert len(ages) == 2 and ages[1] < 3_700_000  # the hour-old failure and this success


def test_failures_per_address_across_accounts_are_limited(server: ServerApp) -> None:
    limit = server.settings.login_max_failures_addr
    for i in range(limit):
        assert _enrol(server.client, f"guess{i}", "wrong-password") == 401
    assert _enrol(server.client, "county", PASSWORD) == 429


def test_missing_or_bad_token_is_401_with_error_body(server: ServerApp) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = server.client.get("/v1/sync/pull", headers=headers)
        assert response.status_code == 401
        assert ErrorBody.model_validate(response.json()).code == "unauthorized"


def test_revoked_device_is_refused_at_once(server: ServerApp) -> None:
    lost = server.enrol("director", "lost laptop")
    supervisor = server.enrol("supervisor")
    assert lost.pull().next_cursor == 0
    listed = server.client.get("/v1/admin/devices", headers=supervisor.headers)
    assert lost.device_id in {d["id"] for d in listed.json()["devices"]}
    revoked = server.client.post(
        f"/v1/admin/devices/{lost.device_id}/revoke", headers=supervisor.headers
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_ms"] is not None
    assert server.client.get("/v1/sync/pull", headers=lost.headers).status_code == 401
    assert lost.push_raw([lost.change("child", "x", "name", "a", division=VILLAGE)]).status_code == 401
    # The supervisor's own device still works; a new enrolment of the same user works too.
    assert supervisor.pull().next_cursor >= 0
    assert server.enrol("director").pull().next_cursor >= 0


def test_village_director_cannot_revoke_and_nobody_revokes_outside_scope(server: ServerApp) -> None:
    director = server.enrol("director")
    far = server.enrol("far_director")
    supervisor = server.enrol("supervisor")
    assert server.client.post(
        f"/v1/admin/devices/{far.device_id}/revoke", headers=director.headers
    ).status_code == 403
    assert server.client.post(
        f"/v1/admin/devices/{far.device_id}/revoke", headers=supervisor.headers
    ).status_code == 404
    assert far.pull().next_cursor >= 0


def test_device_can_sign_itself_out(server: ServerApp) -> None:
    device = server.enrol("director")
    assert server.client.post("/v1/auth/revoke", headers=device.headers).status_code == 200
    assert server.client.get("/v1/auth/whoami", headers=device.headers).status_code == 401


def test_audit_trail_records_enrol_push_pull_snapshot_revoke(server: ServerApp) -> None:
    device = server.enrol("director")
    device.push([device.change("child", "c1", "division_code", VILLAGE, division=VILLAGE)])
    device.pull()
    device.snapshot()
    server.client.post("/v1/auth/revoke", headers=device.headers)
    _enrol(server.client, "director", "wrong-password")
    with server.session() as session:
        events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [e.action for e in events]
    for action in ("enrol", "push", "pull", "snapshot", "revoke", "enrol_failed"):
        assert action in actions
    push = next(e for e in events if e.action == "push")
    assert push.device_id == device.device_id and push.username == "director"
    assert push.count == 1 and '"accepted": 1' in push.detail
    assert push.client_addr  # TestClient's address
