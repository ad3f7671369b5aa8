"""Device enrolment (username + password → device token), whoami, and revoking one's own device."""

from __future__ import annotations

from fastapi import APIRouter

from gxcare_desktop.sync.protocol import EnrolRequest, EnrolResponse, ErrorBody, WhoAmI

from ... import accounts
from ...core.errors import ERROR_RESPONSES
from ...scope import role_of
from ..deps import ClientAddr, DatabaseDep, DeviceDatabase, SettingsDep

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)


@router.post(
    "/enrol",
    response_model=EnrolResponse,
    responses={429: {"model": ErrorBody, "description": "Too many failed logins; see Retry-After"}},
)
def enrol(
    body: EnrolRequest, db: DatabaseDep, settings: SettingsDep, client_addr: ClientAddr
) -> EnrolResponse:
    with db.session() as session:
        device, user, token = accounts.enrol(
            session,
            username=body.username,
            password=body.password,
            device_name=body.device_name,
            client_addr=client_addr,
            settings=settings,
        )
        return EnrolResponse(
            device_id=device.id,
            token=token,
            username=user.username,
            role=role_of(user.role),
            division_code=user.division_code,
            server_epoch=accounts.server_epoch(session),
        )


@router.get("/whoami", response_model=WhoAmI)
def whoami(db: DeviceDatabase) -> WhoAmI:
    with db.as_device() as (_session, caller):
        pass
    return WhoAmI(
        username=caller.user.username,
        role=caller.role,
        division_code=caller.user.division_code,
        device_id=caller.device.id,
    )


@router.post("/revoke", response_model=WhoAmI)
def revoke_self(db: DeviceDatabase, client_addr: ClientAddr) -> WhoAmI:
    """Sign this device out for good (its token stops working at once)."""
    with db.as_device() as (session, caller):
        accounts.revoke_device(
            session, device_id=caller.device.id, by=caller.user.username, client_addr=client_addr
        )
        session.commit()
    return WhoAmI(
        username=caller.user.username,
        role=caller.role,
        division_code=caller.user.division_code,
        device_id=caller.device.id,
    )
