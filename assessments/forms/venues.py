"""Forms of venues (Art 12 (3)): the venue with its rooms (a formset), the official's
verification and refusal. Forms parse input and give field messages; the services decide (lease
of at least a year, rooms, state) and the views put their refusals back here."""

from __future__ import annotations

import re

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from assessments.models import RoomKind, Tenure
from assessments.services import RoomData
from catalog.models import Occupation
from portal.forms import Form

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_TYPES = ".pdf,.png,.jpg,.jpeg"


class VenueForm(Form):
    site = forms.ModelChoiceField(label=_("Agency site"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Venue name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200)
    tenure = forms.ChoiceField(
        label=_("Owned or leased"), choices=Tenure.choices, widget=forms.RadioSelect
    )
    lease_starts = forms.DateField(label=_("Lease starts"), widget=DATE, required=False)
    lease_ends = forms.DateField(
        label=_("Lease ends"),
        widget=DATE,
        required=False,
        help_text=_("A leased venue is leased for at least one year."),
    )
    lease_document = forms.FileField(
        label=_("Lease contract (PDF or picture)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )
    recordings_kept_days = forms.IntegerField(
        label=_("Days recordings are kept"), min_value=1, max_value=3650
    )
    recordings_stored_at = forms.CharField(
        label=_("Where recordings are stored"),
        max_length=200,
        help_text=_("For example: the site's video server, or the provincial platform."),
    )

    def __init__(self, *args, sites, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        if editing:
            self.fields["site"].disabled = True
            self.fields["lease_document"].help_text = _(
                "Leave empty to keep the lease contract on file."
            )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        names = ("name", "address", "tenure", "lease_starts", "lease_ends")
        return {
            **{n: data[n] for n in names},
            "recordings_kept_days": data["recordings_kept_days"],
            "recordings_stored_at": data["recordings_stored_at"],
            "lease_upload": data.get("lease_document") or None,
        }


class RoomForm(Form):
    name = forms.CharField(label=_("Room"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind of room"), choices=RoomKind.choices, required=False)
    places = forms.IntegerField(
        label=_("Seats or workstations"), min_value=1, max_value=2000, required=False
    )
    cameras = forms.IntegerField(label=_("Cameras"), min_value=0, max_value=200, required=False)
    occupations = forms.CharField(
        label=_("Occupations equipped for (skill rooms)"),
        max_length=400,
        required=False,
        help_text=_("Occupation codes, separated by spaces or commas, e.g. 6-31-01-03."),
    )

    def clean_occupations(self) -> list:
        text = self.cleaned_data.get("occupations") or ""
        wanted = [c for c in re.split(r"[\s,，、;；]+", text) if c]
        found = {o.code: o for o in Occupation.objects.filter(code__in=wanted)}
        unknown = [c for c in wanted if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("No occupation has the code %(codes)s.") % {"codes": "、".join(unknown)}
            )
        return [found[c] for c in dict.fromkeys(wanted)]

    def clean(self):
        data = super().clean()
        if self.is_blank:
            return data
        for key in ("name", "kind", "places", "cameras"):
            if data.get(key) in (None, "") and key not in self.errors:
                self.add_error(key, _("This field is required."))
        skill_without = data.get("kind") == RoomKind.SKILL and not data.get("occupations")
        if skill_without and "occupations" not in self.errors:
            self.add_error(
                "occupations", _("Name the occupations this skill room is equipped for.")
            )
        return data

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("name") and data.get("places") is None and not data.get("occupations")

    def room(self) -> RoomData:
        data = self.cleaned_data
        return RoomData(
            name=data["name"].strip(),
            kind=data["kind"],
            places=data["places"],
            cameras=data["cameras"],
            occupations=data["occupations"] if data["kind"] == RoomKind.SKILL else [],
        )


class _Rooms(BaseFormSet):
    """Rows left blank are ignored; ticked "remove" rows are dropped."""

    def rooms(self) -> list[RoomData]:
        return [
            f.room()
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank
        ]


RoomFormSet = formset_factory(
    RoomForm, formset=_Rooms, extra=2, can_delete=True, max_num=60, validate_max=True
)


def rooms_initial(rooms) -> list[dict]:
    return [
        {
            "name": r.name,
            "kind": r.kind,
            "places": r.places,
            "cameras": r.cameras,
            "occupations": " ".join(o.code for o in r.occupations.all()),
        }
        for r in rooms
    ]


class VerifyForm(Form):
    remarks = forms.CharField(
        label=_("Remarks"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    record = forms.FileField(
        label=_("Verification record (optional, PDF or picture)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )


class RefuseForm(Form):
    reason = forms.CharField(
        label=_("Reason for refusal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
