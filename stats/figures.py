"""The figures of DESIGN §5, defined once, from sums of ticket facts.

Every figure is for a period and a scope (city, 街道, 社区, 网格, optionally one channel). The
cohort of a figure is the tickets *submitted* in the period (Asia/Shanghai dates), except
按期办结率, whose cohort is the tickets *due* in the period. Rates are None when their
denominator is zero (shown as "—"), never a division by zero.
"""

from dataclasses import dataclass, field

# The additive measures a rollup row sums; names match Rollup's columns.
MEASURES = (
    "received",
    "closed",
    "due",
    "on_time",
    "rated",
    "satisfied",
    "disputes",
    "settled",
    "closed_in_grid",
    "closed_in_community",
    "reopened",
    "duration_count",
    "duration_sum",
    "response_count",
    "response_sum",
    "tasks",
    "returned_tasks",
    "extended_tasks",
    "check_due",
    "checked_on_time",
    "solved",
    "on_spot",
    "responded_tasks",
)

# Working durations are counted in half-hour buckets for the median.
HIST_STEP = 0.5


def hist_bucket(hours: float) -> str:
    return str(int(max(hours, 0.0) / HIST_STEP))


def median_from_hist(hist: dict[str, int]) -> float | None:
    """The median of the bucketed durations: the middle value, taken as its bucket's midpoint
    (exact to ±15 minutes of working time)."""
    total = sum(hist.values())
    if not total:
        return None
    buckets = sorted((int(k), v) for k, v in hist.items())

    def nth(n: int) -> float:  # 0-based rank
        seen = 0
        for bucket, count in buckets:
            seen += count
            if n < seen:
                return (bucket + 0.5) * HIST_STEP
        raise AssertionError("rank outside the histogram")

    if total % 2:
        return nth(total // 2)
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def exact_median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _rate(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class Figures:
    """Sums for one period and scope, and the figures they give."""

    received: int = 0
    closed: int = 0
    due: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    disputes: int = 0
    settled: int = 0
    closed_in_grid: int = 0
    closed_in_community: int = 0
    reopened: int = 0
    duration_count: int = 0
    duration_sum: float = 0.0
    response_count: int = 0
    response_sum: float = 0.0
    tasks: int = 0
    returned_tasks: int = 0
    extended_tasks: int = 0
    check_due: int = 0
    checked_on_time: int = 0
    solved: int = 0
    on_spot: int = 0
    responded_tasks: int = 0
    median_duration: float | None = None
    hist: dict = field(default_factory=dict, repr=False)

    def add(self, row) -> None:
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        for name in MEASURES:
            setattr(self, name, getattr(self, name) + (get(name) or 0))

    @property
    def closure_rate(self) -> float | None:
        """办结率: closed ÷ 受理量, over the tickets submitted in the period."""
        return _rate(self.closed, self.received)

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: tickets due in the period (deadline after approved extensions, suspended
        ones excluded) closed on or before their deadline ÷ tickets due in the period."""
        return _rate(self.on_time, self.due)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: (满意 + 基本满意) ÷ tickets with a verdict, over the tickets submitted in the
        period. A ticket's verdict is its reporter's rating of the latest round, or without one
        the latest call-back (回访) that reached the reporter (stats.facts.resident_verdict)."""
        return _rate(self.satisfied, self.rated)

    @property
    def resolution_rate(self) -> float | None:
        """解决率: tickets the resident judged solved ÷ tickets with a verdict (as 满意率). A
        call-back records "solved" directly; a rating of 满意 or 基本满意 counts as solved."""
        return _rate(self.solved, self.rated)

    @property
    def response_rate(self) -> float | None:
        """响应率: tasks accepted within TASK_RESPONSE_HOURS working hours of being assigned ÷
        tasks (cancelled ones left out), over the tickets submitted in the period."""
        return _rate(self.responded_tasks, self.tasks)

    @property
    def dispatch_accuracy(self) -> float | None:
        """准确派遣率: tasks not returned by their unit ÷ tasks (1 − 退单率)."""
        return _rate(self.tasks - self.returned_tasks, self.tasks)

    @property
    def overdue_rate(self) -> float | None:
        """超期率: tickets due in the period not closed by their deadline ÷ tickets due in the
        period (1 − 按期办结率; the same one clock per ticket)."""
        return _rate(self.due - self.on_time, self.due)

    @property
    def settlement_rate(self) -> float | None:
        """化解率: disputes (矛盾纠纷) closed as settled ÷ disputes accepted (受理). A ticket with a
        mediation case counts as settled only when the case's follow-up found the agreement held
        (stats.facts.dispute_settled); one without a case by its 化解成功 flag at closure."""
        return _rate(self.settled, self.disputes)

    @property
    def grid_resolution_rate(self) -> float | None:
        """网格内解决率: closed tickets handled only at grid level ÷ closed."""
        return _rate(self.closed_in_grid, self.closed)

    @property
    def community_resolution_rate(self) -> float | None:
        """社区内解决率: closed tickets handled at grid or community level ÷ closed."""
        return _rate(self.closed_in_community, self.closed)

    @property
    def mean_duration(self) -> float | None:
        """平均办理时长: mean working hours from submitted to closed, over the closed tickets."""
        return round(self.duration_sum / self.duration_count, 2) if self.duration_count else None

    @property
    def mean_response(self) -> float | None:
        """响应时长: mean working hours from dispatch to the first acceptance by a unit."""
        return round(self.response_sum / self.response_count, 2) if self.response_count else None

    @property
    def return_rate(self) -> float | None:
        """退单率: returned tasks ÷ tasks (the tasks of the tickets submitted in the period)."""
        return _rate(self.returned_tasks, self.tasks)

    @property
    def rework_rate(self) -> float | None:
        """返工率: tickets reopened at least once (返工) ÷ closed."""
        return _rate(self.reopened, self.closed)

    @property
    def extension_rate(self) -> float | None:
        """延期率: tasks given an approved extension ÷ tasks."""
        return _rate(self.extended_tasks, self.tasks)

    @property
    def check_rate(self) -> float | None:
        """核查及时率: tickets checked on site within their check limit (CHECK_LIMIT_HOURS working
        hours from becoming handled; the last round's limit after 返工) ÷ tickets whose check was
        due (closed, or still unchecked past the limit), over the tickets submitted in the period.
        """
        return _rate(self.checked_on_time, self.check_due)

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "closed": self.closed,
            "due": self.due,
            "on_time": self.on_time,
            "rated": self.rated,
            "satisfied": self.satisfied,
            "disputes": self.disputes,
            "settled": self.settled,
            "tasks": self.tasks,
            "returned_tasks": self.returned_tasks,
            "extended_tasks": self.extended_tasks,
            "reopened": self.reopened,
            "closure_rate": self.closure_rate,
            "on_time_rate": self.on_time_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "settlement_rate": self.settlement_rate,
            "grid_resolution_rate": self.grid_resolution_rate,
            "community_resolution_rate": self.community_resolution_rate,
            "mean_duration_hours": self.mean_duration,
            "median_duration_hours": self.median_duration,
            "mean_response_hours": self.mean_response,
            "return_rate": self.return_rate,
            "rework_rate": self.rework_rate,
            "extension_rate": self.extension_rate,
            "check_due": self.check_due,
            "checked_on_time": self.checked_on_time,
            "check_rate": self.check_rate,
            "solved": self.solved,
            "on_spot": self.on_spot,
            "responded_tasks": self.responded_tasks,
            "resolution_rate": self.resolution_rate,
            "response_rate": self.response_rate,
            "dispatch_accuracy": self.dispatch_accuracy,
            "overdue_rate": self.overdue_rate,
        }
