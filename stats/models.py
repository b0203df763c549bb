"""The precomputed store behind the figures (DESIGN §5).

TicketFact: one row per ticket with what the figures need, already derived (working hours, flags),
so a figure never recomputes working time or joins tasks. Rollup: sums of those facts per day and
per month for each area (city, 街道, 社区, 网格), channel and category; a figure for a period sums a
few dozen rollup rows instead of reading up to a million tickets. UnitRollup: the same for units'
tasks (the 红黑榜). All three are derived data: `stats.rollup` rebuilds any part from the tickets.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketFact(models.Model):
    """What the figures need from one ticket, derived from the Report and its tasks."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, primary_key=True, related_name="stats_fact"
    )
    day = models.DateField()  # submitted_at, Asia/Shanghai date: the cohort of most figures
    due_day = models.DateField(null=True)  # deadline, Asia/Shanghai date: 按期办结率's cohort
    street_id = models.BigIntegerField()
    community_id = models.BigIntegerField()
    grid_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=12)
    received = models.BooleanField()  # counted in 受理量 (not rejected, not a duplicate)
    closed = models.BooleanField()
    due = models.BooleanField()  # has a deadline and is not suspended (挂账)
    on_time = models.BooleanField()  # closed on or before the deadline
    rated = models.BooleanField()
    satisfied = models.BooleanField()  # 满意 or 基本满意
    dispute = models.BooleanField()  # a 矛盾纠纷 that was accepted
    settled = models.BooleanField()  # a dispute closed as 化解成功
    closed_in_grid = models.BooleanField()
    closed_in_community = models.BooleanField()  # handled at grid or community level
    reopened = models.BooleanField()
    duration_hours = models.FloatField(null=True)  # working hours submitted → closed
    response_hours = models.FloatField(null=True)  # working hours dispatched → first accepted
    tasks = models.PositiveIntegerField(default=0)
    returned_tasks = models.PositiveIntegerField(default=0)
    extended_tasks = models.PositiveIntegerField(default=0)
    check_due = models.BooleanField(default=False)  # its on-site check was due (or done)
    checked_on_time = models.BooleanField(default=False)  # checked within CHECK_LIMIT_HOURS
    solved = models.BooleanField(default=False)  # the resident said solved (rating or call-back)
    on_spot = models.BooleanField(default=False)  # patrol ticket closed on the spot (自行处置)
    responded_tasks = models.PositiveIntegerField(default=0)  # accepted in TASK_RESPONSE_HOURS
    synced_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Rollup refresh reads a day's tickets, and those due that day.
            models.Index(fields=["day"], name="fact_day"),
            models.Index(fields=["due_day"], name="fact_due_day"),
            # Community and grid figures sum their own facts directly (a few thousand a year).
            models.Index(fields=["community_id", "day"], name="fact_community_day"),
            models.Index(fields=["grid_id", "day"], name="fact_grid_day"),
            models.Index(fields=["community_id", "due_day"], name="fact_community_due"),
            models.Index(fields=["grid_id", "due_day"], name="fact_grid_due"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.day}"


class Rollup(models.Model):
    """Sums of TicketFact for one period (a day or a month), one area, channel and category.

    channel "" and category_id 0 mean "all". Cohort counts are attributed to the day the ticket was
    submitted; `due` and `on_time` to the day it was due. `hist` counts closed tickets by
    half-hour of working duration, so the median comes from a few rows too.
    """

    class Granularity(models.TextChoices):
        DAY = "d", _("日")
        MONTH = "m", _("月")

    class Level(models.TextChoices):
        CITY = "city", _("全市")
        STREET = "street", _("街道")
        COMMUNITY = "community", _("社区")
        GRID = "grid", _("网格")

    granularity = models.CharField(max_length=1, choices=Granularity.choices)
    start = models.DateField()
    level = models.CharField(max_length=10, choices=Level.choices)
    area_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=20, blank=True)
    category_id = models.BigIntegerField(default=0)

    received = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    due = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    disputes = models.IntegerField(default=0)
    settled = models.IntegerField(default=0)
    closed_in_grid = models.IntegerField(default=0)
    closed_in_community = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    duration_count = models.IntegerField(default=0)
    duration_sum = models.FloatField(default=0)
    response_count = models.IntegerField(default=0)
    response_sum = models.FloatField(default=0)
    tasks = models.IntegerField(default=0)
    returned_tasks = models.IntegerField(default=0)
    extended_tasks = models.IntegerField(default=0)
    check_due = models.IntegerField(default=0)
    checked_on_time = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    on_spot = models.IntegerField(default=0)
    responded_tasks = models.IntegerField(default=0)
    hist = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["granularity", "level", "area_id", "channel", "category_id", "start"],
                name="one_rollup_per_key",
            )
        ]
        # The unique constraint's index serves one key over a range of days or months. This one
        # serves "every category / channel of one area" (breakdowns) and "every area of a level"
        # (maps): equality on area and channel, then the period's months and days, category last.
        indexes = [
            models.Index(
                fields=["level", "area_id", "channel", "granularity", "start"], name="rollup_area"
            ),
            # The refresh deletes and rewrites whole days and months.
            models.Index(fields=["granularity", "start"], name="rollup_period"),
        ]

    def __str__(self) -> str:
        return f"{self.granularity} {self.start} {self.level}:{self.area_id}"


class UnitRollup(models.Model):
    """Units' tasks due in a period (by the task's deadline date), per 街道 (0 = whole city)."""

    granularity = models.CharField(max_length=1, choices=Rollup.Granularity.choices)
    start = models.DateField()
    unit_id = models.BigIntegerField()
    street_id = models.BigIntegerField(default=0)
    due = models.IntegerField(default=0)  # tasks whose deadline falls in the period
    on_time = models.IntegerField(default=0)  # of those, done on or before the deadline
    returned = models.IntegerField(default=0)
    extended = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["granularity", "street_id", "start", "unit_id"],
                name="one_unit_rollup_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.granularity} {self.start} unit {self.unit_id}"


class RefreshState(models.Model):
    """How far the incremental refresh has read Report.updated_at (a single row)."""

    name = models.CharField(max_length=40, unique=True)
    watermark = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.watermark}"
