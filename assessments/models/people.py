"""Examiners and quality supervisors (Art 19, 23).

One record per person for the whole portal, found by the blind index of the ID number
(``portal.pii``): an agency that adds a person already on record adds its own use of them
(``Engagement``), and a suspension by the testing centre, being on the one record, takes
effect in every agency. Training records (Art 23) hang on the person, each naming the agency
that recorded it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import IdType
from portal.pii import EncryptedIdField


class Grade(models.TextChoices):
    """考评员 assess levels 5 to 3; 高级考评员 every level (Art 19)."""

    EXAMINER = "examiner", _("Assessor")
    SENIOR = "senior", _("Senior assessor")


# The highest level rank (catalog.SkillLevel.rank: 1 is 五级, 5 is 一级) each grade may assess.
HIGHEST_RANK = {Grade.EXAMINER: 3, Grade.SENIOR: 5}
LOWEST_RANK = 1


class QualificationStatus(models.TextChoices):
    ACTIVE = "active", _("Valid qualification")
    SUSPENDED = "suspended", _("Suspended")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class QualifiedPerson(models.Model):
    """What examiners and supervisors share: the person, their ID, their qualification."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    real_name = models.CharField(_("real name"), max_length=60)
    id_type = models.CharField(
        _("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = EncryptedIdField(_("ID number"), index_field="id_index", type_field="id_type")
    id_index = models.CharField(_("ID number index"), max_length=80, unique=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    province = models.ForeignKey(
        "portal.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered with"),
    )
    qualification_number = models.CharField(_("qualification certificate number"), max_length=40)
    qualification_document = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("qualification certificate"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=QualificationStatus.choices,
        default=QualificationStatus.ACTIVE,
    )
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # The testing centre of the province it is registered with, and of every agency using it.
    province_path = ("province", "engagements__agency__filing_jurisdiction")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.real_name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_index"}
        super().save(*args, **kwargs)

    @property
    def masked_id(self) -> str:
        from portal import pii

        return pii.mask_id(self.id_number, self.id_type)

    @property
    def is_suspended(self) -> bool:
        return self.status == QualificationStatus.SUSPENDED

    @property
    def validity_state(self) -> str:
        """``suspended``, ``ended``, ``ending`` (within 30 days) or ``ok``, for the badge."""
        import datetime as dt

        from portal import clock

        today = clock.today()
        if self.is_suspended:
            return "suspended"
        if self.valid_until < today:
            return "ended"
        return "ending" if self.valid_until <= today + dt.timedelta(days=30) else "ok"


class Examiner(QualifiedPerson):
    """考评员 / 高级考评员 (Art 19): assesses candidates in the occupations and levels listed."""

    kind = "examiner"
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)

    class Meta:
        verbose_name = _("examiner")
        verbose_name_plural = _("examiners")


class QualitySupervisor(QualifiedPerson):
    """内部质量督导员 (Art 19): supervises the agency's own assessments."""

    kind = "supervisor"

    class Meta:
        verbose_name = _("quality supervisor")
        verbose_name_plural = _("quality supervisors")


class ExaminerOccupation(models.Model):
    """An occupation an examiner assesses, from ``lowest`` to ``highest`` level."""

    examiner = models.ForeignKey(
        Examiner, on_delete=models.CASCADE, related_name="occupations", verbose_name=_("examiner")
    )
    occupation = models.ForeignKey(
        "catalog.Occupation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    lowest = models.ForeignKey(
        "catalog.SkillLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lowest level"),
    )
    highest = models.ForeignKey(
        "catalog.SkillLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("highest level"),
    )

    class Meta:
        verbose_name = _("occupation of an examiner")
        verbose_name_plural = _("occupations of examiners")
        constraints = [
            models.UniqueConstraint(
                fields=["examiner", "occupation"], name="examiner_occupation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occupation} {self.lowest.code}–{self.highest.code}"


def _one_person() -> Q:
    return Q(examiner__isnull=False, supervisor__isnull=True) | Q(
        examiner__isnull=True, supervisor__isnull=False
    )


class Engagement(models.Model):
    """An agency's own use of an examiner or a supervisor (retired: no longer used here)."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("agency"),
    )
    examiner = models.ForeignKey(
        Examiner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("examiner"),
    )
    supervisor = models.ForeignKey(
        QualitySupervisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("quality supervisor"),
    )
    started_on = models.DateField(_("in use since"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        verbose_name = _("use of a person by an agency")
        verbose_name_plural = _("uses of people by agencies")
        constraints = [
            models.CheckConstraint(condition=_one_person(), name="engagement_one_person"),
            models.UniqueConstraint(
                fields=["agency", "examiner"],
                condition=Q(examiner__isnull=False),
                name="engagement_examiner_once",
            ),
            models.UniqueConstraint(
                fields=["agency", "supervisor"],
                condition=Q(supervisor__isnull=False),
                name="engagement_supervisor_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.agency}"

    @property
    def person(self) -> QualifiedPerson:
        return self.examiner or self.supervisor

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class TrainingRecord(models.Model):
    """A training an examiner or supervisor took (Art 23): date, hours, organiser, certificate."""

    examiner = models.ForeignKey(
        Examiner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("examiner"),
    )
    supervisor = models.ForeignKey(
        QualitySupervisor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("quality supervisor"),
    )
    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by the agency"),
    )
    held_on = models.DateField(_("date of the training"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    organiser = models.CharField(_("organiser"), max_length=120)
    topic = models.CharField(_("topic"), max_length=200)
    certificate = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("training certificate"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_one_person(), name="training_one_person"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"
