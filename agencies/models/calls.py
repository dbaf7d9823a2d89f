"""Calls for agencies (征集公告, Art 11): who may apply, the thresholds, the notice period, the
filing term and the commitment text that every application to the call inherits."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AgencyKind

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
        return (kind == AgencyKind.EMPLOYER and self.accepts_employers) or (
            kind == AgencyKind.SOCIAL_ORG and self.accepts_social_orgs
        )
