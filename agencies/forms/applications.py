"""Forms of the applications (Art 12, 13): registration of an organisation and the sections
of an application.

Forms parse input and give field-level messages; completeness and the call's rules are
checked by the services (``submission_problems``), whose errors the views put back here.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies import services
from agencies.models import AgencyApplication, Condition, ConditionStatement
from agencies.services.applications import SUBMISSION_REQUIRED, ScopeRequest
from catalog.models import Occupation, SkillLevel, WorkType
from portal import codes
from portal.captcha import CaptchaFormMixin
from portal.forms import Form, PhoneField
from portal.models import AgencyKind, Province
from portal.models.tenant import EMAIL_MESSAGE, normalize_phone, validate_office_phone

PLEDGE_TEXT = _(
    "I pledge that the materials submitted are true, valid and lawful, and that the "
    "organisation is responsible for them (Art 13 of the Work Rules)."
)


def needed_to_submit(field: forms.Field) -> forms.Field:
    """Mark a field a draft may leave blank but a submission needs: the page shows the
    required marker before the submission fails (``portal/includes/field.html``)."""
    field.needed_to_submit = True
    field.widget.attrs["aria-required"] = "true"
    return field


def _text(label, max_length: int, *, required: bool = False, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


class UsccField(forms.CharField):
    """A USCC: malformed input is refused here; a wrong check character is accepted
    (some issued codes fail it) and flagged for an official on submission."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Unified social credit code"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("18 characters, as on the business licence."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = codes.normalize_code(super().clean(value) or "")
        if value and not codes.uscc_format_ok(value):
            raise ValidationError(
                codes.uscc_problem(value) or _("Enter a valid code."), code="invalid"
            )
        return value


# --- The published contact: chosen on purpose, never copied from a person ---------------------

PRIVATE_NOTE = _(
    "For the authority to reach you about the organisation; it is not published in the directory."
)
PUBLICATION_NOTE = _(
    "Published in the public agency directory once the organisation is listed, so that "
    "candidates can reach it. Give an office with its role mailbox and office line, not a "
    "person's own mobile or e-mail; you can change it later. Leave blank to publish none."
)


class PublicPhoneField(forms.CharField):
    """An office line, 400/800 number or mobile, normalised; a wrong one refused in Chinese."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Published phone"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel"}))
        kwargs.setdefault("validators", [validate_office_phone])
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


def public_contact_fields() -> tuple[forms.Field, ...]:
    """The three fields of the published contact; the page shows ``PUBLICATION_NOTE`` above."""
    return (
        forms.CharField(
            label=_("Published contact (office)"),
            max_length=60,
            required=False,
            help_text=_("A department or post, such as 考务办公室, rather than a person's name."),
        ),
        PublicPhoneField(
            help_text=_("An office line such as 020-12345678, or a 400 or 800 number.")
        ),
        forms.EmailField(
            label=_("Published e-mail"),
            required=False,
            help_text=_("A role mailbox, such as kaowu@example.org."),
            error_messages={"invalid": EMAIL_MESSAGE},
        ),
    )


class RegistrationForm(CaptchaFormMixin, Form):
    captcha_purpose = "registration"

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; you sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    real_name = forms.CharField(label=_("Your real name"), max_length=60)
    email = forms.EmailField(label=_("E-mail"), help_text=PRIVATE_NOTE)
    phone = PhoneField(label=_("Mobile phone"), help_text=PRIVATE_NOTE)
    org_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=120,
        help_text=_("As registered (business licence or legal person certificate)."),
    )
    uscc = UsccField()
    kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=AgencyKind.choices, widget=forms.RadioSelect
    )
    province = forms.ModelChoiceField(
        label=_("Registered province"), queryset=Province.objects.all()
    )
    public_contact_name, public_phone, public_email = public_contact_fields()
    publication_note = PUBLICATION_NOTE

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(value)
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        return data

    def service_fields(self) -> dict:
        """The arguments of ``register_organisation``."""
        data = self.cleaned_data
        names = ("username", "real_name", "email", "phone", "org_name", "uscc", "kind", "province")
        names += ("public_contact_name", "public_phone", "public_email")
        return {"password": data["password1"], **{name: data[name] for name in names}}


# --- The application's sections -----------------------------------------------------------


class DetailsForm(Form):
    """The applicant's particulars and declared figures; blanks are allowed in a draft."""

    legal_name = _text(_("Legal name"), 120)
    uscc = UsccField(required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=AgencyKind.choices)
    registered_province = forms.ModelChoiceField(
        label=_("Registered province"), queryset=Province.objects.all()
    )
    address = _text(_("Registered address"), 200)
    legal_representative = _text(_("Legal representative"), 60)
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=60, required=False, help_text=PRIVATE_NOTE
    )
    contact_phone = _text(_("Contact phone"), 30, type="tel")
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    declared_years = forms.IntegerField(
        label=_("Years of relevant training or evaluation work"),
        required=False,
        min_value=0,
        max_value=200,
    )
    declared_total_assessed = forms.IntegerField(
        label=_("Person-times assessed in total"), required=False, min_value=0
    )

    FIELDS = (
        "legal_name",
        "uscc",
        "kind",
        "registered_province",
        "address",
        "legal_representative",
        "contact_name",
        "contact_phone",
        "contact_email",
        "declared_years",
        "declared_total_assessed",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in SUBMISSION_REQUIRED:
            needed_to_submit(self.fields[name])

    @classmethod
    def initial_for(cls, application) -> dict:
        return {
            name: getattr(
                application, name if name != "registered_province" else "registered_province_id"
            )
            for name in cls.FIELDS
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        province = data.pop("registered_province")
        data["registered_province_id"] = province.pk
        return data


class ConditionForm(Form):
    """One condition of Art 12: the statement, and one more evidence file to attach."""

    statement = forms.CharField(
        label=_("How the organisation meets this condition"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = forms.FileField(
        label=_("Add an evidence document"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word or Excel."),
    )
    evidence_title = forms.CharField(
        label=_("Title of the document (optional)"), required=False, max_length=200
    )

    def __init__(self, *args, condition: int, **kwargs) -> None:
        super().__init__(*args, prefix=f"condition_{condition}", **kwargs)
        self.condition = condition
        self.condition_label = Condition(condition).label
        needed_to_submit(self.fields["statement"])


class ScopeForm(Form):
    occupation = forms.CharField(
        label=_("Occupation code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 6-31-01-03")}),
    )
    work_type = forms.CharField(label=_("Work type (optional)"), max_length=80, required=False)
    levels = forms.ModelMultipleChoiceField(
        label=_("Levels"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=SkillLevel.objects.order_by("-rank"),
    )
    declared_assessed = forms.IntegerField(
        label=_("Person-times assessed in this occupation"), required=False, min_value=0
    )

    def __init__(self, *args, kind: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["levels"]
        if kind != AgencyKind.EMPLOYER:  # the tiers above level 1: employers only (Art 9)
            field.queryset = field.queryset.filter(employer_only=False)
        field.label_from_instance = lambda lv: lv.display

    def clean_occupation(self):
        code = codes.normalize_occupation_code(self.cleaned_data.get("occupation") or "")
        if not code:
            return None
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            raise ValidationError(
                _("No occupation has the code %(code)s.") % {"code": code}, code="unknown"
            )
        return occupation

    def clean(self):
        data = super().clean()
        occupation, name = data.get("occupation"), (data.get("work_type") or "").strip()
        data["work_type"] = None
        if occupation is not None and name:
            work_type = WorkType.objects.filter(occupation=occupation, name=name).first()
            if work_type is None:
                self.add_error(
                    "work_type",
                    _("%(occupation)s has no work type named %(name)s.")
                    % {"occupation": occupation.name, "name": name},
                )
            data["work_type"] = work_type
        elif (
            occupation is None
            and "occupation" not in self.errors
            and (data.get("levels") or name or data.get("declared_assessed") is not None)
        ):
            self.add_error("occupation", _("Enter the occupation code."))
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("occupation")


class SiteForm(Form):
    name = forms.CharField(label=_("Site name"), max_length=120, required=False)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        filled = [data.get("name"), data.get("province"), data.get("address")]
        if any(filled) and not all(filled):
            for key in ("name", "province", "address"):
                if not data.get(key) and key not in self.errors:
                    self.add_error(key, _("This field is required."))
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("name") and not self.cleaned_data.get("address")


class _Rows(BaseFormSet):
    """Rows left blank are ignored; ticked "remove" rows are dropped."""

    def kept(self) -> list[forms.Form]:
        return [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank
        ]


ScopeFormSet = formset_factory(
    ScopeForm, formset=_Rows, extra=1, can_delete=True, max_num=50, validate_max=True
)
SiteFormSet = formset_factory(
    SiteForm, formset=_Rows, extra=1, can_delete=True, max_num=40, validate_max=True
)


class PledgeForm(Form):
    pledge = forms.BooleanField(label=PLEDGE_TEXT, required=False)


# --- The edit page: every section at once ----------------------------------------------------


def comment_label(key: str) -> str:
    """The item a material-check comment is about (keys as in ``submission_problems``)."""
    if key.startswith("condition_") and key[10:].isdigit():
        number = int(key[10:])
        if number in Condition.values:
            return gettext("Condition %(n)d: %(label)s") % {
                "n": number,
                "label": Condition(number).label,
            }
    labels = {
        "scope": gettext("Requested scope"),
        "sites": gettext("Sites"),
        "general": gettext("General"),
        "pledge": gettext("Pledge of truthfulness"),
    }
    if key in labels:
        return str(labels[key])
    field = DetailsForm.base_fields.get(key)
    return str(field.label) if field is not None else key


class ApplicationSections:
    """The forms of the edit page, bound to the request or filled from the database.

    One page edits every section of an application; each section is saved through its own
    service, so a refused section keeps its input and its messages while the others are
    saved, and ``add_problems`` puts each problem of the service at its place."""

    def __init__(self, application: AgencyApplication, data=None, files=None):
        self.application = application
        statements = {
            c.condition: c
            for c in ConditionStatement.objects.filter(application=application).prefetch_related(
                "evidence"
            )
        }
        self.statements = statements
        self.details = DetailsForm(data, initial=DetailsForm.initial_for(application))
        self.conditions = [
            ConditionForm(
                data,
                files,
                condition=n,
                initial={"statement": statements[n].statement if n in statements else ""},
            )
            for n in Condition.values
        ]
        self.scope_initial = [
            {
                "occupation": s.occupation.code,
                "work_type": s.work_type.name if s.work_type else "",
                "levels": [lv.pk for lv in s.levels.all()],
                "declared_assessed": s.declared_assessed,
            }
            for s in application.scope.select_related("occupation", "work_type").prefetch_related(
                "levels"
            )
        ]
        self.scope = ScopeFormSet(
            data, prefix="scope", initial=self.scope_initial, form_kwargs={"kind": application.kind}
        )
        self.sites_initial = [
            {"name": s.name, "province": s.province_id, "address": s.address}
            for s in application.sites.all()
        ]
        self.sites = SiteFormSet(data, prefix="sites", initial=self.sites_initial)
        if not application.call.is_national:
            for form in self.sites.forms[len(self.sites_initial) :]:
                form.fields["province"].initial = application.call.jurisdiction
        self.errors: dict[str, list[str]] = {}  # section errors: scope, sites, general
        self.condition_errors: dict[int, list[str]] = {}
        self.kept: dict[int, list[str]] = {}  # names of the files kept as draft evidence
        self.refused_uploads: dict[int, list[str]] = {}  # a refused file's messages

    def _load_statements(self) -> dict[int, ConditionStatement]:
        return {
            c.condition: c
            for c in ConditionStatement.objects.filter(
                application=self.application
            ).prefetch_related("evidence")
        }

    def keep_uploads(self, user) -> None:
        """Attach each chosen evidence file to the draft at once, before anything else is
        checked (a draft may hold evidence, as 「保存草稿」 does), so that a problem elsewhere
        on the page never makes the applicant choose the file again."""
        for form in self.conditions:
            form.is_valid()
            upload = form.cleaned_data.get("evidence")
            if not upload:
                continue
            title = form.cleaned_data.get("evidence_title") or upload.name
            try:
                services.add_evidence(user, self.application, form.condition, upload, title=title)
            except ValidationError as exc:
                # Shown at the field when the page is drawn; the other sections still save.
                self.refused_uploads[form.condition] = exc.messages
            else:
                self.kept.setdefault(form.condition, []).append(upload.name)
            form.cleaned_data["evidence"] = None
        if self.kept:
            self.statements = self._load_statements()

    def is_valid(self) -> bool:
        results = [self.details.is_valid(), self.scope.is_valid(), self.sites.is_valid()]
        results += [f.is_valid() for f in self.conditions]
        return all(results)

    def bind_saved(self) -> None:
        """Bind the details form to the saved values so errors can be attached to it."""
        data = {k: ("" if v is None else v) for k, v in self.details.initial.items()}
        self.details = DetailsForm(data, initial=self.details.initial)
        self.details.is_valid()

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        """Put each problem of ``submission_problems`` (or of a service) at its place."""
        for key, messages_ in problems.items():
            messages_ = [m for m in messages_ if m]
            if key in self.details.fields:
                for message in messages_:
                    self.details.add_error(key, message)
            elif key.startswith("condition_") and key[10:].isdigit():
                self.condition_errors.setdefault(int(key[10:]), []).extend(messages_)
            elif key in ("scope", "sites"):
                self.errors.setdefault(key, []).extend(messages_)
            else:
                self.errors.setdefault("general", []).extend(messages_)

    # -- saving --

    def save(self, user, remove: str = "") -> bool:
        """Save every section through the services; answers whether all went through (a
        file refused by ``keep_uploads`` counts as a section that did not)."""
        app, ok = self.application, not self.refused_uploads
        try:
            app = services.update_application(user, app, **self.details.service_fields())
        except ValidationError as exc:
            ok = False
            self.add_problems(problems_of(exc, "general"))
        for form in self.conditions:
            n, data = form.condition, form.cleaned_data
            try:
                if data["statement"].strip() != self.statements[n].statement:
                    services.set_condition(user, app, n, data["statement"])
            except ValidationError as exc:
                ok = False
                self.condition_errors.setdefault(n, []).extend(exc.messages)
            if data.get("evidence"):
                upload = data["evidence"]
                try:
                    services.add_evidence(
                        user, app, n, upload, title=data.get("evidence_title") or upload.name
                    )
                except ValidationError as exc:
                    ok = False
                    form.add_error("evidence", exc.messages)
        ok &= self._save_scope(user, app)
        ok &= self._save_sites(user, app)
        if remove:
            ok &= self._remove(user, app, remove)
        return ok

    def _save_scope(self, user, app) -> bool:
        items = [
            ScopeRequest(
                f.cleaned_data["occupation"],
                list(f.cleaned_data["levels"]),
                f.cleaned_data["work_type"],
                f.cleaned_data["declared_assessed"],
            )
            for f in self.scope.kept()
        ]
        wanted = sorted(
            (
                i.occupation.pk,
                i.work_type.pk if i.work_type else 0,
                sorted(lv.pk for lv in i.levels),
                i.declared_assessed or 0,
            )
            for i in items
        )
        saved = sorted(
            (s["occupation"], s["work_type"], sorted(s["levels"]), s["declared_assessed"] or 0)
            for s in self._saved_scope()
        )
        if wanted == saved:
            return True
        try:
            services.set_scope(user, app, items)
        except ValidationError as exc:
            self.add_problems(problems_of(exc, "scope"))
            return False
        return True

    def _saved_scope(self):
        for s in self.application.scope.prefetch_related("levels"):
            yield {
                "occupation": s.occupation_id,
                "work_type": s.work_type_id or 0,
                "levels": [lv.pk for lv in s.levels.all()],
                "declared_assessed": s.declared_assessed,
            }

    def _save_sites(self, user, app) -> bool:
        sites = [
            (f.cleaned_data["name"], f.cleaned_data["province"], f.cleaned_data["address"])
            for f in self.sites.kept()
        ]
        wanted = sorted((n.strip(), p.pk, a.strip()) for n, p, a in sites)
        saved = sorted((s["name"], s["province"], s["address"]) for s in self.sites_initial)
        if wanted == saved:
            return True
        try:
            services.set_sites(user, app, sites)
        except ValidationError as exc:
            self.add_problems(problems_of(exc, "sites"))
            return False
        return True

    def _remove(self, user, app, value: str) -> bool:
        number, _sep, doc_pk = value.partition(":")
        if not (number.isdigit() and doc_pk.isdigit()) or int(number) not in self.statements:
            raise Http404
        document = self.statements[int(number)].evidence.filter(pk=int(doc_pk)).first()
        if document is None:
            raise Http404
        try:
            services.remove_evidence(user, app, int(number), document)
        except ValidationError as exc:
            self.condition_errors.setdefault(int(number), []).extend(exc.messages)
            return False
        return True

    def _show_refused_uploads(self) -> None:
        for form in self.conditions:
            if messages_ := self.refused_uploads.pop(form.condition, None):
                form.add_error("evidence", messages_)

    def summary(self, pledge: PledgeForm | None = None) -> list[dict[str, str]]:
        """Every problem on the page, in its order, with the anchor of its field (or of its
        section), for the summary at the top of the page."""
        self._show_refused_uploads()
        items: list[dict[str, str]] = []

        def add(label, messages_, anchor: str = "") -> None:
            for message in messages_:
                items.append({"label": str(label), "message": str(message), "anchor": anchor})

        def fields_of(form, label_prefix: str, fallback: str) -> None:
            for name, errors in form.errors.items():
                if name in form.fields:
                    bound = form[name]
                    label = f"{label_prefix} · {bound.label}" if label_prefix else bound.label
                    add(label, errors, bound.auto_id)
                else:
                    add(label_prefix or comment_label("general"), errors, fallback)

        add(comment_label("general"), self.errors.get("general", []))
        fields_of(self.details, "", "details")
        for form in self.conditions:
            label, anchor = (
                comment_label(f"condition_{form.condition}"),
                f"condition-{form.condition}",
            )
            add(label, self.condition_errors.get(form.condition, []), anchor)
            fields_of(form, label, anchor)
        for key, formset, row in (
            ("scope", self.scope, gettext("Row %(n)s")),
            ("sites", self.sites, gettext("Site %(n)s")),
        ):
            label = comment_label(key)
            add(label, [*self.errors.get(key, []), *formset.non_form_errors()], key)
            for number, form in enumerate(formset.forms, start=1):
                fields_of(form, f"{label} · {row % {'n': number}}", key)
        if pledge is not None and pledge.is_bound:
            add(comment_label("pledge"), pledge.errors.get("pledge", []), pledge["pledge"].auto_id)
        return items

    def context(self) -> dict:
        self._show_refused_uploads()
        latest = self.application.material_reviews.order_by("-round").first()
        comments = latest.comments if latest and latest.decision == "returned" else {}
        conditions = [
            {
                "form": f,
                "statement": self.statements.get(f.condition),
                "errors": self.condition_errors.get(f.condition, []),
                "kept": self.kept.get(f.condition, []),
                "comment": comments.get(f"condition_{f.condition}", ""),
            }
            for f in self.conditions
        ]
        return {
            "details": self.details,
            "conditions": conditions,
            "scope_formset": self.scope,
            "site_formset": self.sites,
            "section_errors": self.errors,
            "comments": comments,
            "returned_round": latest if comments else None,
        }


def problems_of(exc: ValidationError, default: str) -> dict[str, list[str]]:
    """A service's refusal as problems per key (``default`` for one without a field)."""
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {default: exc.messages}
