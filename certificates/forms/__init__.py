"""Forms of certificates (``portal.forms``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import CertificateVariant
from portal.forms import FilterForm, Form


class SearchForm(FilterForm):
    q = forms.CharField(
        label=_("Certificate number or holder's name"), required=False, max_length=60
    )


class IssueForm(Form):
    """Which sessions, in which language (the bilingual variant is chosen per batch)."""

    sessions = forms.ModelMultipleChoiceField(
        label=_("Sessions"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one session.")},
    )
    variant = forms.ChoiceField(
        label=_("Language of the certificates"),
        choices=CertificateVariant.choices,
        initial=CertificateVariant.ZH,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions
        self.fields["sessions"].label_from_instance = _session_label


def _session_label(session) -> str:
    work = f"（{session.work_type.name}）" if session.work_type else ""
    day = session.last_sitting_on.isoformat() if session.last_sitting_on else ""
    return f"{session.occupation.name}{work} {session.level.display} · {day} · #{session.pk}"
