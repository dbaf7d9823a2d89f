"""The filters of the certificate statistics (Art 21, 24): year, province, level, occupation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import FilterForm

LEVEL_CODES = ("5", "4", "3", "2", "1")  # the levels a certificate number carries


class StatisticsFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year of issue"), coerce=int, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    occupation = forms.CharField(
        label=_("Occupation (name or code)"), required=False, max_length=60
    )

    def __init__(self, *args, years=(), provinces=None, occupation=True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from catalog.models import SkillLevel
        from portal.models import Province

        everything = [("", _("All"))]
        self.fields["year"].choices = everything + [(y, f"{y}年") for y in years]
        if provinces is None:
            self.fields.pop("province")
        else:
            found = Province.objects.filter(pk__in=provinces) if provinces != "all" else None
            found = found if found is not None else Province.objects.all()
            self.fields["province"].choices = everything + [(p.pk, p.name) for p in found]
        levels = {lv.code: str(lv) for lv in SkillLevel.objects.filter(code__in=LEVEL_CODES)}
        self.fields["level"].choices = everything + [
            (c, levels[c]) for c in LEVEL_CODES if c in levels
        ]
        if not occupation:
            self.fields.pop("occupation")
