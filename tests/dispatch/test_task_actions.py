"""Units work their tasks: accept, progress, finish, return, extensions, escalation.
The ticket's state follows its tasks; every refused transition changes nothing."""

import pytest

from dispatch.actions.extensions import approve_extension, refuse_extension, request_extension
from dispatch.actions.routing import route_manually, route_report
from dispatch.actions.unit_work import (
    accept_task,
    add_progress_note,
    escalate_task,
    finish_task,
    return_task,
)
from dispatch.errors import NotPermitted, SubmissionError, TransitionRefused
from dispatch.models import DispatchQueueEntry, Extension, Task
from reports.models import Category, Event, Photo, Status

pytestmark = pytest.mark.django_db


def finish(task, person, photo):
    accept_task(task=task, actor=person)
    return finish_task(task=task, actor=person, note="已处理", photo=photo())


def test_first_acceptance_moves_the_ticket_to_processing(pole, resident):
    report, tasks, people = pole
    accept_task(task=tasks["DL"], actor=people["DL"])
    report.refresh_from_db()
    assert report.status == Status.PROCESSING
    assert report.accepted_at is not None
    event = Event.objects.get(report=report, kind="task_accepted")
    assert (event.from_status, event.to_status, event.actor_label) == (
        "dispatched",
        "processing",
        "国网义马市供电公司",
    )
    assert resident.notifications.filter(kind="report_changed").exists()


def test_ticket_is_handled_only_when_all_six_tasks_are_done(pole, photo):
    report, tasks, people = pole
    for code in ("CG", "ZJ", "DL", "YD", "LT"):
        finish(tasks[code], people[code], photo)
    report.refresh_from_db()
    assert report.status == Status.PROCESSING
    finish(tasks["DX"], people["DX"], photo)
    report.refresh_from_db()
    assert report.status == Status.HANDLED and report.handled_at is not None
    assert Photo.objects.filter(report=report, kind=Photo.Kind.AFTER).count() == 6


def test_staff_of_another_unit_cannot_accept_the_task(pole, staff_of):
    report, tasks, people = pole
    with pytest.raises(NotPermitted):
        accept_task(task=tasks["CG"], actor=people["DL"])
    with pytest.raises(NotPermitted):
        accept_task(task=tasks["CG"], actor=staff_of("JT"))
    tasks["CG"].refresh_from_db()
    assert tasks["CG"].status == Task.Status.PENDING


def test_dispatcher_cannot_accept_a_units_task(pole, dispatcher):
    _, tasks, _ = pole
    with pytest.raises(NotPermitted):
        accept_task(task=tasks["CG"], actor=dispatcher)


def test_accepting_twice_is_refused(pole):
    report, tasks, people = pole
    accept_task(task=tasks["CG"], actor=people["CG"])
    with pytest.raises(TransitionRefused):
        accept_task(task=tasks["CG"], actor=people["CG"])
    assert Event.objects.filter(report=report, kind="task_accepted").count() == 1


def test_finishing_a_task_not_yet_accepted_is_refused_and_stores_no_photo(pole, photo):
    report, tasks, people = pole
    with pytest.raises(TransitionRefused):
        finish_task(task=tasks["CG"], actor=people["CG"], note="好了", photo=photo())
    assert not Photo.objects.filter(report=report).exists()


def test_finishing_needs_an_after_photo_and_a_note(pole):
    _, tasks, people = pole
    accept_task(task=tasks["CG"], actor=people["CG"])
    with pytest.raises(SubmissionError):
        finish_task(task=tasks["CG"], actor=people["CG"], note="好了", photo=None)
    with pytest.raises(SubmissionError):
        finish_task(task=tasks["CG"], actor=people["CG"], note=" ", photo=b"x")


def test_broken_after_photo_is_refused_and_nothing_changes(pole):
    report, tasks, people = pole
    accept_task(task=tasks["CG"], actor=people["CG"])
    with pytest.raises(SubmissionError):
        finish_task(task=tasks["CG"], actor=people["CG"], note="好了", photo=b"not a jpeg")
    tasks["CG"].refresh_from_db()
    assert tasks["CG"].status == Task.Status.ACCEPTED
    assert not Event.objects.filter(report=report, kind="task_done").exists()


def test_progress_note_with_photos_goes_on_the_timeline(pole, photo):
    report, tasks, people = pole
    accept_task(task=tasks["CG"], actor=people["CG"])
    add_progress_note(
        task=tasks["CG"], actor=people["CG"], note="已设置警示带", photos=[photo(), photo()]
    )
    event = Event.objects.get(report=report, kind="task_progress")
    assert event.note == "已设置警示带"
    assert event.photos.filter(kind=Photo.Kind.PROGRESS).count() == 2


