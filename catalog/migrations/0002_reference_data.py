"""Skill levels (Art 9), the eight major categories and the starting occupation
catalogue (catalog/data/occupations.csv: 137 real skill occupations)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from catalog.reference import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
