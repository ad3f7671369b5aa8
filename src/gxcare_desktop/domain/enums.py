"""Code lists of the child file (DOMAIN.md): each member stores its code and a bilingual label."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from .text import Text


class LabeledEnum(StrEnum):
    """A string code with a Chinese and an English label: `Sex.MALE.label.zh == "男"`."""

    label: Text

    def __new__(cls, code: str, zh: str, en: str) -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = Text(zh, en)
        return member

    @classmethod
    def of(cls, code: str) -> Self:
        """The member with exactly this code: `cls(code)`, in a form type checkers accept."""
        return cls._value2member_map_[code]  # type: ignore[return-value]

    @classmethod
    def parse(cls, value: Any) -> Self:
        """Accept a code or a Chinese/English label (importers meet both)."""
        if isinstance(value, cls):
            return value
        text = str(value).strip()
        for member in cls:
            if text in (member.value, member.label.zh, member.label.en, member.name):
                return member
        raise ValueError(text)


class Sex(LabeledEnum):
    """GB/T 2261.1."""

    UNKNOWN = "0", "未知", "Unknown"
    MALE = "1", "男", "Male"
    FEMALE = "2", "女", "Female"
    NOT_STATED = "9", "未说明", "Not stated"


class Category(LabeledEnum):
    LEFT_BEHIND = "left_behind", "农村留守儿童", "Rural left-behind child"
    DIFFICULTY_POVERTY = "difficulty_poverty", "困境儿童（家庭贫困）", "In difficulty: family poverty"
    DIFFICULTY_DISABILITY = "difficulty_disability", "困境儿童（自身残疾）", "In difficulty: own disability"
    DIFFICULTY_GUARDIANSHIP = (
        "difficulty_guardianship",
        "困境儿童（监护缺失或不当）",
        "In difficulty: missing or improper guardianship",
    )
    ORPHAN = "orphan", "孤儿", "Orphan"
    NO_CARER = "no_carer", "事实无人抚养儿童", "Child without de facto carer"


class OrphanCare(LabeledEnum):
    INSTITUTION = "institution", "集中养育", "Raised in an institution"
    COMMUNITY = "community", "社会散居", "Lives in the community"


class HealthStatus(LabeledEnum):
    HEALTHY = "healthy", "健康", "Healthy"
    DISABLED = "disabled", "残疾", "Disabled"
    ILL = "ill", "患病", "Ill"


class DisabilityKind(LabeledEnum):
    VISUAL = "1", "视力残疾", "Visual"
    HEARING = "2", "听力残疾", "Hearing"
    SPEECH = "3", "言语残疾", "Speech"
    PHYSICAL = "4", "肢体残疾", "Physical"
    INTELLECTUAL = "5", "智力残疾", "Intellectual"
    MENTAL = "6", "精神残疾", "Mental"
    MULTIPLE = "7", "多重残疾", "Multiple"


class Schooling(LabeledEnum):
    NOT_IN_KINDERGARTEN = "not_in_kindergarten", "未入园", "Not in kindergarten"
    KINDERGARTEN = "kindergarten", "幼儿园", "Kindergarten"
    PRIMARY = "primary", "小学", "Primary school"
    JUNIOR = "junior", "初中", "Junior secondary"
    SENIOR = "senior", "高中", "Senior secondary"
    VOCATIONAL = "vocational", "中职", "Vocational school"
    SPECIAL = "special", "特教", "Special education"
    HOME_TEACHING = "home_teaching", "送教上门", "Teaching at home"
    DROPPED_OUT = "dropped_out", "辍学", "Dropped out"
    NOT_IN_SCHOOL = "not_in_school", "不在学", "Not in school"


class ParentCondition(LabeledEnum):
    NORMAL = "normal", "正常", "Normal"
    WORKING_AWAY = "working_away", "外出务工", "Working away"
    NO_CAPACITY = "no_capacity", "无监护能力", "No capacity to guard"
    SEVERE_DISABILITY = "severe_disability", "重残", "Severe disability"
    SERIOUS_ILLNESS = "serious_illness", "重病", "Serious illness"
    IMPRISONED = "imprisoned", "服刑在押", "Imprisoned or detained"
    DRUG_REHAB = "drug_rehab", "强制隔离戒毒", "Compulsory drug rehabilitation"
    OUT_OF_CONTACT = "out_of_contact", "失联", "Out of contact"
    GUARDIANSHIP_REVOKED = "guardianship_revoked", "撤销监护资格", "Guardianship revoked"
    DEPORTED = "deported", "遣送出境", "Deported"
    DEAD = "dead", "死亡", "Dead"
    MISSING = "missing", "失踪", "Missing"


class CareType(LabeledEnum):
    """Who actually cares for the child."""

    PARENTS = "parents", "父母", "Both parents"
    ONE_PARENT = "one_parent", "父或母", "One parent"
    GRANDPARENTS = "grandparents", "祖辈", "Grandparents"
    OTHER_RELATIVES = "other_relatives", "其他亲属", "Other relatives"
    ENTRUSTED = "entrusted", "委托照护", "Entrusted caregiver"
    CIVIL_AFFAIRS = "civil_affairs", "民政监护", "Civil-affairs guardianship"
    NONE = "none", "无人监护", "No one"


class GuardianshipType(LabeledEnum):
    """The survey form's guardianship situation."""

    NONE = "none", "无人监护", "No guardian"
    PARENT_INCAPABLE = "parent_incapable", "父或母无监护能力", "Parent lacks capacity"
    ENTRUSTED_INSUFFICIENT = (
        "entrusted_insufficient",
        "受委托监护人监护能力不足",
        "Entrusted guardian insufficient",
    )
    FAIR = "fair", "监护情况一般", "Guardianship fair"
    GOOD = "good", "监护情况较好", "Guardianship good"