def test_returning_a_task_needs_a_reason_and_puts_the_ticket_in_the_queue(pole, dispatcher):
    report, tasks, people = pole
    with pytest.raises(SubmissionError):
        return_task(task=tasks["YD"], actor=people["YD"], reason="")
    return_task(task=tasks["YD"], actor=people["YD"], reason="该杆无移动线缆")
    tasks["YD"].refresh_from_db()
    assert tasks["YD"].status == Task.Status.RETURNED
    assert DispatchQueueEntry.objects.get(report=report, resolved_at=None).reason == "returned"
    assert dispatcher.notifications.filter(kind="task_returned").exists()


def test_ticket_with_a_returned_task_is_not_handled_until_the_dispatcher_decides(
    pole, photo, dispatcher, units
):
    report, tasks, people = pole
    return_task(task=tasks["YD"], actor=people["YD"], reason="无移动线缆")
    for code in ("CG", "ZJ", "DL", "LT", "DX"):
        finish(tasks[code], people[code], photo)
    report.refresh_from_db()
    assert report.status == Status.PROCESSING

    route_manually(report=report, actor=dispatcher, lead_unit=units["SW"])
    report.refresh_from_db()
    assert report.tasks.filter(unit__code="SW", status=Task.Status.PENDING).exists()
    assert not DispatchQueueEntry.objects.filter(report=report, resolved_at=None).exists()


def test_when_every_unit_returns_the_ticket_goes_back_to_submitted(submit, staff_of):
    person = staff_of("CG")
    report = submit("01037")
    (task,) = route_report(report_id=report.id)
    return_task(task=task, actor=person, reason="不属于城管")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    # Waiting for the dispatcher: routing again (the sweep) must not send it back automatically.
    assert route_report(report_id=report.id) == []


def test_returning_a_finished_task_is_refused(pole, photo):
    _, tasks, people = pole
    finish(tasks["CG"], people["CG"], photo)
    with pytest.raises(TransitionRefused):
        return_task(task=tasks["CG"], actor=people["CG"], reason="错派")


def test_approved_extension_moves_the_deadline_by_working_hours(pole, dispatcher):
    report, tasks, people = pole
    task = tasks["DL"]
    old_deadline = task.deadline
    extension = request_extension(task=task, actor=people["DL"], hours=16, reason="需停电作业")
    with pytest.raises(TransitionRefused):
        request_extension(task=task, actor=people["DL"], hours=8, reason="再延")
    approve_extension(extension=extension, actor=dispatcher)
    task.refresh_from_db()
    assert task.extended_hours == 16
    assert task.deadline > old_deadline
    report.refresh_from_db()
    assert report.deadline == max(t.deadline for t in report.tasks.all())
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED
    assert people["DL"].notifications.filter(kind="extension_decided").exists()


def test_refused_extension_leaves_the_deadline(pole, dispatcher):
    _, tasks, people = pole
    task = tasks["DL"]
    extension = request_extension(task=task, actor=people["DL"], hours=8, reason="忙")
    refuse_extension(extension=extension, actor=dispatcher, note="请按期完成")
    task.refresh_from_db()
    assert task.extended_hours == 0
    with pytest.raises(TransitionRefused):
        approve_extension(extension=extension, actor=dispatcher)


def test_only_a_dispatcher_decides_extensions(pole):
    _, tasks, people = pole
    extension = request_extension(task=tasks["DL"], actor=people["DL"], hours=8, reason="x")
    with pytest.raises(NotPermitted):
        approve_extension(extension=extension, actor=people["DL"])


def test_extension_hours_must_be_sensible(pole):
    _, tasks, people = pole
    for hours in (0, -3, 10_000):
        with pytest.raises(SubmissionError):
            request_extension(task=tasks["DL"], actor=people["DL"], hours=hours, reason="x")


def test_grid_team_escalates_to_the_community_committee_then_to_the_departments(
    submit, worker_a, staff_of, grid_a
):
    committee_member = staff_of(f"C{grid_a.community.code}")
    report = submit("06010")  # grid level; rule: HW lead
    (grid_task,) = route_report(report_id=report.id)
    accept_task(task=grid_task, actor=worker_a)

    (community_task,) = escalate_task(task=grid_task, actor=worker_a, reason="需清运车辆")
    report.refresh_from_db()
    assert community_task.level == Category.Level.COMMUNITY
    assert community_task.parent_id == grid_task.id
    assert report.handled_level == Category.Level.COMMUNITY
    assert report.status == Status.DISPATCHED

    (department_task,) = escalate_task(task=community_task, actor=committee_member, reason="量大")
    report.refresh_from_db()
    assert department_task.unit.code == "HW"
    assert report.handled_level == Category.Level.DEPARTMENT
    assert Event.objects.filter(report=report, kind="task_escalated").count() == 2


def test_a_department_cannot_escalate(pole):
    _, tasks, people = pole
    with pytest.raises(TransitionRefused):
        escalate_task(task=tasks["CG"], actor=people["CG"], reason="太难")


def test_grid_worker_of_another_grid_cannot_escalate_grid_a_task(submit, worker_b):
    report = submit("06010")
    (task,) = route_report(report_id=report.id)
    with pytest.raises(NotPermitted):
        escalate_task(task=task, actor=worker_b, reason="x")
