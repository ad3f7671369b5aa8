"""Staff registry: directors and supervisors by real name, training, trained rate per township."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE
from tests.integration._workflow_support import COUNTY, carry, make_ledger

OTHER_TOWNSHIP = "450124101"  # another township of 马山县


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Ledger]:
    ledger = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    yield ledger
    ledger.close()


def test_register_train_and_rate(supervisor: Ledger, ledger: Ledger) -> None:
    wei = wf.register_staff(supervisor, name="韦主任", phone="13877110001", role="village_director",
                            unit_code=VILLAGE, appointed_on=date(2025, 3, 1))
    qin = wf.register_staff(supervisor, name="覃主任", phone="13877110002", role=Role.VILLAGE_DIRECTOR,
                            unit_code=OTHER_VILLAGE, appointed_on=date(2025, 4, 1))
    huang = wf.register_staff(supervisor, name="黄督导", phone="0771-6821234", role="township_supervisor",
                              unit_code=TOWNSHIP, appointed_on=date(2024, 9, 1))
    assert huang.unit_code == TOWNSHIP and huang.division_code.startswith(TOWNSHIP) and len(huang.division_code) == 12
    wf.add_training(supervisor, staff_id=wei.id, kind="initial", trained_on=date(2025, 3, 10), hours=16, topic="初任培训")
    wf.add_training(supervisor, staff_id=wei.id, kind="periodic", trained_on=date(2026, 5, 10), hours=8)
    wf.add_training(supervisor, staff_id=huang.id, kind="initial", trained_on=date(2024, 9, 20))
    with pytest.raises(ValidationError) as early:
        wf.add_training(supervisor, staff_id=qin.id, kind="initial", trained_on=date(2025, 3, 1))
    assert early.value.field == "trained_on"

    rows = {r.name: r for r in wf.staff_rows(supervisor)}
    assert rows["韦主任"].trained and rows["韦主任"].last_periodic_on == date(2026, 5, 10) and rows["韦主任"].trainings == 2
    assert not rows["覃主任"].trained
    assert rows["黄督导"].unit_name and rows["黄督导"].role == "township_supervisor"
    rates = wf.trained_rates(supervisor)
    assert [(r.township_code, r.staff, r.trained) for r in rates] == [(TOWNSHIP, 3, 2)]
    assert rates[0].rate == pytest.approx(2 / 3)

    # Leaving the post: no longer counted.
    wf.update_staff(supervisor, qin.id, active=False)
    assert wf.trained_rates(supervisor)[0].rate == 1.0
    assert len(wf.staff_rows(supervisor, include_inactive=True)) == 3

    # The village director sees the registry of the village, read-only.
    carry(supervisor, ledger)
    assert [r.name for r in wf.staff_rows(ledger)] == ["韦主任"]
    with pytest.raises(wf.NotAllowed):
        wf.register_staff(ledger, name="韦二", phone="13877110003", role="village_director",
                          unit_code=VILLAGE, appointed_on=date(2026, 1, 1))
    with pytest.raises(wf.NotAllowed):
        wf.add_training(ledger, staff_id=wei.id, kind="periodic", trained_on=date(2026, 6, 1))


def test_unit_must_fit_the_role_and_the_jurisdiction(supervisor: Ledger) -> None:
    with pytest.raises(ValidationError) as wrong_level:
        wf.register_staff(supervisor, name="韦主任", phone="13877110001", role="village_director",
                          unit_code=TOWNSHIP, appointed_on=date(2025, 3, 1))
    assert wrong_level.value.field == "unit_code"
    with pytest.raises(wf.NotAllowed):
        wf.register_staff(supervisor, name="李主任", phone="13877110009", role="village_director",
                          unit_code="450102001003", appointed_on=date(2025, 3, 1))
    with pytest.raises(ValidationError) as phone:
        wf.register_staff(supervisor, name="韦主任", phone="123", role="village_director",
                          unit_code=VILLAGE, appointed_on=date(2025, 3, 1))
    assert phone.value.field == "phone"
    with pytest.raises(ValidationError):
        wf.register_staff(supervisor, name="韦主任", phone="13877110001", role="boss",
                          unit_code=VILLAGE, appointed_on=date(2025, 3, 1))


def test_county_sees_rates_per_township(tmp_path: Path, supervisor: Ledger) -> None:
    county = make_ledger(tmp_path, "county", COUNTY, Role.COUNTY_ADMIN, "蓝科长")
    try:
        a = wf.register_staff(county, name="韦主任", phone="13877110001", role="village_director",
                              unit_code=VILLAGE, appointed_on=date(2025, 3, 1))
        wf.add_training(county, staff_id=a.id, kind="initial", trained_on=date(2025, 3, 2))
        other_village = next(code for code in __import__("gxcare_desktop.domain.divisions", fromlist=["x"])
                             .load_divisions().village_codes_under(OTHER_TOWNSHIP))
        wf.register_staff(county, name="蒙主任", phone="13877110004", role="village_director",
                          unit_code=other_village, appointed_on=date(2025, 3, 1))
        assert [(r.township_code, r.staff, r.trained) for r in wf.trained_rates(county)] == [
            (TOWNSHIP, 1, 1), (OTHER_TOWNSHIP, 1, 0)
        ]
        # The township ledger only receives its own township's staff.
        carry(county, supervisor)
        assert [r.name for r in wf.staff_rows(supervisor)] == ["韦主任"]
    finally:
        county.close()
