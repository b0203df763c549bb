"""Units, routing rules, tasks, extensions, suspension requests, the dispatcher's queue and the working-hours calendar.

Field names here are read by the worklist pages and the dashboards: keep them stable.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import Community, Grid, Street
from reports.models import Category, Report

Level = Category.Level


class Unit(models.Model):
    """处置单位: a body that receives tasks. Street offices, community committees and grid teams are
    derived from the divisions; a grid team's members are its grid's workers (GridMembership)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        UTILITY = "utility", _("公用事业单位")
        TELECOM = "telecom", _("通信运营商")
        STREET = "street", _("街道办事处")
        COMMUNITY = "community", _("社区居委会")
        GRID = "grid", _("网格")

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    # Set for the division-derived units only: which 街道 / 社区 / 网格 the unit serves.
    street = models.OneToOneField(
        Street,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="office",
        verbose_name=_("街道"),
    )
    community = models.OneToOneField(
        Community,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee",
        verbose_name=_("社区"),
    )
    grid = models.OneToOneField(
        Grid,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team",
        verbose_name=_("网格"),
    )
    phone = models.CharField(_("值班电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("处置单位")
        verbose_name_plural = _("处置单位")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        """The handling level this unit works at (DESIGN §4)."""
        if self.kind == self.Kind.GRID:
            return Level.GRID
        if self.kind == self.Kind.COMMUNITY:
            return Level.COMMUNITY
        return Level.DEPARTMENT


class UnitMembership(models.Model):
    """A person working for a unit. Grid teams need none: their grid's workers are their members."""

    class Role(models.TextChoices):
        STAFF = "staff", _("工作人员")
        HEAD = "head", _("负责人")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_memberships",  # accounts.User.roles reads this name
        verbose_name=_("人员"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("单位")
    )
    role = models.CharField(_("职务"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_membership_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.code}"


class RoutingRule(models.Model):
    """Category (leaf or 大类), optionally narrowed to a 街道, 社区 or 网格 → lead and cooperating
    units, deadline and urgency. The most specific matching rule wins (dispatch/routing.py)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("类别")
    )
    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("街道")
    )
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("社区")
    )
    grid = models.ForeignKey(
        Grid, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("网格")
    )
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="lead_rules", verbose_name=_("主办单位")
    )
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_rules", verbose_name=_("协办单位")
    )
    # Empty: the category's own time limit and urgency apply.
    deadline_hours = models.PositiveIntegerField(_("办理时限 (工作小时)"), null=True, blank=True)
    urgent = models.BooleanField(_("紧急"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        ordering = ["category__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "street", "community", "grid"],
                nulls_distinct=False,
                name="one_rule_per_category_and_area",
            ),
            models.CheckConstraint(
                condition=(
                    Q(street__isnull=True, community__isnull=True)
                    | Q(street__isnull=True, grid__isnull=True)
                    | Q(community__isnull=True, grid__isnull=True)
                ),
                name="rule_narrowed_to_one_area",
            ),
        ]

    def __str__(self) -> str:
        area = self.grid or self.community or self.street or _("全市")
        return f"{self.category} · {area} → {self.lead_unit}"

    @property
    def specificity(self) -> tuple[int, int]:
        """(area, category): grid 3 > community 2 > street 1 > city 0; leaf 1 > 大类 0."""
        area = 3 if self.grid_id else 2 if self.community_id else 1 if self.street_id else 0
        return (area, 1 if self.category.parent_id else 0)


class Task(models.Model):
    """One unit's part of a ticket: pending → accepted → done, or returned / escalated / cancelled."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")  # created; the unit has not accepted it yet
        ACCEPTED = "accepted", _("处置中")  # the unit is working on it
        DONE = "done", _("已处置")  # the unit finished its part (after-photo)
        RETURNED = "returned", _("已退回")  # wrong unit; the ticket went back to the dispatcher
        ESCALATED = (
            "escalated",
            _("已上报"),
        )  # handed one level up (上报); the next level has a task
        CANCELLED = (
            "cancelled",
            _("已撤销"),
        )  # the dispatcher re-routed, merged or rejected the ticket

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        COOPERATING = "cooperating", _("协办")

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("上报事项")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("处置单位")
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.LEAD)
    level = models.CharField(_("处置层级"), max_length=10, choices=Level.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rule = models.ForeignKey(
        RoutingRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("派单规则"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name=_("上报自"),
    )

    # Time limit: `hours` working hours (clock hours when urgent) from `assigned_at`, plus
    # approved extensions. The three due times are stored so the watch finds work by index.
    hours = models.PositiveIntegerField(_("时限 (小时)"))
    urgent = models.BooleanField(_("紧急"), default=False)
    extended_hours = models.PositiveIntegerField(_("已延期 (小时)"), default=0)
    assigned_at = models.DateTimeField(_("派遣时间"), default=timezone.now)
    remind_due_at = models.DateTimeField(_("催办时间"))  # 75% of the time
    deadline = models.DateTimeField(_("办理时限"))
    official_due_at = models.DateTimeField(_("领导督办时间"))  # twice the time

    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("处置完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)  # returned/escalated/…
    note = models.TextField(_("处置说明/退回理由"), blank=True)

    # Claimed once each by the deadline watch with a conditional update (exactly once).
    reminded_at = models.DateTimeField(_("已催办"), null=True, blank=True)  # 催办 at 75%
    overdue_at = models.DateTimeField(_("已督办"), null=True, blank=True)  # 督办 at the deadline
    # On the officials' overdue list since (twice the time); the dashboards query this.
    official_listed_at = models.DateTimeField(_("列入领导督办"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["assigned_at", "id"]
        constraints = [
            # A unit holds at most one live task per ticket; routing twice cannot duplicate it.
            models.UniqueConstraint(
                fields=["report", "unit"],
                condition=Q(status__in=["pending", "accepted", "done"]),
                name="one_live_task_per_unit",
            )
        ]
        indexes = [
            # "My unit's tasks" worklists.
            models.Index(fields=["unit", "status"], name="task_unit_status"),
            # The deadline watch scans open tasks by due time.
            models.Index(fields=["status", "remind_due_at"], name="task_remind_due"),
            models.Index(fields=["status", "deadline"], name="task_deadline"),
            models.Index(fields=["status", "official_due_at"], name="task_official_due"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.unit_id} {self.status}"


LIVE_TASK_STATUSES = (Task.Status.PENDING, Task.Status.ACCEPTED, Task.Status.DONE)
OPEN_TASK_STATUSES = (Task.Status.PENDING, Task.Status.ACCEPTED)


class UnitRequest(models.Model):
    """What a unit asks the dispatcher to decide on; the decision is recorded on the request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]


class Extension(UnitRequest):
    """A unit's request for more time (延期); the dispatcher approves or refuses it."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("任务")
    )
    hours = models.PositiveIntegerField(_("延期时长 (小时)"))
    reason = models.TextField(_("理由"), max_length=500)

    class Meta(UnitRequest.Meta):
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} +{self.hours}h {self.status}"


class SuspensionRequest(UnitRequest):
    """A unit's request to put its ticket on 挂账 (approved long-term work: construction, a
    season); the dispatcher approves it (the ticket is suspended) or refuses it."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="suspension_requests", verbose_name=_("任务")
    )
    reason = models.TextField(_("理由"), max_length=1000)

    class Meta(UnitRequest.Meta):
        verbose_name = _("挂账申请")
        verbose_name_plural = _("挂账申请")
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="one_pending_suspension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.status}"


class DispatchQueueEntry(models.Model):
    """A ticket waiting for the dispatcher (指挥中心): not routable, returned, or reopened."""

    class Reason(models.TextChoices):
        UNCOVERED = "uncovered", _("无匹配派单规则")
        UNSURE = "unsure", _("上报人不确定类别")
        RETURNED = "returned", _("单位退回")
        ESCALATED = "escalated", _("上报无上级单位")
        UNSATISFIED = "unsatisfied", _("群众不满意")

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="queue_entries", verbose_name=_("上报事项")
    )
    reason = models.CharField(_("原因"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("进入时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("待人工派遣")
        verbose_name_plural = _("待人工派遣")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(resolved_at=None), name="one_open_queue_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.reason}"


class CallBack(models.Model):
    """回访: a hotline operator or dispatcher called the reporter of a closed ticket that had no
    rating after CALLBACK_AFTER_DAYS. What the resident said counts in 解决率 and 满意率 when they
    left no rating themselves (stats.facts)."""

    class Answer(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="call_backs", verbose_name=_("上报事项")
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("回访人"),
    )
    reached = models.BooleanField(_("已联系上"))
    solved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Answer.choices, blank=True)
    note = models.TextField(_("回访记录"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("回访时间"), default=timezone.now)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.created_at:%Y-%m-%d}"


class CalendarDay(models.Model):
    """An administrator's override of the working calendar for one day (holiday or make-up day)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {_('工作日') if self.is_workday else _('休息日')}"


class PipelineHeartbeat(models.Model):
    """The last time a consuming worker ran the beat-scheduled heartbeat task.

    Only a worker that takes messages from the broker can write it, so its age tells whether the
    whole pipeline (beat → broker → worker → database) moves, not just whether processes are up.
    Operational telemetry, not a ticket's history: it carries no event."""

    name = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("流水线心跳")
        verbose_name_plural = _("流水线心跳")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ActionReceipt(models.Model):
    """The answer once given to a (person, Idempotency-Key): a phone that replays a queued action
    after losing the first answer gets that answer again instead of a second application.

    Only successful answers are kept: a refused or failed request leaves no receipt, so the same
    key may be tried again once the worker has changed what was wrong. The request's method and
    path are kept so a key reused for another operation is refused instead of answered wrongly."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.UUIDField()
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("操作回执")
        verbose_name_plural = _("操作回执")
        constraints = [
            # The claim: a replay racing the first request waits on this index, then reads it.
            models.UniqueConstraint(fields=["user", "key"], name="one_receipt_per_user_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} {self.method} {self.path}"
