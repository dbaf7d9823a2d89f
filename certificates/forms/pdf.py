"""The seal upload form (decision 0043)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form


class SealForm(Form):
    image = forms.FileField(
        label=_("Seal image"),
        help_text=_(
            "A PNG with a transparent background, round, 200 to 2000 pixels a side, at most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )
