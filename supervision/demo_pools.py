"""Demo data of the pools stage of supervision (run by ``supervision.demo.seed``), idempotent:
the 广东 check-item list GD-01…GD-06, the inspectors inspector_gd1…6 in the pool (inspector_gd2
stands aside for the demo agency, a former employer), and expert_gd1…3 as external quality
supervisors of 广东. Quietly does nothing when the portal's demo users are not there."""

from __future__ import annotations

from django.contrib.auth.models import Group

from portal import clock
from portal.models import Agency, User
from portal.roles import AuthorityRole
from supervision.models import CheckItem, ConflictKind, ConflictTag, ExternalSupervisor, Inspector

GD = "440000"
RULES = "《职业技能等级认定工作规程（试行）》（人社职司便函〔2020〕17号）"
DOUBLE_RANDOM = "《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）"

CHECK_ITEMS = [
    (
        "GD-01",
        "评价机构履行工作承诺、目录信息与实际情况一致",
        f"{RULES}第十五条、第二十七条；{DOUBLE_RANDOM}",
        "document",
        "目录公布的名称、地址、认定职业（工种）范围与实际核对结果；承诺书履行情况及佐证材料",
    ),
    (
        "GD-02",
        "依据国家职业技能标准或备案的评价规范实施认定",
        f"{RULES}第十七条、第十八条",
        "document",
        "抽取批次的评价依据、评价内容和方式与标准或评价规范的对照；不符合之处",
    ),
    (
        "GD-03",
        "考务、质量、证书管理和收费办法制定并公示",
        f"{RULES}第十九条第一款",
        "document",
        "各项管理办法及其公示位置、日期；收费标准与实际收费的对照",
    ),
    (
        "GD-04",
        "考评人员、内部质量督导人员队伍和考核场地设施设备",
        f"{RULES}第十九条第二款",
        "on_site",
        "现场考评人员、督导人员名单与资质核对；场地照片、设备清单与评价规范要求的对照",
    ),
    (
        "GD-05",
        "证书按统一编码和样式颁发、发放数据按时报送",
        f"{RULES}第二十条、第二十一条第一款",
        "document",
        "抽取证书的编号与样式核对；证书数据报送记录及逾期情况",
    ),
    (
        "GD-06",
        "评价工作全过程资料保管（纸质不少于3年、电子不少于5年）",
        f"{RULES}第二十一条第二款；{DOUBLE_RANDOM}",
        "on_site",
        "抽取认定批次的档案清单、缺失材料、保管地点和期限",
    ),
]

ORGANISATIONS = [
    "广东省人力资源和社会保障厅",
    "广州市人力资源和社会保障局",
    "深圳市人力资源和社会保障局",
    "佛山市人力资源和社会保障局",
    "东莞市人力资源和社会保障局",
    "珠海市人力资源和社会保障局",
]
SPECIALITIES = [
    "电工、考务管理",
    "焊工、档案",
    "育婴员、考务管理",
    "电工、场地设施",
    "中式烹调师",
    "数据报送",
]
SUPERVISORS = [
    ("广东省职业技能鉴定指导中心", "质量督导、电工"),
    ("广东技术师范大学", "质量督导、焊工"),
    ("广州市技师学院", "质量督导、考务"),
]


def _inspector_user(i: int) -> User:
    from portal.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        username=f"inspector_gd{i}",
        defaults={
            "real_name": f"广东演示检查员{i}",
            "jurisdiction": GD,
            "email": f"inspector_gd{i}@demo.example.org",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=AuthorityRole.INSPECTOR))
    return user


def seed(stdout=None) -> None:
    official = User.objects.filter(username="gd_official").first()
    if official is None:  # the portal's demo users are not there
        return
    now = clock.now()
    for code, title, basis, method, records in CHECK_ITEMS:
        CheckItem.objects.get_or_create(
            jurisdiction=GD,
            code=code,
            defaults={
                "title": title,
                "legal_basis": basis,
                "method": method,
                "records": records,
                "created_by": official,
                "created_at": now,
            },
        )
    users = [User.objects.filter(username=f"inspector_gd{i}").first() for i in (1, 2)]
    users += [_inspector_user(i) for i in range(3, 7)]
    for i, user in enumerate(users, start=1):
        if user is None:
            continue
        Inspector.objects.get_or_create(
            user=user,
            defaults={
                "jurisdiction": GD,
                "organisation": ORGANISATIONS[i - 1],
                "specialities": SPECIALITIES[i - 1],
                "capacity": 5,
                "created_at": now,
            },
        )
    from portal.demo import DEMO_AGENCY_USCC

    agency = Agency.objects.filter(uscc=DEMO_AGENCY_USCC).first()
    second = Inspector.objects.filter(user__username="inspector_gd2").first()
    if agency is not None and second is not None:
        ConflictTag.objects.get_or_create(
            inspector=second,
            agency=agency,
            kind=ConflictKind.FORMER_EMPLOYER,
            defaults={"note": "2019—2022年曾在该机构任考务主管", "recorded_at": now},
        )
    for i in range(1, 4):
        expert = User.objects.filter(username=f"expert_gd{i}").first()
        if expert is None:
            continue
        ExternalSupervisor.objects.get_or_create(
            user=expert,
            defaults={
                "jurisdiction": GD,
                "organisation": SUPERVISORS[i - 1][0],
                "specialities": SUPERVISORS[i - 1][1],
                "capacity": 4,
                "created_at": now,
            },
        )
    if stdout is not None:
        stdout.write("  supervision pools: 广东 check items, inspectors, external supervisors")
