"""The education route names an education level from a choice list; the free text it named
before is kept as the rule's description (and read for the level it names)."""

from django.db import migrations, models

# Highest first: 「本科及以上」 names 本科, 「大专或技工院校高级工班」 names 大专.
KEYWORDS = (
    ("doctorate", ("博士",)),
    ("master", ("硕士", "研究生")),
    ("bachelor", ("本科", "学士")),
    ("junior_college", ("大专", "专科", "高职", "高等职业", "预备技师", "技师学院")),
    ("senior_middle", ("高中", "中专", "中职", "技校", "技工", "职业高中", "中等职业")),
    ("junior_middle", ("初中",)),
)


def level_named_in(text: str) -> str:
    """The first level the text names, highest first; 高中/中专/技校 when none is named (the
    route of the technical schools, the one the rules of 2020 had in view)."""
    for level, words in KEYWORDS:
        if any(word in text for word in words):
            return level
    return "senior_middle"


def forwards(apps, schema_editor):
    Rule = apps.get_model("catalog", "EligibilityRule")
    for rule in Rule.objects.filter(route="education"):
        text = rule.education.strip()
        rule.education_level = level_named_in(text)
        if text and text not in rule.description:
            rule.description = (f"{text}；{rule.description}" if rule.description else text)[:300]
        rule.save(update_fields=["education_level", "description"])


def backwards(apps, schema_editor):
    Rule = apps.get_model("catalog", "EligibilityRule")
    for rule in Rule.objects.filter(route="education"):
        rule.education = (rule.description or rule.education_level)[:120]
        rule.save(update_fields=["education"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="eligibilityrule",
            name="education_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("junior_middle", "Junior middle school"),
                    ("senior_middle", "Senior middle school, secondary vocational or technical school"),
                    ("junior_college", "Junior college"),
                    ("bachelor", "Bachelor's degree"),
                    ("master", "Master's degree"),
                    ("doctorate", "Doctorate"),
                ],
                max_length=16,
                verbose_name="education",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveConstraint(
            model_name="eligibilityrule",
            name="education_route_names_education",
        ),
        migrations.RemoveField(
            model_name="eligibilityrule",
            name="education",
        ),
        migrations.AddConstraint(
            model_name="eligibilityrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("route", "education"), _negated=True),
                    models.Q(("education_level", ""), _negated=True),
                    _connector="OR",
                ),
                name="education_route_names_education",
            ),
        ),
    ]