class GuardianshipLevel(LabeledEnum):
    """Assessment scale (configurable; default after the Hubei provincial standard)."""

    NORMAL = "normal", "监护正常", "Normal"
    INSUFFICIENT = "insufficient", "监护不足", "Insufficient"
    IMPROPER = "improper", "监护失当", "Improper"
    MISSING = "missing", "监护缺失", "Missing"


class RiskLevel(LabeledEnum):
    LOW = "low", "一般", "Low"
    MEDIUM = "medium", "关注", "Watch"
    HIGH = "high", "高风险", "High"


class IncomeSource(LabeledEnum):
    WORK_AWAY = "work_away", "打工", "Work away"
    FARMING = "farming", "种养殖", "Farming"
    GOVERNMENT = "government", "政府救助", "Government assistance"
    RELATIVES = "relatives", "亲朋接济", "Help from relatives"
    OTHER = "other", "其他", "Other"


class Assistance(LabeledEnum):
    DIBAO = "dibao", "低保", "Minimum living guarantee"
    TEKUN = "tekun", "特困", "Extreme-poverty support"
    TEMPORARY = "temporary", "临时救助", "Temporary assistance"
    MEDICAL = "medical", "医疗救助", "Medical assistance"
    HOUSING = "housing", "住房救助", "Housing assistance"
    ORPHAN_ALLOWANCE = "orphan_allowance", "孤儿基本生活费", "Orphan living allowance"
    NO_CARER_ALLOWANCE = "no_carer_allowance", "事实无人抚养儿童补贴", "No-carer child allowance"
    DISABILITY_ALLOWANCE = "disability_allowance", "残疾人两项补贴", "Disability allowances"
    EDUCATION = "education", "教育资助", "Education grant"
    OTHER = "other", "其他", "Other"


class VisitMode(LabeledEnum):
    HOME = "home", "入户", "Home visit"
    PHONE = "phone", "电话", "Phone"
    SCHOOL = "school", "学校", "At school"
    VIDEO = "video", "视频", "Video call"


class VisitCheck(LabeledEnum):
    DAILY_LIFE = "daily_life", "生活", "Daily life"
    SCHOOLING = "schooling", "就学", "Schooling"
    HEALTH = "health", "健康", "Health"
    SAFETY = "safety", "安全", "Safety"
    MENTAL = "mental", "心理", "Mental state"
    GUARDIANSHIP = "guardianship", "监护", "Guardianship"


class ExitReason(LabeledEnum):
    AGE_16 = "age_16", "满16岁", "Turned 16"
    AGE_18 = "age_18", "满18岁", "Turned 18"
    PARENTS_RETURNED = "parents_returned", "父母返乡", "Parents returned"
    MOVED = "moved", "迁出", "Moved away"
    ADOPTED = "adopted", "收养", "Adopted"
    DIED = "died", "死亡", "Died"
    NOT_ELIGIBLE = "not_eligible", "不再符合条件", "No longer eligible"


class ReportSituation(LabeledEnum):
    """The nine situations of mandatory reporting (强制报告)."""

    GENITAL_INJURY = "genital_injury", "生殖器官损伤", "Genital injury"
    GIRL_UNDER_14_ASSAULT = (
        "girl_under_14_assault",
        "不满14周岁女性疑似遭受性侵或怀孕",
        "Girl under 14 possibly sexually assaulted or pregnant",
    )
    GIRL_14_PLUS_PREGNANT = (
        "girl_14_plus_pregnant",
        "已满14周岁女性疑似因性侵怀孕",
        "Girl 14+ pregnant through assault",
    )
    ABUSE_INJURIES = (
        "abuse_injuries",
        "多处损伤或严重营养不良疑似受虐",
        "Multiple injuries or severe malnutrition suggesting abuse",
    )
    ABNORMAL_DISABILITY_DEATH = "abnormal_disability_death", "非正常残疾或死亡", "Abnormal disability or death"
    ABANDONMENT = "abandonment", "被遗弃或长期无人照料", "Abandonment or long lack of care"
    MISSING_TRAFFICKED = (
        "missing_trafficked",
        "来历不明、失踪或疑似被拐卖",
        "Unknown origin, missing or trafficked",
    )
    ORGANISED_BEGGING = "organised_begging", "被组织乞讨", "Organised begging"
    OTHER_SERIOUS = "other_serious", "其他严重侵害或面临危险", "Other serious harm or imminent danger"


class CaseStep(LabeledEnum):
    """The five steps of the response to a mandatory report, in order."""

    MONITORING = "monitoring", "监测预防", "Monitoring and prevention"
    REPORTING = "reporting", "发现报告", "Discovery and report"
    EMERGENCY = "emergency", "应急处置", "Emergency response"
    ASSESSMENT = "assessment", "评估帮扶", "Assessment and support"
    INTERVENTION = "intervention", "监护干预", "Guardianship intervention"


class Role(LabeledEnum):
    VILLAGE_DIRECTOR = "village_director", "儿童主任", "Village child director"
    TOWNSHIP_SUPERVISOR = "township_supervisor", "儿童督导员", "Township supervisor"
    COUNTY_ADMIN = "county_admin", "县级民政", "County administrator"


class TrainingKind(LabeledEnum):
    INITIAL = "initial", "初任培训", "Initial training"
    PERIODIC = "periodic", "定期培训", "Periodic training"


class ReviewStatus(LabeledEnum):
    DRAFT = "draft", "草稿", "Draft"
    SUBMITTED = "submitted", "待审核", "Submitted"
    APPROVED = "approved", "已通过", "Approved"
    RETURNED = "returned", "已退回", "Returned"
