"""Reference rows every database needs: provinces, their HRSS authorities and the
authority-role groups.

Migrations create them; this restores them where a test (or an operator) has
flushed the tables, with the same content.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from portal import codes

#: The HRSS authority of each jurisdiction: the name it signs with and the prefix (代字) of its
#: document numbers (decision 0028). Seeded by migration portal 0012; national officials keep
#: them at /workspace/authorities/.
AUTHORITIES: dict[str, tuple[str, str]] = {
    "000000": ("中华人民共和国人力资源和社会保障部", "人社部认定"),
    "110000": ("北京市人力资源和社会保障局", "京人社认定"),
    "120000": ("天津市人力资源和社会保障局", "津人社认定"),
    "130000": ("河北省人力资源和社会保障厅", "冀人社认定"),
    "140000": ("山西省人力资源和社会保障厅", "晋人社认定"),
    "150000": ("内蒙古自治区人力资源和社会保障厅", "内人社认定"),
    "210000": ("辽宁省人力资源和社会保障厅", "辽人社认定"),
    "220000": ("吉林省人力资源和社会保障厅", "吉人社认定"),
    "230000": ("黑龙江省人力资源和社会保障厅", "黑人社认定"),
    "310000": ("上海市人力资源和社会保障局", "沪人社认定"),
    "320000": ("江苏省人力资源和社会保障厅", "苏人社认定"),
    "330000": ("浙江省人力资源和社会保障厅", "浙人社认定"),
    "340000": ("安徽省人力资源和社会保障厅", "皖人社认定"),
    "350000": ("福建省人力资源和社会保障厅", "闽人社认定"),
    "360000": ("江西省人力资源和社会保障厅", "赣人社认定"),
    "370000": ("山东省人力资源和社会保障厅", "鲁人社认定"),
    "410000": ("河南省人力资源和社会保障厅", "豫人社认定"),
    "420000": ("湖北省人力资源和社会保障厅", "鄂人社认定"),
    "430000": ("湖南省人力资源和社会保障厅", "湘人社认定"),
    "440000": ("广东省人力资源和社会保障厅", "粤人社认定"),
    "450000": ("广西壮族自治区人力资源和社会保障厅", "桂人社认定"),
    "460000": ("海南省人力资源和社会保障厅", "琼人社认定"),
    "500000": ("重庆市人力资源和社会保障局", "渝人社认定"),
    "510000": ("四川省人力资源和社会保障厅", "川人社认定"),
    "520000": ("贵州省人力资源和社会保障厅", "黔人社认定"),
    "530000": ("云南省人力资源和社会保障厅", "云人社认定"),
    "540000": ("西藏自治区人力资源和社会保障厅", "藏人社认定"),
    "610000": ("陕西省人力资源和社会保障厅", "陕人社认定"),
    "620000": ("甘肃省人力资源和社会保障厅", "甘人社认定"),
    "630000": ("青海省人力资源和社会保障厅", "青人社认定"),
    "640000": ("宁夏回族自治区人力资源和社会保障厅", "宁人社认定"),
    "650000": ("新疆维吾尔自治区人力资源和社会保障厅", "新人社认定"),
    "660000": ("新疆生产建设兵团人力资源和社会保障局", "兵人社认定"),
}


def ensure_reference_data() -> None:
    from django.apps import apps

    from portal.models import Authority, Province
    from portal.roles import AUTHORITY_ROLES
    from portal.signals import sync_role_groups

    Province.objects.bulk_create(
        [Province(code=code, name=name) for code, name in codes.PROVINCES.items()],
        ignore_conflicts=True,
    )
    Authority.objects.bulk_create(
        [
            Authority(jurisdiction=code, name=name, letter_prefix=prefix)
            for code, (name, prefix) in AUTHORITIES.items()
        ],
        ignore_conflicts=True,
    )
    for role in AUTHORITY_ROLES:
        Group.objects.get_or_create(name=role)
    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    sync_role_groups(sender=configs[-1])
