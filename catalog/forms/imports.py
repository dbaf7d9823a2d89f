"""Forms of the catalogue import: upload, preview, apply (Art 6)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from django import forms
from django.core import signing
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from catalog.models import Occupation, OccupationSource
from catalog.services import imports
from portal.forms import Form


class ImportForm(Form):
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_(
            "CSV (UTF-8 or GB18030) or XLSX with the columns code, name, major_category, "
            "work_type_count, marker."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


# The previewed file travels back in a hidden field, so it must stay small; the management
# command (manage.py import_occupations) takes files of any size.
PREVIEW_MAX_BYTES = 2 * 1024 * 1024
TOKEN_SALT = "catalog.import.preview"  # noqa: S105 (a signing salt, not a secret)
TOKEN_MAX_AGE = 60 * 60


class ImportUploadForm(ImportForm):
    source = forms.ChoiceField(
        label=capfirst(Occupation._meta.get_field("source").verbose_name),
        choices=OccupationSource.choices,
        initial=OccupationSource.CLASSIFICATION_2022,
        help_text=_("Recorded on the occupations the file adds."),
    )

    def clean_file(self):
        upload = super().clean_file()
        if upload.size > PREVIEW_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "For the preview in the browser the file may be at most 2 MB; import larger "
                    "files with the command manage.py import_occupations."
                ),
                code="too_large_for_preview",
            )
        return upload


def plan_fingerprint(plan: imports.ImportPlan) -> str:
    """What applying the plan would change, condensed: the preview and the apply must agree."""
    summary = {
        "creates": [
            [r.code, r.name, r.major_category, r.work_type_count, r.is_digital, r.is_green]
            for r in plan.creates
        ],
        "updates": [[o.code, sorted(changes.items())] for o, _r, changes in plan.updates],
        "unchanged": plan.unchanged,
    }
    return hashlib.sha256(json.dumps(summary, default=str).encode()).hexdigest()


class ImportApplyForm(Form):
    """The previewed file, sent back with a signed token naming its hash and the plan shown.

    Applying re-validates every row (``apply_import`` plans again), so the token does
    not guard the rules; it guarantees that what is applied is the file and the plan the
    official saw, previewed by the same official within the hour.
    """

    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    source = forms.ChoiceField(widget=forms.HiddenInput, choices=OccupationSource.choices)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    @classmethod
    def for_preview(
        cls, user, data: bytes, filename: str, source: str, plan: imports.ImportPlan
    ) -> ImportApplyForm:
        token = signing.dumps(
            {
                "user": user.pk,
                "sha256": hashlib.sha256(data).hexdigest(),
                "plan": plan_fingerprint(plan),
                "filename": filename,
                "source": source,
            },
            salt=TOKEN_SALT,
            compress=True,
        )
        return cls(
            user=user,
            initial={
                "content": base64.b64encode(data).decode("ascii"),
                "filename": filename,
                "source": source,
                "token": token,
            },
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            raise forms.ValidationError(
                _("The preview has expired; upload the file again."), code="bad_preview"
            )
        try:
            content = base64.b64decode(data["content"], validate=True)
            token = signing.loads(data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except (binascii.Error, ValueError, signing.BadSignature):
            # SignatureExpired is a BadSignature.
            raise forms.ValidationError(
                _("The preview has expired; upload the file again."), code="bad_preview"
            ) from None
        if (
            token.get("user") != getattr(self.user, "pk", None)
            or token.get("sha256") != hashlib.sha256(content).hexdigest()
            or token.get("filename") != data["filename"]
            or token.get("source") != data["source"]
        ):
            raise forms.ValidationError(
                _("The file is not the one previewed; upload it again."), code="not_previewed"
            )
        data["bytes"] = content
        data["plan"] = token["plan"]
        return data
