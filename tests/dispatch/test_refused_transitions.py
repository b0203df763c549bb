"""Every transition the state machine forbids is refused with a readable Chinese message, and
changes nothing: the ticket's state, its tasks and its timeline stay as they were."""

import pytest

from dispatch.actions.closure import check_and_close, reopen_after_unsatisfied, send_back
from dispatch.actions.extensions import request_extension
from dispatch.actions.routing import reroute, route_manually, route_report
from dispatch.actions.suspension import resume_report, suspend_report
from dispatch.actions.triage import merge_duplicate, reject_report
from dispatch.actions.unit_work import (
    accept_task,
    add_progress_note,
    escalate_task,
    finish_task,
    return_task,
)
from dispatch.errors import SubmissionError, TransitionRefused
from reports.models import Event

pytestmark = pytest.mark.django_db


def snapshot(report):
    report.refresh_from_db()
    return (
        report.status,
        sorted(report.tasks.values_list("id", "status")),
        Event.objects.filter(report=report).count(),
    )


@pytest.fixture
def closed_ticket(pole, worker_a, photo):
    report, tasks, people = pole
    for code, task in tasks.items():
        accept_task(task=task, actor=people[code])
        finish_task(task=task, actor=people[code], note="完成", photo=photo())
    check_and_close(report=report, actor=worker_a, photo=photo())
    return report, tasks, people


REFUSED_ON_OPEN_TICKET = {
    "progress on a task not accepted yet": lambda r, t, p, d, u, ph: add_progress_note(
        task=t["CG"], actor=p["CG"], note="进展"
    ),
    "routing by hand to a unit already working on it": lambda r, t, p, d, u, ph: route_manually(
        report=r, actor=d, lead_unit=u["CG"]
    ),
    "resuming a ticket that is not suspended": lambda r, t, p, d, u, ph: resume_report(
        report=r, actor=d
    ),
    "sending back a ticket that is not handled": lambda r, t, p, d, u, ph: send_back(
        report=r, actor=d, reason="未完成"
    ),
    "reopening a ticket that is not closed": lambda r, t, p, d, u, ph: reopen_after_unsatisfied(
        report=r, actor=d
    ),
}


@pytest.mark.parametrize("case", REFUSED_ON_OPEN_TICKET)
def test_refused_on_an_open_ticket(case, pole, dispatcher, units, photo):
    report, tasks, people = pole
    before = snapshot(report)
    with pytest.raises(TransitionRefused) as refused:
        REFUSED_ON_OPEN_TICKET[case](report, tasks, people, dispatcher, units, photo)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value.message))
    assert snapshot(report) == before


REFUSED_ON_CLOSED_TICKET = {
    "accepting": lambda r, t, p, d, u, ph: accept_task(task=t["CG"], actor=p["CG"]),
    "finishing again": lambda r, t, p, d, u, ph: finish_task(
        task=t["CG"], actor=p["CG"], note="再次", photo=ph()
    ),
    "returning": lambda r, t, p, d, u, ph: return_task(task=t["CG"], actor=p["CG"], reason="错派"),
    "asking for more time": lambda r, t, p, d, u, ph: request_extension(
        task=t["CG"], actor=p["CG"], hours=8, reason="延期"
    ),
    "routing by hand": lambda r, t, p, d, u, ph: route_manually(
        report=r, actor=d, lead_unit=u["JT"]
    ),
    "re-routing": lambda r, t, p, d, u, ph: reroute(
        report=r, actor=d, lead_unit=u["JT"], reason="改派"
    ),
    "rejecting": lambda r, t, p, d, u, ph: reject_report(report=r, actor=d, reason="x"),
    "suspending": lambda r, t, p, d, u, ph: suspend_report(report=r, actor=d, reason="x"),
    "closing again": lambda r, t, p, d, u, ph: check_and_close(report=r, actor=d, photo=ph()),
    "merging it as a duplicate": lambda r, t, p, d, u, ph: merge_duplicate(
        report=r, into=r, actor=d
    ),
}


@pytest.mark.parametrize("case", REFUSED_ON_CLOSED_TICKET)
def test_refused_on_a_closed_ticket(case, closed_ticket, dispatcher, units, photo):
    report, tasks, people = closed_ticket
    before = snapshot(report)
    with pytest.raises((TransitionRefused, SubmissionError)):
        REFUSED_ON_CLOSED_TICKET[case](report, tasks, people, dispatcher, units, photo)
    assert snapshot(report) == before


def test_escalating_a_finished_grid_task_is_refused(submit, worker_a, photo):
    report = submit("06010")
    (task,) = route_report(report_id=report.id)
    accept_task(task=task, actor=worker_a)
    finish_task(task=task, actor=worker_a, note="已清理", photo=photo())
    before = snapshot(report)
    with pytest.raises(TransitionRefused):
        escalate_task(task=task, actor=worker_a, reason="需要上报")
    assert snapshot(report) == before
