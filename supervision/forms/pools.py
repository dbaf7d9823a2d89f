"""Forms of the check-item list and the two pools (Art 25, 26)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import FilterForm, Form
from supervision.models import CheckMethod, ConflictKind, RiskTier


class CheckItemForm(Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("For example GD-01; unique in the list.")
    )
    title = forms.CharField(label=_("What is checked"), max_length=200)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The rule and its article, for example 《职业技能等级认定工作规程》第二十五条."
        ),
    )
    method = forms.ChoiceField(label=_("Check method"), choices=CheckMethod.choices)
    records = forms.CharField(
        label=_("What the inspector records"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MemberForm(Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=120)
    specialities = forms.CharField(
        label=_("Specialities"),
        max_length=200,
        required=False,
        help_text=_("For example: 电工, 焊工; assessment records."),
    )
    capacity = forms.IntegerField(
        label=_("Objects per plan at most"),
        min_value=1,
        max_value=100,
        initial=5,
        help_text=_("How many objects one plan may send this person to."),
    )


class NewMemberForm(MemberForm):
    username = forms.CharField(
        label=_("User name of the account"),
        max_length=150,
        help_text=_("The account must already have the role and belong to your jurisdiction."),
    )
    field_order = ["username", "organisation", "specialities", "capacity"]


class ConflictForm(Form):
    agency = forms.CharField(
        label=_("Agency"),
        max_length=120,
        help_text=_("Its unified social credit code, or its full name as in the directory."),
    )
    kind = forms.ChoiceField(label=_("Kind of conflict"), choices=ConflictKind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class MemberSearchForm(FilterForm):
    q = forms.CharField(label=_("Name, organisation or speciality"), max_length=60, required=False)


class ObjectPoolForm(FilterForm):
    q = forms.CharField(
        label=_("Agency name or unified social credit code"), max_length=60, required=False
    )
    tier = forms.TypedChoiceField(
        label=_("Risk tier"),
        choices=[("", _("All tiers")), *RiskTier.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
