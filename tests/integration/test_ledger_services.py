"""The service API on a real encrypted ledger: writes, validation, change log, search and filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.ledger import ChildQuery, Ledger, NotFound
from gxcare_desktop.ledger.tables import AuditEntry, ChangeLogEntry, Child, Visit
from tests.conftest import OTHER_VILLAGE, VILLAGE
from tests.helpers import child_fields, make_id


def _counts(ledger: Ledger) -> tuple[int, int, int]:
    with ledger.reading() as s:
        return (
            s.execute(select(func.count()).select_from(Child)).scalar_one(),
            s.execute(select(func.count()).select_from(ChangeLogEntry)).scalar_one(),
            s.execute(select(func.count()).select_from(AuditEntry)).scalar_one(),
        )


def test_create_child_writes_record_change_log_and_audit_together(ledger: Ledger) -> None:
    before = _counts(ledger)
    child = ledger.create_child(**child_fields())
    after = _counts(ledger)
    assert after[0] == before[0] + 1
    assert after[2] == before[2] + 1
    with ledger.reading() as s:
        fields = set(s.scalars(select(ChangeLogEntry.field).where(ChangeLogEntry.row_id == child.id)))
    assert {"name", "id_number", "birth_date", "categories", "division_code"} <= fields
    assert child.division_code == VILLAGE
    assert child.name_initials == "wxm" and child.name_pinyin.startswith("wei")
    clocks = ledger.field_clocks("child", child.id)
    assert clocks["name"] == clocks["id_number"] == clocks["division_code"]


def test_a_failure_half_way_leaves_neither_record_nor_change_log(ledger: Ledger) -> None:
    before = _counts(ledger)
    with pytest.raises(RuntimeError), ledger.unit_of_work():
        ledger.create_child(**child_fields())
        assert _counts(ledger)[0] == before[0] + 1  # visible inside the transaction
        raise RuntimeError("power cut")
    assert _counts(ledger) == before


def test_a_service_call_that_fails_validation_half_way_writes_nothing(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    before = _counts(ledger)
    with ledger.reading() as s:
        visits = s.execute(select(func.count()).select_from(Visit)).scalar_one()
    with pytest.raises(ValidationError) as err:
        # The assessment part is valid; the visit date is before birth, found after it is staged.
        ledger.record_visit(child.id, visit_date=date(2010, 1, 1), mode="home", guardianship_level="normal")
    assert err.value.field == "visit_date"
    assert _counts(ledger) == before
    with ledger.reading() as s:
        assert s.execute(select(func.count()).select_from(Visit)).scalar_one() == visits


def test_bad_input_names_the_field_in_both_languages_and_changes_nothing(ledger: Ledger) -> None:
    before = _counts(ledger)
    cases = [
        ({"id_number": "450124201605201213"}, "id_number"),  # wrong check character
        ({"birth_date": "2016-02-30", "id_number": ""}, "birth_date"),
        ({"sex": "7"}, "sex"),
        ({"categories": ["left_behind"], "birth_date": date(2008, 1, 1), "id_number": make_id(date(2008, 1, 1), male=True)}, "categories"),
        ({"name": ""}, "name"),
        ({"ethnicity": "火星族"}, "ethnicity"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as err:
            ledger.create_child(**child_fields(**overrides))
        assert err.value.field == field, (overrides, err.value)
        assert err.value.message.zh and err.value.message.en
    assert _counts(ledger) == before


def test_left_behind_child_of_17_is_refused_with_the_reason(ledger: Ledger) -> None:
    birth = date.today().replace(year=date.today().year - 17) - timedelta(days=3)
    with pytest.raises(ValidationError) as err:
        ledger.create_child(**child_fields(birth_date=birth))
    assert "16" in err.value.message.zh and "16" in err.value.message.en
    orphan = ledger.create_child(**child_fields(birth_date=birth, categories=["orphan"]))
    assert orphan.age_out_on is not None and orphan.age_out_on > date.today()


def test_id_number_fills_birth_date_and_sex_and_is_unique(ledger: Ledger) -> None:
    birth = date(2014, 7, 1)
    child = ledger.create_child(name="莫小红", id_number=make_id(birth, male=False).lower(), categories=["difficulty_poverty"])
    assert child.birth_date == birth and child.sex == "2"
    with pytest.raises(ValidationError) as err:
        ledger.create_child(name="莫小红", id_number=make_id(birth, male=False))
    assert err.value.field == "id_number" and "莫小红" in err.value.message.zh
    assert ledger.find_child_by_id_number(make_id(birth, male=False)).id == child.id  # type: ignore[union-attr]


def test_update_and_archive_keep_history_and_never_delete(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    ledger.update_child(child.id, schooling="junior")
    with pytest.raises(ValidationError) as err:
        ledger.archive_child(child.id, reason="", on=date.today())
    assert err.value.field == "exit_reason"
    ledger.archive_child(child.id, reason="parents_returned", on=date.today())
    archived = ledger.get_child(child.id)
    assert archived.archived and archived.exit_reason == "parents_returned"
    assert ledger.list_children(ChildQuery()) == []
    assert [c.id for c in ledger.list_children(ChildQuery(archived=True))] == [child.id]
    history = ledger.history("child", child.id)
    schooling = [h for h in history if h.field == "schooling"]
    assert [(h.old, h.new) for h in schooling] == [(None, "primary"), ("primary", "junior")]
    with pytest.raises(ValidationError):
        ledger.retract("child", child.id)


def test_visit_sets_next_due_and_clears_overdue(ledger: Ledger) -> None:
    registered = date.today() - timedelta(days=200)
    child = ledger.create_child(**child_fields(registered_on=registered))
    assert child.next_visit_due == registered + timedelta(days=90)
    assert [c.id for c in ledger.list_children(ChildQuery(overdue=True))] == [child.id]
    visit = ledger.record_visit(child.id, visit_date=date.today(), mode="home", checks=["safety", "health"], findings="一切正常")
    assert visit.next_due == date.today() + timedelta(days=90)
    assert ledger.list_children(ChildQuery(overdue=True)) == []
    assert ledger.preview_next_due(child.id, visit_date=date.today(), guardianship_level="missing") == date.today() + timedelta(days=7)


def test_assessment_of_missing_guardianship_makes_the_child_high_risk(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    ledger.assess(child.id, level="missing", assessed_on=date.today())
    refreshed = ledger.get_child(child.id)
    assert refreshed.risk_level == "high"
    assert refreshed.next_visit_due == date.today() + timedelta(days=7)
    assert [c.id for c in ledger.list_children(ChildQuery(risk="high"))] == [child.id]


def test_parent_contact_filter(ledger: Ledger) -> None:
    old = date.today() - timedelta(days=30)
    quiet = ledger.create_child(**child_fields(name="蓝小雨", seq=1, registered_on=old))
    called = ledger.create_child(**child_fields(name="蓝小雪", seq=2, registered_on=old))
    ledger.record_parent_contact(called.id, contact_date=date.today() - timedelta(days=2), parent="mother", mode="video")
    assert [c.id for c in ledger.list_children(ChildQuery(no_contact=True))] == [quiet.id]


def test_search_by_pinyin_initials_name_and_id_number(ledger: Ledger) -> None:
    zhang = ledger.create_child(**child_fields(name="张三", seq=3))
    ledger.create_child(**child_fields(name="韦小明", seq=4))
    assert [c.id for c in ledger.list_children(ChildQuery(text="zs"))] == [zhang.id]
    assert [c.id for c in ledger.list_children(ChildQuery(text="ZS"))] == [zhang.id]
    assert [c.id for c in ledger.list_children(ChildQuery(text="张"))] == [zhang.id]
    assert [c.id for c in ledger.list_children(ChildQuery(text=zhang.id_number[-6:]))] == [zhang.id]
    assert [c.name for c in ledger.list_children(ChildQuery(text="w"))] == ["韦小明"]
    assert [c.name for c in ledger.list_children(ChildQuery(text="zhang"))] == ["张三"]


def test_age_out_filter_and_category_filter(ledger: Ledger) -> None:
    today = date.today()
    soon = ledger.create_child(**child_fields(name="覃大", seq=5, birth_date=today.replace(year=today.year - 16) + timedelta(days=10)))
    ledger.create_child(**child_fields(name="覃小", seq=6, categories=["orphan"]))
    assert [c.id for c in ledger.list_children(ChildQuery(age_out_within_days=30))] == [soon.id]
    assert [c.name for c in ledger.list_children(ChildQuery(category="orphan"))] == ["覃小"]


def test_parents_care_and_eligibility_use_them(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    ledger.set_parent(child.id, "father", name="韦大山", condition="working_away", work_province="广东省", work_city="东莞市", phone="13812345678")
    ledger.set_parent(child.id, "mother", name="黄二妹", condition="working_away")
    ledger.set_parent(child.id, "father", phone="13912345678")  # updates, never duplicates
    ledger.set_care(child.id, care_type="grandparents", caregiver_name="韦老伯", caregiver_phone="0771-1234567")
    file = ledger.child_file(child.id)
    assert file.father is not None and file.father.phone == "13912345678" and file.father.name == "韦大山"
    assert file.mother is not None and file.others == []
    assert file.care is not None and file.care.care_type == "grandparents"
    with pytest.raises(ValidationError) as err:
        ledger.set_parent(child.id, "mother", phone="12345")
    assert err.value.field == "phone"
    # Orphan status needs both parents dead or missing: refused, with the reason.
    with pytest.raises(ValidationError) as err:
        ledger.update_child(child.id, categories=["orphan"])
    assert err.value.field == "categories"


def test_attachments_are_stored_inside_the_encrypted_file(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    data = b"\x89PNG fake but bytes" * 100
    attachment = ledger.attach_file(child.id, data=data, filename="协议.png", mime="image/png", kind="agreement")
    assert ledger.attachment_data(attachment.id) == data
    assert data not in ledger.path.read_bytes()
    assert ledger.child_file(child.id).attachments[0].sha256 == attachment.sha256


def test_children_outside_the_village_are_refused(ledger: Ledger) -> None:
    with pytest.raises(ValidationError) as err:
        ledger.create_child(**child_fields(division_code=OTHER_VILLAGE))
    assert err.value.field == "division_code"


def test_unknown_child_gives_not_found(ledger: Ledger) -> None:
    with pytest.raises(NotFound):
        ledger.record_visit("no-such-child", visit_date=date.today(), mode="home")


def test_viewing_a_file_is_audited(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    ledger.child_file(child.id)
    with ledger.reading() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.row_id == child.id)))
    assert actions == ["create", "view"]
    assert ledger.verify_audit_chain().ok


def test_outbox_holds_unsent_local_changes_until_marked(ledger: Ledger) -> None:
    ledger.create_child(**child_fields())
    pending = ledger.pending_changes()
    assert pending == len(ledger.outbox(limit=1000)) > 5
    ledger.mark_pushed([(c.change_id, "accepted", "") for c in ledger.outbox(limit=3)])
    assert ledger.pending_changes() == pending - 3
    with ledger.reading() as s:
        assert s.execute(text("SELECT count(*) FROM ledger_change_log WHERE push_status='accepted'")).scalar_one() == 3
