"""Forms of the occupation catalogue (Art 6): the public search, the officials' filter, an
occupation, a work type, and the reason for withdrawing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import MajorCategory, Occupation, OccupationSource, OccupationStatus
from portal import codes
from portal.forms import FilterForm, Form, ModelForm


class OccupationSearchForm(FilterForm):
    q = forms.CharField(
        label=_("Code or name"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 6-31 or 电工")}),
    )
    major_category = forms.ChoiceField(label=_("Major category"), required=False)
    marker = forms.ChoiceField(
        label=_("Marker"),
        required=False,
        choices=[
            ("", _("Any")),
            ("S", _("Digital occupation (S)")),
            ("L", _("Green occupation (L)")),
        ],
    )
    has_standard = forms.ChoiceField(
        label=_("National standard"),
        required=False,
        choices=[
            ("", _("Any")),
            ("yes", _("Has a national standard")),
            ("no", _("No national standard")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["major_category"].choices = [("", _("All categories"))] + [
            (c.code, f"{c.code} {c.name}") for c in MajorCategory.objects.all()
        ]

    def search_args(self) -> dict:
        """The filters as ``queries.search_occupations`` takes them; none unless valid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "major_category": data["major_category"],
            "marker": data["marker"],
            "has_standard": {"yes": True, "no": False}.get(data["has_standard"]),
        }


class OccupationForm(ModelForm):
    class Meta:
        model = Occupation
        fields = [
            "code",
            "name",
            "major_category",
            "is_digital",
            "is_green",
            "source",
            "work_type_count",
        ]

    def clean_code(self) -> str:
        return codes.normalize_occupation_code(self.cleaned_data["code"])


class WorkTypeForm(Form):
    name = forms.CharField(label=_("Work type"), max_length=80)
    code = forms.CharField(label=_("Code (optional)"), max_length=20, required=False)


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class OccupationFilterForm(OccupationSearchForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *OccupationStatus.choices],
    )

    def search_args(self) -> dict:
        args = super().search_args()
        if args:
            args["status"] = self.cleaned_data["status"]
        return args


class OccupationManageForm(OccupationForm):
    """``OccupationForm`` with the code fixed once created and the code's category checked."""

    class Meta(OccupationForm.Meta):
        error_messages = {
            "code": {"unique": _("An occupation with this code is already in the catalogue.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code identifies the occupation everywhere (certificates, scopes): never changed.
            self.fields["code"].disabled = True
        else:
            self.fields["source"].initial = OccupationSource.PUBLISHED_LATER
        self.fields["code"].help_text = _("For example 6-31-01-03.")

    def clean(self):
        data = super().clean()
        code, category = data.get("code"), data.get("major_category")
        try:
            codes.parse_occupation_code(code or "")
        except ValueError:
            return data  # the model's validator names what is wrong with the code
        if category and code[:1] != category.code:
            self.add_error(
                "major_category",
                forms.ValidationError(
                    _("The code %(code)s does not belong to major category %(category)s."),
                    code="category_mismatch",
                    params={"code": code, "category": category.code},
                ),
            )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "major_category_id": data["major_category"].code,
            "is_digital": data["is_digital"],
            "is_green": data["is_green"],
            "source": data["source"],
            "work_type_count": data["work_type_count"],
        }


class WorkTypeManageForm(WorkTypeForm):
    is_demo = forms.BooleanField(label=_("Demo data"), required=False)
