"""The dispatcher and the on-site check: manual routing, re-routing, duplicates, rejection,
挂账, closing with a photo, 返工. Every refused transition leaves the ticket as it was."""

import pytest

from dispatch.actions.closure import check_and_close, reopen_after_unsatisfied, send_back
from dispatch.actions.routing import reroute, route_manually, route_report
from dispatch.actions.suspension import resume_report, suspend_report
from dispatch.actions.triage import merge_duplicate, reject_report
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.errors import NotPermitted, SubmissionError, TransitionRefused
from dispatch.models import DispatchQueueEntry, Task
from reports import actions as report_actions
from reports.models import Event, Photo, Rating, Status

pytestmark = pytest.mark.django_db


def work_through(report, tasks, people, photo):
    for code, task in tasks.items():
        accept_task(task=task, actor=people[code])
        finish_task(task=task, actor=people[code], note="完成", photo=photo())
    report.refresh_from_db()
    assert report.status == Status.HANDLED


def test_dispatcher_routes_a_queued_report_by_hand(submit, dispatcher, units):
    report = submit("01030", category_unsure=True)
    route_report(report_id=report.id)

    tasks = route_manually(
        report=report, actor=dispatcher, lead_unit=units["DL"], cooperating_units=[units["YD"]]
    )

    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert {(t.unit.code, t.role) for t in tasks} == {("DL", "lead"), ("YD", "cooperating")}
    assert not DispatchQueueEntry.objects.filter(report=report, resolved_at=None).exists()
    event = Event.objects.filter(report=report, kind="dispatched").get()
    assert event.actor == dispatcher and event.data["automatic"] is False


def test_only_a_dispatcher_routes_by_hand(submit, worker_a, units):
    report = submit("01030", category_unsure=True)
    with pytest.raises(NotPermitted):
        route_manually(report=report, actor=worker_a, lead_unit=units["CG"])


def test_reroute_cancels_unfinished_tasks_and_dispatches_anew(pole, dispatcher, units):
    report, tasks, people = pole
    accept_task(task=tasks["CG"], actor=people["CG"])
    reroute(report=report, actor=dispatcher, lead_unit=units["JT"], reason="道路设施")
    statuses = dict(report.tasks.values_list("unit__code", "status"))
    assert statuses["CG"] == Task.Status.CANCELLED and statuses["JT"] == Task.Status.PENDING
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    with pytest.raises(SubmissionError):
        reroute(report=report, actor=dispatcher, lead_unit=units["CG"], reason="")


def test_duplicate_is_merged_into_the_earlier_report_and_its_reporter_follows_it(
    submit, dispatcher, other_resident
):
    original = submit("01030")
    route_report(report_id=original.id)
    duplicate = submit("01030", reporter=other_resident)
    route_report(report_id=duplicate.id)

    merge_duplicate(report=duplicate, into=original, actor=dispatcher)

    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE and duplicate.merged_into == original
    assert not duplicate.tasks.filter(status__in=["pending", "accepted", "done"]).exists()
    assert original.supporters.filter(user=other_resident).exists()
    assert original.supporter_count == 1
    assert Event.objects.filter(report=original, kind="duplicate_merged_in").exists()


def test_merging_into_a_later_or_closed_report_is_refused(submit, dispatcher):
    first = submit("01037")
    second = submit("01037")
    with pytest.raises(TransitionRefused):
        merge_duplicate(report=first, into=second, actor=dispatcher)
    reject_report(report=first, actor=dispatcher, reason="非本市辖区")
    with pytest.raises(TransitionRefused):
        merge_duplicate(report=second, into=first, actor=dispatcher)
    second.refresh_from_db()
    assert second.status == Status.SUBMITTED


def test_rejection_needs_a_reason_and_ends_the_tasks(pole, dispatcher, resident):
    report, _, _ = pole
    with pytest.raises(SubmissionError):
        reject_report(report=report, actor=dispatcher, reason="  ")
    reject_report(report=report, actor=dispatcher, reason="重复恶意上报")
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert set(report.tasks.values_list("status", flat=True)) == {Task.Status.CANCELLED}
    with pytest.raises(TransitionRefused):
        reject_report(report=report, actor=dispatcher, reason="再次")


