"""The form of an authority's name and document-number prefix."""

from __future__ import annotations

from portal.forms import ModelForm
from portal.models import Authority


class AuthorityForm(ModelForm):
    class Meta:
        model = Authority
        fields = ["name", "letter_prefix"]
