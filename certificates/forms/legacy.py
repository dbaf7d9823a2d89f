"""The legacy-certificate import form (Art 4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form


class LegacyImportForm(Form):
    source = forms.CharField(
        label=_("Who issued these certificates"),
        max_length=120,
        help_text=_("For example: 原广东省职业技能鉴定指导中心 (职业资格证书, before 2021)."),
    )
    file = forms.FileField(
        label=_("File (XLSX, XLS, ODS or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )
