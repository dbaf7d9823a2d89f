"""Becoming a listed agency (Art 10–15, 22): calls, applications with evidence, vetting,
decision, commitment letter, directory listing with its approved scope.

The tenant itself (Agency, AgencySite, AgencyMembership) lives in ``portal``; this app
owns the processes around it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

DEFAULT_COMMITMENT = (
    "本机构自愿申请开展职业技能等级认定工作，郑重承诺：\n"
    "一、严格执行国家职业技能标准或经备案的评价规范，坚持客观、公正、科学、规范的原则；\n"
    "二、建立健全考务管理、质量管理、证书管理等制度，并向社会公开收费标准；\n"
    "三、建立考评人员和内部质量督导人员队伍，按要求配备场地设施设备和视频监控；\n"
    "四、按统一编码规则和参考样式颁发证书，按规定报送证书数据和统计信息；\n"
    "五、妥善保管评价工作全过程资料，纸质材料保存不少于3年，电子材料不少于5年；\n"
    "六、自愿接受人力资源社会保障部门的监督检查，如违反承诺，愿意退出评价机构目录并承担相应责任。"
)


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class AgencyCall(models.Model):
    """A call for agencies (征集公告, Art 11): by the ministry nationwide or by a province."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=6)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text of the call"))
    accepts_employers = models.BooleanField(_("accepts employers"), default=True)
    accepts_social_orgs = models.BooleanField(
        _("accepts social training-and-evaluation organisations"), default=True
    )
    occupations = models.ManyToManyField(
        "catalog.Occupation",
        blank=True,
        related_name="calls",
        verbose_name=_("occupations in scope"),
        help_text=_("None chosen: every skill occupation."),
    )
    min_years = models.PositiveSmallIntegerField(
        _("years of relevant training or evaluation work"), default=0
    )
    min_total_assessed = models.PositiveIntegerField(_("person-times assessed in total"), default=0)
    min_per_occupation = models.PositiveIntegerField(
        _("person-times assessed per declared occupation"), default=0
    )
    thresholds_for_employers = models.BooleanField(
        _("thresholds apply to employers too"), default=False
    )
    standard_required = models.BooleanField(
        _("only occupations with a national standard"),
        default=False,
        help_text=_("The 2020 national call admitted only occupations with a national standard."),
    )
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    notice_period_days = models.PositiveSmallIntegerField(
        _("public-notice period (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    filing_term_years = models.PositiveSmallIntegerField(
        _("filing term (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    commitment_text = models.TextField(_("commitment letter text"), default=DEFAULT_COMMITMENT)
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    province_path = "jurisdiction"

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("call for agencies")
        verbose_name_plural = _("calls for agencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")), name="call_deadline_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(accepts_employers=True) | Q(accepts_social_orgs=True),
                name="call_accepts_a_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national(self) -> bool:
        return self.jurisdiction == "000000"

    def accepts(self, kind: str) -> bool:
        return (kind == "Y" and self.accepts_employers) or (
            kind == "S" and self.accepts_social_orgs
        )


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted: material check")
    RETURNED = "returned", _("Returned for correction")
    UNDER_REVIEW = "under_review", _("Materials accepted: technical evaluation")
    ON_NOTICE = "on_notice", _("Approved, on public notice")
    APPROVED = "approved", _("Approved: awaiting the commitment letter")
    LISTED = "listed", _("Listed in the directory")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class UsccCheck(models.TextChoices):
    VALID = "valid", _("Check character valid")
    FLAGGED = "flagged", _("Check character mismatch: to be confirmed")
    CONFIRMED = "confirmed", _("Confirmed by an official")
    REJECTED = "rejected", _("Rejected by an official")


class AgencyApplication(models.Model):
    """An organisation's application to one call (Art 12, 13), vetted under Art 14."""

    call = models.ForeignKey(
        AgencyCall, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    legal_name = models.CharField(_("legal name"), max_length=120)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    uscc_check = models.CharField(
        _("USCC check"), max_length=10, choices=UsccCheck.choices, default=UsccCheck.VALID
    )
    uscc_note = models.CharField(_("USCC confirmation note"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=1,
        choices=[("Y", _("Employer")), ("S", _("Social training-and-evaluation organisation"))],
    )
    registered_province = models.ForeignKey(
        "portal.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered province"),
    )
    address = models.CharField(_("registered address"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=60)
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    declared_years = models.PositiveSmallIntegerField(
        _("years of relevant training or evaluation work"), null=True, blank=True
    )
    declared_total_assessed = models.PositiveIntegerField(
        _("person-times assessed in total"), null=True, blank=True
    )
    pledged_at = models.DateTimeField(_("pledge of truthfulness signed at"), null=True, blank=True)
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pledge signed by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    receipt = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acceptance receipt"),
    )
    use_expert_review = models.BooleanField(_("expert review"), default=False)
    use_site_visit = models.BooleanField(_("site visit"), default=False)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    may_serve_others = models.BooleanField(
        _("may also assess other employers' staff and the public"),
        default=False,
        help_text=_("Employers only (Art 16)."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_letter = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision letter"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    tenant_path = "agency"
    province_path = "call__jurisdiction"

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "agency"], name="one_application_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name}（{self.call.title}）"


class Condition(models.IntegerChoices):
    """The five conditions of Art 12."""

    REGISTRATION = 1, _("Lawfully registered, sound finances and management, good credit")
    INFLUENCE = 2, _("Influence and assessment experience in the declared occupations")
    CAPACITY = (
        3,
        _("Dedicated unit, staff, experts, venues and equipment (with video surveillance)"),
    )
    NON_PROFIT = 4, _("Social benefit first, stable funding; employers: training tied to pay")
    QUALITY = 5, _("Quality management measures and acceptance of supervision")


class ConditionStatement(models.Model):
    """The applicant's statement and evidence for one condition of Art 12."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("application"),
    )
    condition = models.PositiveSmallIntegerField(_("condition"), choices=Condition.choices)
    statement = models.TextField(_("statement"), blank=True)
    evidence = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("evidence")
    )

    class Meta:
        ordering = ["application", "condition"]
        verbose_name = _("condition statement")
        verbose_name_plural = _("condition statements")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "condition"], name="one_statement_per_condition"
            )
        ]

    def __str__(self) -> str:
        return self.get_condition_display()


class ScopeFields(models.Model):
    """An occupation, an optional work type and levels: requested or approved scope."""

    occupation = models.ForeignKey(
        "catalog.Occupation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    work_type = models.ForeignKey(
        "catalog.WorkType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work type"),
    )
    levels = models.ManyToManyField(
        "catalog.SkillLevel", related_name="+", verbose_name=_("levels")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.occupation}" + (f"（{self.work_type}）" if self.work_type_id else "")


class RequestedScope(ScopeFields):
    """One occupation (work type) and its levels that the applicant asks to assess."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="scope",
        verbose_name=_("application"),
    )
    declared_assessed = models.PositiveIntegerField(
        _("person-times assessed in this occupation"), null=True, blank=True
    )
    approved_levels = models.ManyToManyField(
        "catalog.SkillLevel",
        blank=True,
        related_name="+",
        verbose_name=_("approved levels"),
        help_text=_("Set by the decision; may be narrower than requested."),
    )

    class Meta:
        ordering = ["application", "occupation__code"]
        verbose_name = _("requested scope")
        verbose_name_plural = _("requested scope")


class SiteDeclaration(models.Model):
    """A place where the applicant will assess (a nationwide agency may declare several)."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="sites",
        verbose_name=_("application"),
    )
    name = models.CharField(_("name"), max_length=120)
    province = models.ForeignKey(
        "portal.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    address = models.CharField(_("address"), max_length=200)

    class Meta:
        ordering = ["application", "province", "name"]
        verbose_name = _("declared site")
        verbose_name_plural = _("declared sites")

    def __str__(self) -> str:
        return self.name


class MaterialReview(models.Model):
    """One round of the material check (材料核验): accepted, or returned with comments."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="material_reviews",
        verbose_name=_("application"),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comments = models.JSONField(_("comments per item"), default=dict, blank=True)
    general_comment = models.TextField(_("general comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["application", "round"]
        verbose_name = _("material check round")
        verbose_name_plural = _("material check rounds")
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="material_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.round}"


class ExpertAssignment(models.Model):
    """An expert assigned to review one application (专家论证). The identity of the
    expert is never shown to the applicant."""

    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not yet declared")
        NONE = "none", _("No conflict of interest")
        WITHDRAWN = "withdrawn", _("Conflict declared: withdrew")

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="expert_assignments",
        verbose_name=_("application"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert_assignments",
        verbose_name=_("expert"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=10,
        choices=Conflict.choices,
        default=Conflict.UNDECLARED,
    )
    conflict_note = models.CharField(_("conflict note"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    scores = models.JSONField(_("scores per condition"), default=dict, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, blank=True, choices=Recommendation.choices
    )
    submitted_at = models.DateTimeField(_("review submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "assigned_at"]
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="expert_once_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application_id}"


class SiteVisit(models.Model):
    """A site visit (现场考察): date, people, findings and photos."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="site_visits",
        verbose_name=_("application"),
    )
    visited_on = models.DateField(_("date of the visit"))
    people = models.CharField(_("people who visited"), max_length=300)
    findings = models.TextField(_("findings"))
    photos = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("photos")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["application", "visited_on"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self) -> str:
        return f"{self.application_id} {self.visited_on}"


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    """Assignment grants on applications (an expert assigned to review one)."""

    content_object = models.ForeignKey(AgencyApplication, on_delete=models.CASCADE)


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(AgencyApplication, on_delete=models.CASCADE)


class DirectoryEntry(models.Model):
    """An agency's listing in the public directory (评价机构目录, Art 15, 22)."""

    agency = models.OneToOneField(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="directory_entry",
        verbose_name=_("agency"),
    )
    application = models.ForeignKey(
        AgencyApplication, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    filing_jurisdiction = models.CharField(_("filing authority"), max_length=6)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    may_serve_others = models.BooleanField(
        _("may also assess other employers' staff and the public"), default=False
    )
    commitment = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commitment letter"),
    )
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    commitment_signed_at = models.DateTimeField(_("signed at"))
    listed_at = models.DateTimeField(_("listed at"))

    tenant_path = "agency"
    province_path = ("filing_jurisdiction", "agency__sites__province")

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="term_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return str(self.agency)


class ScopeItem(ScopeFields):
    """Approved scope: an occupation (work type) and levels, with the basis in force at approval."""

    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="scope",
        verbose_name=_("directory entry"),
    )
    standard = models.ForeignKey(
        "catalog.NationalStandard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("national standard"),
    )
    spec = models.ForeignKey(
        "catalog.EvaluationSpec",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluation specification"),
    )

    class Meta:
        ordering = ["entry", "occupation__code"]
        verbose_name = _("scope item")
        verbose_name_plural = _("scope items")

    @property
    def basis_label(self) -> str:
        if self.standard_id:
            return str(self.standard)
        if self.spec_id:
            return f"{self.spec.title}（{self.spec.filing_number}）"
        return ""


# --- Running a listed agency (Art 16, 19, 22, 27, 28) ------------------------------------------


class RulesKind(models.TextChoices):
    """The management rules an agency must publish (Art 19)."""

    EXAM_AFFAIRS = "exam_affairs", _("Exam-affairs rules")
    QUALITY = "quality", _("Quality management rules")
    CERTIFICATES = "certificates", _("Certificate management rules")
    FEES = "fees", _("Fee schedule")


class PublishedRules(models.Model):
    """One published version of an agency's rules or fees; earlier versions are kept."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="published_rules",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=RulesKind.choices)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["agency", "kind", "-version"]
        verbose_name = _("published rules")
        verbose_name_plural = _("published rules")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "version"], name="rules_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class ChangeKind(models.TextChoices):
    DETAILS = "details", _("Change of details")
    SCOPE = "scope", _("Change of scope")
    SERVE_OTHERS = "serve_others", _("Assessing other employers' staff and the public (Art 16)")
    RENEWAL = "renewal", _("Renewal of the filing term")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the filing authority")
    ON_NOTICE = "on_notice", _("Approved, on public notice")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeRequest(models.Model):
    """A listed agency asks its filing authority to change its details, scope, the employer's
    right to serve others, or to renew its term. History is kept: rows are never deleted."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=ChangeKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    payload = models.JSONField(_("requested change"), default=dict)
    before = models.JSONField(_("before the change"), default=dict, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    evidence = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("evidence")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()}"


class SanctionKind(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    REMOVAL = "removal", _("Removal from the directory")


class Sanction(models.Model):
    """A suspension (with its period) or a removal from the directory (Art 27, 28)."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SanctionKind.choices)
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    follow_up_plan = models.TextField(
        _("follow-up plan"),
        blank=True,
        help_text=_(
            "Art 28: what happens to planned sessions and candidates; certificates "
            "already issued stay valid."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="suspension") | Q(ends_on__isnull=False),
                name="suspension_has_an_end",
            ),
            models.CheckConstraint(
                condition=~Q(kind="removal") | ~Q(follow_up_plan=""),
                name="removal_has_a_follow_up_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()}"


class TermReminder(models.Model):
    """A reminder sent before the filing term ends (90 and 30 days); one per term and step."""

    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("directory entry"),
    )
    valid_until = models.DateField(_("term ends on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("term reminder")
        verbose_name_plural = _("term reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "valid_until", "days_before"], name="one_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} −{self.days_before}"
