"""Bilingual labels of every record field: one place for form captions, Excel headers and errors."""

from __future__ import annotations

from .records import Entity
from .text import Text

# Plain keys cover every field name in records.RECORDS. A field name shared by entities
# with different meanings also has an "entity.field" key; field_label() prefers that one.
FIELD_LABELS: dict[str, Text] = {
    # common
    "id": Text("编号", "ID"),
    "division_code": Text("所属区划", "Division"),
    "village_code": Text("村（社区）", "Village"),
    "township_code": Text("乡镇（街道）", "Township"),
    "county_code": Text("县（市、区）", "County"),
    "deleted": Text("已删除", "Deleted"),
    "child_id": Text("儿童", "Child"),
    "notes": Text("备注", "Notes"),
    "name": Text("姓名", "Name"),
    "phone": Text("联系电话", "Phone"),
    "id_number": Text("公民身份号码", "ID number"),
    "kind": Text("类别", "Kind"),
    "mode": Text("方式", "Mode"),
    "status": Text("状态", "Status"),
    "level": Text("等级", "Level"),
    # child
    "sex": Text("性别", "Sex"),
    "ethnicity": Text("民族", "Ethnicity"),
    "birth_date": Text("出生日期", "Date of birth"),
    "hukou_registered": Text("是否登记户口", "Hukou registered"),
    "hukou_address": Text("户籍所在地", "Place of household registration"),
    "address": Text("现居住地址", "Current address"),
    "categories": Text("儿童类别", "Categories"),
    "orphan_care": Text("孤儿养育方式", "Orphan care"),
    "health": Text("健康状况", "Health"),
    "disability_kind": Text("残疾类别", "Disability kind"),
    "disability_grade": Text("残疾等级", "Disability grade"),
    "illness": Text("所患疾病", "Illness"),
    "schooling": Text("就学情况", "Schooling"),
    "boarding": Text("是否寄宿", "Boarding"),
    "school_name": Text("学校名称", "School name"),
    "guardianship_type": Text("监护类型", "Guardianship type"),
    "income_sources": Text("家庭经济来源", "Family income sources"),
    "assistance": Text("享受救助情况", "Assistance received"),
    "archived": Text("已归档", "Archived"),
    "exit_reason": Text("退出原因", "Exit reason"),
    "exit_date": Text("退出日期", "Exit date"),
    "registered_on": Text("建档日期", "Registered on"),
    # family member
    "relation": Text("与儿童关系", "Relation to child"),
    "condition": Text("状况", "Condition"),
    "work_province": Text("务工省份", "Province of work"),
    "work_city": Text("务工城市", "City of work"),
    # care arrangement
    "care_type": Text("实际照护情况", "Care type"),
    "caregiver_name": Text("委托照护人姓名", "Caregiver name"),
    "caregiver_id_number": Text("委托照护人身份号码", "Caregiver ID number"),
    "caregiver_phone": Text("委托照护人电话", "Caregiver phone"),
    "caregiver_relation": Text("委托照护人与儿童关系", "Caregiver relation"),
    "caregiver_address": Text("委托照护人住址", "Caregiver address"),
    "notice_given": Text("已书面告知村委会", "Village committee notified in writing"),
    "disqualifications_checked": Text("已核查不得委托情形", "Disqualifications checked"),
    "start_date": Text("开始日期", "Start date"),
    # visit
    "visit_date": Text("走访日期", "Visit date"),
    "seen": Text("见到的人", "Who was seen"),
    "checks": Text("走访内容", "Checklist"),
    "findings": Text("发现问题", "Findings"),
    "help_given": Text("帮扶措施", "Help given"),
    "referred_to": Text("转介单位", "Referred to"),
    "guardianship_level": Text("监护评估", "Guardianship assessment"),
    "next_due": Text("下次走访日期", "Next visit due"),
    "visitor": Text("走访人", "Visitor"),
    # parent contact
    "contact_date": Text("联系日期", "Contact date"),
    "parent": Text("联系的家长", "Parent"),
    # assessment
    "assessed_on": Text("评估日期", "Assessed on"),
    "assessor": Text("评估人", "Assessor"),
    # case
    "situation": Text("强制报告情形", "Reportable situation"),
    "opened_on": Text("发现日期", "Opened on"),
    "place": Text("发现地点", "Place"),
    "observed": Text("发现情况", "What was observed"),
    "reporter_name": Text("报告人姓名", "Reporter name"),
    "reporter_phone": Text("报告人电话", "Reporter phone"),
    "police_reported_at": Text("报警时间", "Reported to police at"),
    "police_unit": Text("接警单位", "Police unit"),
    "police_receipt": Text("报警回执", "Police receipt"),
    "current_step": Text("当前环节", "Current step"),
    "closed_on": Text("结案日期", "Closed on"),
    "feedback": Text("反馈情况", "Feedback"),
    # case step
    "case_id": Text("个案", "Case"),
    "step": Text("处置环节", "Step"),
    "step_date": Text("日期", "Date"),
    "actor": Text("责任人", "Actor"),
    "actions": Text("处置措施", "Actions"),
    "outcome": Text("处置结果", "Outcome"),
    # benefit
    "amount_monthly": Text("月发放金额（元）", "Monthly amount (yuan)"),
    "start_month": Text("起始月份", "First month"),
    "end_month": Text("终止月份", "Last month"),
    # review
    "round": Text("轮次", "Round"),
    "submitted_by": Text("提交人", "Submitted by"),
    "submitted_at": Text("提交时间", "Submitted at"),
    "decided_by": Text("审核人", "Decided by"),
    "decided_at": Text("审核时间", "Decided at"),
    "comment": Text("审核意见", "Comment"),
    "stage": Text("审核阶段", "Stage"),
    "due_on": Text("办理期限", "Due on"),
    # attachment
    "filename": Text("文件名", "File name"),
    "mime": Text("文件类型", "File type"),
    "size": Text("文件大小", "Size"),
    "sha256": Text("校验值", "Checksum"),
    "caption": Text("说明", "Caption"),
    # staff and training
    "role": Text("岗位", "Role"),
    "unit_code": Text("所在单位", "Unit"),
    "appointed_on": Text("任职日期", "Appointed on"),
    "active": Text("在岗", "Active"),
    "staff_id": Text("工作人员", "Staff member"),
    "trained_on": Text("培训日期", "Training date"),
    "hours": Text("培训学时", "Hours"),
    "topic": Text("培训内容", "Topic"),
    # entity-specific meanings of shared names
    "child.name": Text("儿童姓名", "Child's name"),
    "child.id_number": Text("儿童公民身份号码", "Child's ID number"),
    "child.notes": Text("备注", "Notes"),
    "family_member.name": Text("家庭成员姓名", "Family member's name"),
    "family_member.condition": Text("父母状况", "Parent's condition"),
    "staff.name": Text("工作人员姓名", "Staff name"),
    "staff.phone": Text("工作人员电话", "Staff phone"),
    "benefit.kind": Text("补贴类别", "Benefit kind"),
    "review.kind": Text("审核事项", "Review kind"),
    "review.status": Text("审核状态", "Review status"),
    "attachment.kind": Text("附件类别", "Attachment kind"),
    "training.kind": Text("培训类别", "Training kind"),
    "visit.mode": Text("走访方式", "Visit mode"),
    "parent_contact.mode": Text("联系方式", "Contact mode"),
    "assessment.level": Text("监护评估等级", "Assessment level"),
    "father": Text("父亲", "Father"),
    "mother": Text("母亲", "Mother"),
}


def field_label(field: str, entity: str | None = None) -> Text:
    """The label of a field: "entity.field" first, then the plain name, then the last dotted part."""
    if entity is not None:
        label = FIELD_LABELS.get(f"{entity}.{field}")
        if label is not None:
            return label
    label = FIELD_LABELS.get(field)
    if label is not None:
        return label
    # Forms name nested fields like "father.id_number": label the part and say whose it is.
    owner, _, last = field.rpartition(".")
    last_label = FIELD_LABELS.get(last)
    if last_label is None:
        return Text(field, field)
    owner_label = FIELD_LABELS.get(owner) if owner else None
    if owner_label is None or owner in _ENTITY_NAMES:
        return last_label
    return Text(f"{owner_label.zh}{last_label.zh}", f"{owner_label.en}: {last_label.en}")


_ENTITY_NAMES = frozenset(entity.value for entity in Entity)
