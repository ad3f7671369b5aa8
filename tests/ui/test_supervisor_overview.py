"""The township overview and the staff page, as a supervisor (and a director) uses them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from gxcare_desktop.domain.divisions import load_divisions
from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from gxcare_desktop.ui.pages.staff_page import StaffPage
from gxcare_desktop.ui.pages.township_page import TownshipPage
from tests.conftest import TOWNSHIP, VILLAGE
from tests.helpers import child_fields
from tests.integration._workflow_support import carry, make_ledger


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Ledger]:
    ledger = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    yield ledger
    ledger.close()


def _show(qtbot, page):  # type: ignore[no-untyped-def]
    qtbot.addWidget(page)
    page.resize(1200, 750)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.page_shown()
    return page


def test_overview_rows_silent_villages_and_click_through(
    qtbot, ledger: Ledger, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    a = ledger.create_child(**child_fields(seq=51, name="韦一"))
    ledger.create_child(**child_fields(seq=52, name="韦二", sex="2"))
    wf.apply_no_carer(ledger, child_id=a.id)
    carry(ledger, supervisor)
    page = _show(qtbot, TownshipPage(make_context(supervisor)))

    villages = load_divisions().village_codes_under(TOWNSHIP)
    assert page.table.rowCount() == len(villages) > 1
    row = page.table.keys.index(VILLAGE)
    assert page.table.item(row, 1).text() == "2" and page.table.item(row, 5).text() == "1"
    assert not page.table.is_flagged(row)  # just heard from
    silent = [r for r in range(page.table.rowCount()) if r != row]
    assert all(page.table.is_flagged(r) for r in silent)  # never heard from
    assert page.approvals_table.rowCount() == 1 and page.approvals_table.item(0, 0).text() == "韦一"

    dialog = page.open_village(VILLAGE)
    qtbot.waitUntil(lambda: dialog.list_page.model.rowCount() == 2, timeout=10_000)
    other = page.open_village(page.table.keys[silent[0]])
    qtbot.waitUntil(lambda: not other.list_page.loading, timeout=10_000)
    assert other.list_page.model.rowCount() == 0


def test_a_director_does_not_get_the_overview() -> None:
    class Fake:
        role = Role.VILLAGE_DIRECTOR

    class Sup:
        role = Role.TOWNSHIP_SUPERVISOR

    assert not TownshipPage.shown_for(Fake()) and TownshipPage.shown_for(Sup())


def test_staff_register_train_and_rate(
    qtbot, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    page = _show(qtbot, StaffPage(make_context(supervisor)))
    assert page.register_button.isVisible() and page.table.rowCount() == 0

    dialog = page.open_register()
    dialog.name.setText("韦主任")
    dialog.phone.setText("13877110001")
    dialog.role.setCurrentIndex(dialog.role.findData("village_director"))
    dialog.unit.setCurrentIndex(dialog.unit.findData(VILLAGE))
    with qtbot.waitSignals([page.written, page.loaded], timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert page.table.rowCount() == 1 and page.table.is_flagged(0)  # not trained yet
    assert page.rates_table.item(0, 3).text() == "0%"

    page.table.selectRow(0)
    training = page.open_training()
    training.trained_on.setDate(training.trained_on.date())
    with qtbot.waitSignals([page.written, page.loaded], timeout=10_000):
        training.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not page.table.is_flagged(0) and page.rates_table.item(0, 3).text() == "100%"
    assert wf.staff_rows(supervisor)[0].initial_on == date.today()

    # A bad phone number is marked at its field and nothing is written.
    dialog = page.open_register()
    dialog.name.setText("覃主任")
    dialog.phone.setText("12345")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("phone")), timeout=10_000)
    assert len(wf.staff_rows(supervisor)) == 1


def test_a_director_reads_the_staff_registry(
    qtbot, ledger: Ledger, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    wf.register_staff(supervisor, name="韦主任", phone="13877110001", role="village_director", unit_code=VILLAGE,
                      appointed_on=date(2025, 3, 1))
    carry(supervisor, ledger)
    page = _show(qtbot, StaffPage(make_context(ledger)))
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "韦主任"
    assert not page.register_button.isVisible() and not page.training_button.isVisible()


def test_the_main_window_shows_pages_by_role(
    qtbot, ledger: Ledger, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    from gxcare_desktop.ui.main_window import MainWindow
    from gxcare_desktop.ui.pages import CasesPage, ReviewPage, SettingsPage, StaffPage

    pages = (TownshipPage, ReviewPage, CasesPage, StaffPage, SettingsPage)
    for opened, expected in (
        (supervisor, ["township", "review", "cases", "staff", "settings"]),
        (ledger, ["review", "cases", "staff", "settings"]),
    ):
        window = MainWindow(make_context(opened), pages)
        qtbot.addWidget(window)
        assert list(window.pages) == expected
        assert window.navigation.count() == len(expected)
