"""Who may act and what text is acceptable: the checks every dispatch action makes first."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import membership
from dispatch.errors import NotPermitted, SubmissionError
from dispatch.events import label
from dispatch.models import (
    Unit,
)
from reports.models import Category, Report

MAX_TEXT = 1000
MAX_EXTENSION_HOURS = 720


DISPATCHER = "指挥中心"


SYSTEM = "系统"


GRID_WORKER = "网格员"


def clean_text(text: str | None, *, field: str, required: bool, message) -> str:
    text = (text or "").strip()
    if required and not text:
        raise SubmissionError(message, field=field, code="required")
    if len(text) > MAX_TEXT:
        raise SubmissionError(
            gettext_lazy("内容不能超过 1000 个字。"), field=field, code="too_long"
        )
    return text


def require_dispatcher(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_dispatcher):
        raise NotPermitted(gettext_lazy("只有指挥中心调度员可以进行此操作。"))


def require_member(actor: User, unit: Unit) -> None:
    if not membership.is_member(actor, unit):
        raise NotPermitted(gettext_lazy("您不是该任务承办单位的人员。"))


def require_checker(actor: User, report: Report) -> dict:
    """A worker of the ticket's grid, or a dispatcher, checks the site, and never the person who
    did the grid-level work (separation of duties), unless they are their grid's only worker and
    CHECK_SELF_IN_ONE_WORKER_GRID allows it. Returns what the check's event records about it."""
    if actor.is_authenticated and actor.is_active and actor.is_dispatcher:
        return {}
    if not membership.serves_grid(actor, report.grid_id):
        raise NotPermitted(gettext_lazy("只有本网格的网格员或指挥中心可以核查此事项。"))
    did_the_work = report.tasks.filter(
        Q(accepted_by=actor) | Q(done_by=actor), level=Category.Level.GRID
    ).exists()
    if not did_the_work:
        return {}
    alone = membership.grid_worker_count(report.grid_id) == 1
    if alone and settings.CHECK_SELF_IN_ONE_WORKER_GRID:
        return {"self_checked": True}
    raise NotPermitted(
        gettext_lazy("处置人不能核查自己办理的事项，请由本网格其他网格员或指挥中心核查。")
    )


def checker_label(actor: User) -> str:
    return label(DISPATCHER) if actor.is_dispatcher else label(GRID_WORKER)


OFFICIAL = "领导"
