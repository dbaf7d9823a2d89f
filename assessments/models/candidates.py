"""Candidates (Art 16, 18): the people who apply for a session, enrolled one by one or from a
roster spreadsheet (decision 0035).

``Candidate`` is the person, one record for the whole portal, found by the blind index of the
ID number (``portal.pii``): the same worker is recognised across sessions and agencies.
``Enrolment`` is that person in one session with what they stated for it (employer, education,
certificate held, photo) and the route that made them eligible. ``RosterBatch`` is an uploaded
roster staged with its rows and their errors until it is applied (all rows or none).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import EducationLevel
from portal.models import IdType
from portal.pii import EncryptedIdField


class Candidate(models.Model):
    """A person who applies for skill-level recognition (one record per ID)."""

    real_name = models.CharField(_("real name"), max_length=60)
    id_type = models.CharField(
        _("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = EncryptedIdField(_("ID number"), index_field="id_index", type_field="id_type")
    id_index = models.CharField(_("ID number index"), max_length=80, unique=True)
    gender = models.CharField(_("gender"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.real_name

    @property
    def masked_id(self) -> str:
        from portal import pii

        return pii.mask_id(self.id_number, self.id_type)


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentSource(models.TextChoices):
    FORM = "form", _("Enrolled one by one")
    ROSTER = "roster", _("Roster import")


class Enrolment(models.Model):
    """A candidate in one session, with what they stated and the route that made them
    eligible (Art 18)."""

    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("assessment session"),
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("candidate")
    )
    real_name = models.CharField(_("real name"), max_length=60)
    phone = models.CharField(_("mobile phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    employer_name = models.CharField(_("employer"), max_length=120, blank=True)
    employer_uscc = models.CharField(_("employer's USCC"), max_length=18, blank=True)
    dispatched = models.BooleanField(_("dispatched staff (劳务派遣)"), default=False)
    work_unit_name = models.CharField(_("unit where the person works"), max_length=120, blank=True)
    work_unit_uscc = models.CharField(
        _("USCC of the unit where the person works"), max_length=18, blank=True
    )
    education = models.CharField(
        _("education"), max_length=16, choices=EducationLevel.choices, blank=True
    )
    started_on = models.DateField(_("started work in the occupation"), null=True, blank=True)
    prior_number = models.CharField(_("certificate held: number"), max_length=40, blank=True)
    prior_level = models.CharField(_("certificate held: level"), max_length=2, blank=True)
    prior_date = models.DateField(_("certificate held: date"), null=True, blank=True)
    photo = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    eligible_by = models.CharField(_("eligible by"), max_length=300)
    # Eligible through an education rule (Art 18): the agency uploads the diploma and confirms
    # it shows the stated education before the candidate counts as checked.
    diploma_required = models.BooleanField(_("diploma to be checked"), default=False)
    diploma = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diploma"),
    )
    education_confirmed_at = models.DateTimeField(
        _("education confirmed at"), null=True, blank=True
    )
    education_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("education confirmed by"),
    )
    source = models.CharField(
        _("source"), max_length=8, choices=EnrolmentSource.choices, default=EnrolmentSource.FORM
    )
    batch = models.ForeignKey(
        "assessments.RosterBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("roster"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "candidate"],
                condition=Q(status="enrolled"),
                name="one_enrolment_per_person_and_session",
            ),
            models.CheckConstraint(
                condition=Q(status="enrolled") | ~Q(withdrawal_reason=""),
                name="withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.real_name

    @property
    def education_pending(self) -> bool:
        """学历待核验: eligible through education, the diploma not yet confirmed."""
        return (
            self.diploma_required
            and self.education_confirmed_at is None
            and self.status == EnrolmentStatus.ENROLLED
        )


class BatchStatus(models.TextChoices):
    READING = "reading", _("Being checked")
    STAGED = "staged", _("Checked, not applied")
    APPLIED = "applied", _("Applied to the session")
    FAILED = "failed", _("Could not be read")


class RosterBatch(models.Model):
    """An uploaded roster: its rows and their errors, staged until applied (decision 0035)."""

    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        related_name="roster_batches",
        verbose_name=_("assessment session"),
    )
    document = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("roster file"),
    )
    photos = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photos (ZIP)"),
    )
    sha256 = models.CharField(_("checksum"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.READING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    file_error = models.TextField(_("error of the file"), blank=True)
    unmatched_photos = models.JSONField(_("photos matching no row"), default=list)
    applied_count = models.PositiveIntegerField(_("candidates added"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")

    def __str__(self) -> str:
        return f"{self.session} #{self.pk}"

    @property
    def progress(self) -> int:
        """Per cent of the rows checked, for the progress bar."""
        if self.status != BatchStatus.READING:
            return 100
        return int(100 * self.checked_rows / self.total_rows) if self.total_rows else 0


class RosterRow(models.Model):
    """One row of a staged roster: the values read (the ID number encrypted like any other)
    and the errors by column key."""

    batch = models.ForeignKey(
        RosterBatch, on_delete=models.CASCADE, related_name="rows", verbose_name=_("roster")
    )
    number = models.PositiveIntegerField(_("row"))
    id_type = models.CharField(_("ID type"), max_length=20, blank=True)
    id_number = EncryptedIdField(_("ID number"), index_field="id_index", type_field="id_type")
    id_index = models.CharField(_("ID number index"), max_length=80, blank=True)
    values = models.JSONField(_("values"), default=dict)
    errors = models.JSONField(_("errors"), default=dict)
    photo_name = models.CharField(_("photo file"), max_length=200, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        verbose_name = _("roster row")
        verbose_name_plural = _("roster rows")
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="roster_row_once")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"

    @property
    def ok(self) -> bool:
        return not self.errors
