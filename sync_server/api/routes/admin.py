"""Device administration for supervisors and county administrators, within their jurisdiction."""

from __future__ import annotations

from fastapi import APIRouter

from gxcare_desktop.sync.protocol import ErrorBody

from ... import accounts
from ...core.errors import ERROR_RESPONSES, APIError
from ...models import Device, DeviceList, DevicePublic, User
from ...scope import REVIEWER_ROLES, covers
from ...services import ensure_role
from ..deps import ClientAddr, DeviceDatabase

router = APIRouter(prefix="/admin", tags=["admin"], responses=ERROR_RESPONSES)


def device_public(device: Device, user: User) -> DevicePublic:
    return DevicePublic(
        id=device.id,
        name=device.name,
        username=user.username,
        role=user.role,
        division_code=user.division_code,
        created_ms=device.created_ms,
        last_seen_ms=device.last_seen_ms,
        revoked_ms=device.revoked_ms,
        last_pull_cursor=device.last_pull_cursor,
    )


@router.get("/devices", response_model=DeviceList)
def devices(db: DeviceDatabase) -> DeviceList:
    """Devices of the users in the caller's jurisdiction."""
    with db.as_device() as (session, caller):
        ensure_role(caller, REVIEWER_ROLES)
        pairs = accounts.list_devices(session, scope=caller.scope)
    return DeviceList(devices=[device_public(device, user) for device, user in pairs])


@router.post(
    "/devices/{device_id}/revoke",
    response_model=DevicePublic,
    responses={404: {"model": ErrorBody, "description": "No such device in your jurisdiction"}},
)
def revoke(device_id: str, db: DeviceDatabase, client_addr: ClientAddr) -> DevicePublic:
    """Cut a lost or stolen device off at once."""
    with db.as_device() as (session, caller):
        ensure_role(caller, REVIEWER_ROLES)
        device = session.get(Device, device_id)
        user = session.get(User, device.user_id) if device is not None else None
        if device is None or user is None or not covers(caller.scope, user.division_code):
            raise APIError(404, "device_not_found", "您的管辖范围内没有该设备", "No such device in your jurisdiction")
        accounts.revoke_device(
            session, device_id=device_id, by=caller.user.username, client_addr=client_addr
        )
        session.commit()
        return device_public(device, user)