def test_suspended_ticket_resumes_with_fresh_time_limits(pole, dispatcher):
    report, tasks, people = pole
    accept_task(task=tasks["CG"], actor=people["CG"])
    suspend_report(report=report, actor=dispatcher, reason="需结合道路改造")
    report.refresh_from_db()
    assert report.status == Status.SUSPENDED
    with pytest.raises(TransitionRefused):
        accept_task(task=tasks["ZJ"], actor=people["ZJ"])
    with pytest.raises(TransitionRefused):
        suspend_report(report=report, actor=dispatcher, reason="再挂")

    before = Task.objects.get(id=tasks["ZJ"].id).deadline
    resume_report(report=report, actor=dispatcher)
    report.refresh_from_db()
    assert report.status == Status.PROCESSING
    assert Task.objects.get(id=tasks["ZJ"].id).deadline > before
    with pytest.raises(TransitionRefused):
        resume_report(report=report, actor=dispatcher)


def test_grid_worker_closes_a_handled_ticket_with_a_photo(pole, worker_a, photo):
    report, tasks, people = pole
    work_through(report, tasks, people, photo)
    with pytest.raises(SubmissionError):
        check_and_close(report=report, actor=worker_a, photo=None)
    check_and_close(report=report, actor=worker_a, photo=photo(), note="现场已恢复")
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.closed_at is not None
    event = Event.objects.get(report=report, kind="closed")
    assert event.actor_label == "网格员" and event.photos.get().kind == Photo.Kind.CHECK


def test_worker_of_another_grid_cannot_close_the_ticket(pole, worker_b, photo):
    report, tasks, people = pole
    work_through(report, tasks, people, photo)
    with pytest.raises(NotPermitted):
        check_and_close(report=report, actor=worker_b, photo=photo())
    report.refresh_from_db()
    assert report.status == Status.HANDLED
    assert not Photo.objects.filter(report=report, kind=Photo.Kind.CHECK).exists()


def test_closing_before_every_task_is_done_is_refused(pole, worker_a, photo):
    report, _, _ = pole
    with pytest.raises(TransitionRefused):
        check_and_close(report=report, actor=worker_a, photo=photo())


def test_dispute_is_closed_with_its_settlement_recorded(submit, worker_a, photo):
    report = submit("93001")  # 邻里纠纷: grid level
    (task,) = route_report(report_id=report.id)
    accept_task(task=task, actor=worker_a)
    finish_task(task=task, actor=worker_a, note="双方和解", photo=photo())
    with pytest.raises(SubmissionError):
        check_and_close(report=report, actor=worker_a, photo=photo())
    check_and_close(report=report, actor=worker_a, photo=photo(), dispute_settled=True)
    report.refresh_from_db()
    assert report.dispute_settled is True


def test_send_back_reopens_the_tasks_and_counts_the_rework(pole, worker_a, photo):
    report, tasks, people = pole
    work_through(report, tasks, people, photo)
    with pytest.raises(SubmissionError):
        send_back(report=report, actor=worker_a, reason="")
    send_back(report=report, actor=worker_a, reason="警示带未拆除")
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.reopened_count == 1 and report.handled_at is None
    assert set(report.tasks.values_list("status", flat=True)) == {Task.Status.PENDING}
    with pytest.raises(TransitionRefused):
        send_back(report=report, actor=worker_a, reason="再次")


def test_dispatcher_reopens_a_ticket_rated_unsatisfied(pole, worker_a, photo, dispatcher, resident):
    report, tasks, people = pole
    work_through(report, tasks, people, photo)
    check_and_close(report=report, actor=worker_a, photo=photo())
    with pytest.raises(TransitionRefused):  # not rated yet
        reopen_after_unsatisfied(report=report, actor=dispatcher)
    report_actions.rate_report(
        report=report, actor=resident, rating=Rating.UNSATISFIED, comment="电线仍然下垂"
    )
    with pytest.raises(NotPermitted):
        reopen_after_unsatisfied(report=report, actor=worker_a)
    reopen_after_unsatisfied(report=report, actor=dispatcher)
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.reopened_count == 1 and report.closed_at is None
    assert Event.objects.filter(report=report, kind="reopened").count() == 1
