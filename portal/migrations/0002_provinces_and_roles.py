"""Load the 32 province-level divisions (shared/data/provinces.csv, embedded in
portal.codes.PROVINCE_PREFIXES and tested against the CSV) and create the five
authority-role groups. Permissions are attached by portal.signals.sync_role_groups
after migrate, when they exist."""

from django.db import migrations

PROVINCES = {
    "110000": "北京市", "120000": "天津市", "130000": "河北省", "140000": "山西省",
    "150000": "内蒙古自治区", "210000": "辽宁省", "220000": "吉林省", "230000": "黑龙江省",
    "310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省",
    "350000": "福建省", "360000": "江西省", "370000": "山东省", "410000": "河南省",
    "420000": "湖北省", "430000": "湖南省", "440000": "广东省", "450000": "广西壮族自治区",
    "460000": "海南省", "500000": "重庆市", "510000": "四川省", "520000": "贵州省",
    "530000": "云南省", "540000": "西藏自治区", "610000": "陕西省", "620000": "甘肃省",
    "630000": "青海省", "640000": "宁夏回族自治区", "650000": "新疆维吾尔自治区",
    "660000": "新疆生产建设兵团",
}
ROLES = ["ministry_official", "provincial_official", "osta_staff", "expert", "inspector"]


def forwards(apps, schema_editor):
    Province = apps.get_model("portal", "Province")
    for code, name in PROVINCES.items():
        Province.objects.update_or_create(code=code, defaults={"name": name})
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("portal", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, backwards)]
