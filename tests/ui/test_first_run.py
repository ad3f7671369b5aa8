"""The first-run wizard driven as a newcomer would: find the village, set a password, keep the code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ui.dialogs.first_run import FirstRunWizard, PageId
from gxcare_desktop.ui.workers import Workers
from tests.conftest import PASSWORD, VILLAGE


def _wizard(qtbot, path: Path, workers: Workers, printed: list[tuple[str, str]] | None = None,
            **kwargs) -> FirstRunWizard:  # type: ignore[no-untyped-def]
    def fake_print(_parent, code: str, village: str) -> bool:  # type: ignore[no-untyped-def]
        if printed is not None:
            printed.append((code, village))
        return True

    wizard = FirstRunWizard(path, workers, print_recovery=fake_print, **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _click(qtbot, wizard: FirstRunWizard, button: QWizard.WizardButton) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.button(button), Qt.MouseButton.LeftButton)


def test_create_a_ledger(qtbot, ledger_path: Path, workers: Workers, languages) -> None:  # type: ignore[no-untyped-def]
    printed: list[tuple[str, str]] = []
    wizard = _wizard(qtbot, ledger_path, workers, printed)
    assert wizard.currentId() == PageId.WELCOME
    assert wizard.button(QWizard.WizardButton.NextButton).text().startswith("下一步")  # Qt's own catalogue
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    # Village: search by name; the result names its township and county.
    page = wizard.village_page
    assert wizard.currentId() == PageId.VILLAGE
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.search_edit.insert("新汉")  # Chinese arrives committed by the input method
    texts = [page.results.item(i).text() for i in range(page.results.count())]
    match = next(i for i, t in enumerate(texts) if VILLAGE in t)
    assert "白山镇" in texts[match] and "马山县" in texts[match]
    page.results.setCurrentRow(match)
    assert page.village_code == VILLAGE
    assert "新汉村委会" in page.chosen.text()
    qtbot.keyClicks(page.name_edit, "Wei")
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    # Password: a weak one is refused with the reason, a mismatch too.
    pw = wizard.password_page
    assert wizard.currentId() == PageId.PASSWORD
    qtbot.keyClicks(pw.password_edit, "abc")
    qtbot.keyClicks(pw.confirm_edit, "abc")
    assert "至少需要 8 个字符" in pw.problems.text()
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.text() == "创建台账"
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == PageId.PASSWORD
    assert not ledger_path.exists()
    pw.password_edit.clear()
    pw.confirm_edit.clear()
    qtbot.keyClicks(pw.password_edit, PASSWORD)
    qtbot.keyClicks(pw.confirm_edit, PASSWORD + "x")
    assert "不一致" in pw.problems.text()
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == PageId.PASSWORD
    pw.confirm_edit.clear()
    qtbot.keyClicks(pw.confirm_edit, PASSWORD)
    assert pw.problems.text() == ""

    # Creating runs in a worker; the wizard moves on by itself.
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.RECOVERY, timeout=20_000)
    recovery = wizard.recovery_page
    code = recovery.code_label.text()
    assert code and code == wizard.recovery_code
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # not before the code is confirmed
    wizard.reject()  # leaving now would lose the code: refused
    assert wizard.isVisible()
    qtbot.mouseClick(recovery.print_button, Qt.MouseButton.LeftButton)
    assert printed == [(code, "南宁市 马山县 白山镇 新汉村委会")]
    recovery.written_check.setChecked(True)
    assert finish.isEnabled()
    with qtbot.waitSignal(wizard.ledger_created) as created:
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    ledger = created.args[0]
    assert isinstance(ledger, Ledger) and not ledger.is_locked
    assert ledger.village_code == VILLAGE and ledger.user_name == "Wei"
    ledger.close()

    # The ledger on disk opens with the password and with the recovery code that was shown.
    Ledger.open(ledger_path, password=PASSWORD).close()
    Ledger.open(ledger_path, recovery_code=code).close()


def test_browse_the_division_tree_lazily(qtbot, ledger_path: Path, workers: Workers, languages) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, ledger_path, workers)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.village_page
    tree = page.tree
    assert tree.topLevelItemCount() == 14  # Guangxi's cities
    nanning = next(tree.topLevelItem(i) for i in range(14) if tree.topLevelItem(i).text(0) == "南宁市")
    assert nanning.childCount() == 0  # nothing loaded before it is opened
    nanning.setExpanded(True)
    mashan = next(nanning.child(i) for i in range(nanning.childCount()) if nanning.child(i).text(0) == "马山县")
    mashan.setExpanded(True)
    baishan = next(mashan.child(i) for i in range(mashan.childCount()) if mashan.child(i).text(0) == "白山镇")
    baishan.setExpanded(True)
    village = next(baishan.child(i) for i in range(baishan.childCount()) if baishan.child(i).text(0) == "新汉村委会")
    tree.setCurrentItem(mashan)
    assert page.village_code is None  # a county is not a village
    tree.setCurrentItem(village)
    assert page.village_code == VILLAGE
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_try_the_demo_ledger(qtbot, tmp_path: Path, workers: Workers, languages) -> None:  # type: ignore[no-untyped-def]
    demo = tmp_path / "demo" / "demo.gxc"
    wizard = _wizard(qtbot, tmp_path / "mine.gxc", workers, demo_path=demo, demo_children=30)
    wizard.welcome_page.demo_radio.setChecked(True)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == PageId.DEMO
    panel = wizard.demo_page.panel
    assert "Demo-2026" in panel.password_label.text()  # the user is told the password
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.FinishButton).isEnabled(), timeout=60_000)
    with qtbot.waitSignal(wizard.ledger_created) as created:
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    ledger = created.args[0]
    assert wizard.is_demo
    assert 20 <= ledger.count_children() <= 30  # the demo archives a few of its children
    ledger.close()
    assert not (tmp_path / "mine.gxc").exists()  # the user's own ledger is still to be made
    Ledger.open(demo, password="Demo-2026").close()


def test_a_township_supervisor_picks_a_township(qtbot, ledger_path: Path, workers: Workers, languages) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, ledger_path, workers)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.village_page
    page.role_combo.setCurrentIndex(page.role_combo.findData("township_supervisor"))
    assert page.role_combo.currentText() == "儿童督导员"
    page.search_edit.insert("白山")
    codes = [page.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.results.count())]
    assert "450124100" in codes and all(len(c) == 9 for c in codes)  # townships only
    page.results.setCurrentRow(codes.index("450124100"))
    assert "马山县 白山镇" in page.chosen.text()
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    pw = wizard.password_page
    qtbot.keyClicks(pw.password_edit, PASSWORD)
    qtbot.keyClicks(pw.confirm_edit, PASSWORD)
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.RECOVERY, timeout=20_000)
    assert wizard.ledger is not None
    assert wizard.ledger.village_code == "450124100" and wizard.ledger.role.value == "township_supervisor"
    wizard.recovery_page.written_check.setChecked(True)
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    wizard.ledger.close()
