"""Categories, reports (tickets), photos and the timeline of events."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import Community, Compound, Grid, Street


class CatalogueEdition(models.Model):
    """An edition of the national catalogue loaded into the categories (manage.py load_catalogue).

    Each national category names the edition it was last confirmed by; one edition is current."""

    name = models.CharField(_("版本"), max_length=60, unique=True)  # "GB/T 47678.5-2026"
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)
    is_current = models.BooleanField(_("现行"), default=False)

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")
        ordering = ["-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_edition",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CategoryQuerySet(models.QuerySet):
    def reportable(self) -> "CategoryQuerySet":
        """What a report may be filed under: active 小类 of the matters (管理事项) and the local
        extensions. Components (管理部件) are the things themselves; their problems are the
        matters of the same code (“… 异常”)."""
        return self.filter(
            is_active=True,
            parent__isnull=False,
            catalogue__in=(Category.Catalogue.MATTER, Category.Catalogue.LOCAL),
        )

    def by_code(self, code: str) -> "Category | None":
        """The matter or local entry with this code (retired ones included, for old tickets).

        A code is unique within a catalogue only: 01001 is both the component 供水井盖 and the
        matter 供水井盖异常. Reports, rules and the API mean the matter."""
        code = str(code or "").strip()
        if not code:
            return None
        return (
            self.filter(code=code)
            .exclude(catalogue=Category.Catalogue.COMPONENT)
            .select_related("parent")
            .first()
        )


class Category(models.Model):
    """A reportable problem: two levels, 大类 (2-digit code) and 小类 (5-digit code).

    National entries carry GB/T 47678.5's code and name exactly (catalogue component or matter);
    the grid-governance kinds the standard does not cover are local extensions in 大类 91–99,
    a range the standard does not use."""

    class Catalogue(models.TextChoices):
        COMPONENT = "component", _("管理部件")  # GB/T 47678.5 table A.1
        MATTER = "matter", _("管理事项")  # GB/T 47678.5 table C.1
        LOCAL = "local", _("本地扩展")  # ours: 民生诉求, 安全隐患, 矛盾纠纷

    NATIONAL_CATALOGUES = (Catalogue.COMPONENT, Catalogue.MATTER)

    class Kind(models.TextChoices):
        COMPONENT = "component", _("部件")
        EVENT = "event", _("事件")
        APPEAL = "appeal", _("民生诉求")
        HAZARD = "hazard", _("安全隐患")
        DISPUTE = "dispute", _("矛盾纠纷")

    class Level(models.TextChoices):
        GRID = "grid", _("网格")
        COMMUNITY = "community", _("社区")
        DEPARTMENT = "department", _("部门")

    catalogue = models.CharField(
        _("目录"), max_length=10, choices=Catalogue.choices, default=Catalogue.MATTER
    )
    edition = models.ForeignKey(
        CatalogueEdition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("目录版本"),
    )
    code = models.CharField(_("代码"), max_length=5)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("大类"),
    )
    kind = models.CharField(_("性质"), max_length=10, choices=Kind.choices)
    handling_level = models.CharField(
        _("处置层级"), max_length=10, choices=Level.choices, blank=True
    )
    sla_working_hours = models.PositiveIntegerField(_("办理时限 (工作小时)"), null=True, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    public = models.BooleanField(_("可公开"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # Everyday words residents use for it (路灯不亮, 井盖没了), separated by spaces or commas;
    # the picker's search matches them, their pinyin and the name's.
    synonyms = models.CharField(_("常用说法"), max_length=300, blank=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["catalogue", "code"]
        constraints = [
            # The standard's codes are unique within a kind only (component 01001 ≠ matter 01001).
            models.UniqueConstraint(
                fields=["catalogue", "code"], name="category_code_per_catalogue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_leaf(self) -> bool:
        return self.parent_id is not None

    @property
    def is_local(self) -> bool:
        return self.catalogue == self.Catalogue.LOCAL


class Status(models.TextChoices):
    """Ticket states (DESIGN §3). Named groups below are what code uses, not repeated tuples."""

    SUBMITTED = "submitted", _("已上报")  # saved with photos and a grid; waiting for routing
    DISPATCHED = "dispatched", _("已派遣")  # tasks were created for one or more units
    PROCESSING = "processing", _("处置中")  # at least one unit accepted its task
    HANDLED = "handled", _("待核查")  # every task done; waiting for the on-site check
    CLOSED = "closed", _("已办结")  # checked on site with an after-photo
    REJECTED = "rejected", _("不予受理")  # not ours or not valid; reason required
    DUPLICATE = "duplicate", _("重复件")  # merged into an earlier open report
    SUSPENDED = "suspended", _("挂账")  # approved long-term work; out of the on-time count


OPEN_STATUSES = (Status.SUBMITTED, Status.DISPATCHED, Status.PROCESSING, Status.HANDLED)
FINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.DUPLICATE)
# The dispatcher may still route, reroute, recategorise, reject or merge the ticket.
ROUTABLE_STATUSES = (Status.SUBMITTED, Status.DISPATCHED, Status.PROCESSING)
# Units are at work: the ticket may be suspended (挂账) and its tasks are watched.
AT_WORK_STATUSES = (Status.DISPATCHED, Status.PROCESSING)
# The ticket has tasks and follows them (DESIGN §3): units may act on their tasks.
IN_HAND_STATUSES = (Status.DISPATCHED, Status.PROCESSING, Status.HANDLED)
# Ended without work: hidden from the public, no supervision.
DISCARDED_STATUSES = (Status.REJECTED, Status.DUPLICATE)
# Counted in 受理量 (accepted volume): everything except rejected reports and duplicates.
ACCEPTED_STATUSES = (*OPEN_STATUSES, Status.CLOSED, Status.SUSPENDED)


class Channel(models.TextChoices):
    WEB = "web", _("网页")
    PATROL = "patrol", _("网格员巡查")
    HOTLINE = "hotline", _("12345热线")
    MINI_PROGRAM = "mini_program", _("小程序")
    CITY_MANAGEMENT = "city_management", _("城市管理系统")
    EMERGENCY = "emergency", _("应急感知")
    THIRD_PARTY = "third_party", _("第三方应用")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def _tracking_token() -> str:
    return uuid.uuid4().hex


class ApiKey(models.Model):
    """A key issued to a named client (hotline system, mini-program, sensors, third-party apps).

    Only a hash of the key is stored; the key itself is shown once, when it is issued.
    """

    name = models.CharField(_("客户端名称"), max_length=100)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    prefix = models.CharField(_("前缀"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate = models.CharField(_("频率限制"), max_length=20, default="120/m")
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Report(models.Model):
    """A ticket: one reported problem, from submission to closure."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    channel = models.CharField(
        _("渠道"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("类别")
    )
    category_unsure = models.BooleanField(_("类别不确定"), default=False)
    description = models.TextField(_("描述"), max_length=1000, blank=True)

    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # The grid decides community and sub-district; they are copied here, because figures group by
    # them over millions of rows and must not join through the grid each time.
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="reports", verbose_name=_("网格")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    # Set at submission when the point lies in a compound's outline (grids.compounds).
    compound = models.ForeignKey(
        Compound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("小区"),
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("上报人"),
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    hide_identity = models.BooleanField(_("隐藏身份"), default=False)
    tracking_token = models.CharField(
        max_length=32, unique=True, default=_tracking_token, editable=False
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    external_id = models.CharField(_("外部事件编号"), max_length=100, blank=True)
    api_key = models.ForeignKey(
        ApiKey,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("接口密钥"),
    )

    supporter_count = models.PositiveIntegerField(_("附议人数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("合并到"),
    )

    # Milestones, each set once by the action that reaches it; exports and figures read them.
    submitted_at = models.DateTimeField(_("上报时间"), default=timezone.now, db_index=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("首次签收时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("办理时限"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超期时间"), null=True, blank=True)
    # The check step (待核查): a handled ticket must be checked on site within CHECK_LIMIT_HOURS;
    # the watch reminds at 75% and supervises at the limit, each claimed once (dispatch.actions).
    check_remind_due_at = models.DateTimeField(_("核查催办时间"), null=True, blank=True)
    check_due_at = models.DateTimeField(_("核查时限"), null=True, blank=True)
    check_reminded_at = models.DateTimeField(_("已催核查"), null=True, blank=True)
    check_overdue_at = models.DateTimeField(_("核查超期"), null=True, blank=True)
    # The highest level that worked on it (grid, community, department): 网格内/社区内解决率.
    handled_level = models.CharField(
        _("处置层级"), max_length=10, choices=Category.Level.choices, blank=True
    )
    dispute_settled = models.BooleanField(_("化解成功"), null=True, blank=True)
    reopened_count = models.PositiveIntegerField(_("返工次数"), default=0)

    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("上报事项")
        verbose_name_plural = _("上报事项")
        ordering = ["-submitted_at"]
        constraints = [
            # A machine source that repeats an event updates one ticket (issue: channel intake).
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_report_per_external_event",
            )
        ]
        indexes = [
            # The sweep and the queues look for reports by state and age.
            models.Index(fields=["status", "submitted_at"], name="report_status_age"),
            # "Same category within 250 m in the last 30 days": category, then a lon/lat box.
            models.Index(fields=["category", "lon", "lat"], name="report_category_lonlat"),
            # The check watch scans handled tickets by their check due times.
            models.Index(fields=["status", "check_due_at"], name="report_check_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TicketSequence(models.Model):
    """The last ticket number handed out on a day (Asia/Shanghai). Taken under a row lock."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Supporter(models.Model):
    """A resident who said "me too" on an existing report: they follow it and count as a supporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    contact_phone = models.CharField(max_length=11, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=models.Q(user__isnull=False),
                name="one_support_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} +1"


class Event(models.Model):
    """One change of a ticket or one of its tasks: the timeline and the audit trail.

    Written in the same transaction as the change; never edited or deleted.
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("类型"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the public timeline shows as "who": a unit's or role's name, never a person's.
    actor_label = models.CharField(max_length=100, blank=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    # Task id, unit codes, rule id and the like: what the kind needs, nothing personal.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


def photo_path(instance: "Photo", filename: str) -> str:
    return f"reports/{timezone.now():%Y/%m/%d}/{instance.sha256}.{filename.rsplit('.', 1)[-1]}"


class Photo(models.Model):
    """A stored photo: re-encoded without any EXIF, oriented, with a thumbnail made after commit."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("上报照片")
        PROGRESS = "progress", _("处置过程")
        AFTER = "after", _("处置后照片")
        CHECK = "check", _("核查照片")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BEFORE)
    image = models.ImageField(upload_to=photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to="thumbs/%Y/%m/%d/", blank=True)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Identical photos in one report are stored once.
            models.UniqueConstraint(fields=["report", "sha256"], name="one_copy_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.sha256[:8]}"
