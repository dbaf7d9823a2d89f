"""Forms of the archive and the statistics (Art 18, 21): what is added to a session's record
before archiving: question papers and answer sheets, paper records, the video recordings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.services.archives import UPLOAD_KINDS
from portal.forms import Form


class RecordFileForm(Form):
    kind = forms.ChoiceField(label=_("What the file is"), choices=())
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example: theory paper A, answer sheets of room 1."),
    )
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, images, Word, Excel, or a ZIP of scanned pages.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(UPLOAD_KINDS.items())


class PaperRecordForm(Form):
    title = forms.CharField(label=_("Paper record"), max_length=200)
    location = forms.CharField(
        label=_("Where it is kept"),
        max_length=200,
        help_text=_("Building, room, cabinet: where an inspector would find it."),
    )


class RecordingsForm(Form):
    location = forms.CharField(
        label=_("Where the video recordings are kept"),
        max_length=200,
        help_text=_("The server or storage and the folder, or the cabinet holding the discs."),
    )
