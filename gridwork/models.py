"""Volunteers of a grid and the 民情 ledger: visits (入户走访) and patrols (巡查摸排), what was heard
on them (民情 items) and what became of each item.

Personal data is kept small: a volunteer is an account (name, phone) with a grid, a compound
and a team; a visit names a household by its address label (楼栋/单元/门牌), never a person or an
identity document.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import Community, Compound, Grid, Street
from reports.models import Report


class PartyOrganisation(models.Model):
    """A grassroots party organisation: a community's 党委 / 党总支, or a compound's 党支部."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.BRANCH)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    compound = models.ForeignKey(
        Compound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_organisations",
        verbose_name=_("小区"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["community", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="one_party_org_name")
        ]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A resident serving a grid: 流动网格员, or a party member as 服务员 / 调解员 / 监督员."""

    class ServesAs(models.TextChoices):
        PATROLLER = "patroller", _("流动网格员")
        SERVICE = "service", _("服务员")
        MEDIATOR = "mediator", _("调解员")
        SUPERVISOR = "supervisor", _("监督员")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer",
        verbose_name=_("人员"),
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("网格")
    )
    compound = models.ForeignKey(
        Compound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers",
        verbose_name=_("小区"),
    )
    team = models.CharField(_("队伍"), max_length=50, blank=True)
    serves_as = models.CharField(
        _("服务岗位"), max_length=12, choices=ServesAs.choices, default=ServesAs.PATROLLER
    )
    party_member = models.BooleanField(_("党员"), default=False)
    # A party member's organisation (set by the community's staff).
    party_organisation = models.ForeignKey(
        PartyOrganisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("所属党组织"),
    )
    active = models.BooleanField(_("在岗"), default=True)
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["grid", "id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.grid.code}"


class Visit(models.Model):
    """One 入户走访 or 巡查摸排, recorded from the phone by a grid worker or a volunteer."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("入户走访")
        PATROL = "patrol", _("巡查摸排")

    class Role(models.TextChoices):
        WORKER = "worker", _("网格员")
        VOLUNTEER = "volunteer", _("志愿者")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="visits", verbose_name=_("网格")
    )
    # Copied from the grid, as on reports: figures group by them without joining.
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+")
    compound = models.ForeignKey(
        Compound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("小区"),
    )
    # The checked-in position (WGS-84), when the phone gave one.
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    household = models.CharField(_("走访户 (楼栋/门牌)"), max_length=60, blank=True)
    note = models.CharField(_("情况"), max_length=500, blank=True)
    minutes = models.PositiveIntegerField(_("用时 (分钟)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="gridwork_visits",
        verbose_name=_("记录人"),
    )
    recorder_role = models.CharField(_("记录人身份"), max_length=10, choices=Role.choices)
    happened_at = models.DateTimeField(_("时间"), default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("走访巡查")
        verbose_name_plural = _("走访巡查")
        ordering = ["-happened_at", "-id"]
        indexes = [
            # Figures: a period's visits of an area; the worker's list: a grid's latest visits.
            models.Index(fields=["happened_at"], name="visit_time"),
            models.Index(fields=["grid", "happened_at"], name="visit_grid_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.grid.code} {self.happened_at:%Y-%m-%d}"


def visit_photo_path(instance: "VisitPhoto", filename: str) -> str:
    return f"gridwork/{timezone.now():%Y/%m/%d}/{instance.sha256}.jpg"


class VisitPhoto(models.Model):
    """A photo of what was found (metadata stripped by reports.photos)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=visit_photo_path)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "sha256"], name="one_copy_per_visit")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.sha256[:8]}"


class Item(models.Model):
    """A 民情 item: something heard or found on a visit, and what became of it."""

    class Kind(models.TextChoices):
        NEED = "need", _("民生需求")
        COMPLAINT = "complaint", _("意见投诉")
        HAZARD = "hazard", _("安全隐患")
        DISPUTE = "dispute", _("矛盾纠纷")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待跟进")  # kept for follow-up
        SETTLED = "settled", _("当场解决")
        TICKETED = "ticketed", _("已转工单")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("内容"), max_length=500)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    settled_note = models.CharField(_("处理情况"), max_length=200, blank=True)
    settled_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Linked both ways: ticket.minqing_item leads back here.
    ticket = models.OneToOneField(
        Report,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minqing_item",
        verbose_name=_("工单"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("民情信息")
        verbose_name_plural = _("民情信息")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ticketed") | Q(ticket__isnull=False),
                name="ticketed_item_has_its_ticket",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:30]


class Event(models.Model):
    """The audit trail of the 民情 ledger: never edited or deleted."""

    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit = models.ForeignKey(Visit, null=True, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(Item, null=True, on_delete=models.CASCADE, related_name="events")
    note = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class PatrolPlan(models.Model):
    """A grid's required 入户走访 and 巡查摸排 per week (Monday to Sunday, local time)."""

    grid = models.OneToOneField(
        Grid, on_delete=models.CASCADE, related_name="patrol_plan", verbose_name=_("网格")
    )
    visits_per_week = models.PositiveIntegerField(_("每周入户走访"), default=0)
    patrols_per_week = models.PositiveIntegerField(_("每周巡查摸排"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("走访巡查计划")
        verbose_name_plural = _("走访巡查计划")

    def __str__(self) -> str:
        return f"{self.grid.code}: {self.visits_per_week}/{self.patrols_per_week}"
