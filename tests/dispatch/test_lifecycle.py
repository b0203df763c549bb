"""The transition table (dispatch.lifecycle) is what the actions obey: every ticket and task
transition is allowed from exactly the states the table lists and refused, with nothing written,
from every other state. The ticket page offers exactly the table's available actions."""

import pytest
from django.db import transaction
from django.urls import reverse

from dispatch import lifecycle
from dispatch.actions.closure import check_and_close, reopen_after_unsatisfied, send_back
from dispatch.actions.extensions import request_extension
from dispatch.actions.routing import reroute, route_manually
from dispatch.actions.supervision import add_supervision_remark
from dispatch.actions.suspension import request_suspension, resume_report, suspend_report
from dispatch.actions.triage import merge_duplicate, reject_report
from dispatch.actions.unit_work import (
    accept_task,
    add_progress_note,
    escalate_task,
    finish_task,
    return_task,
)
from dispatch.call_backs import record_call_back
from dispatch.category_actions import recategorise_report
from dispatch.errors import TransitionRefused
from dispatch.models import Task
from reports.models import Category, Event, Rating, Report, Status

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def outcome(report: Report, attempt, monkeypatch) -> str:
    """'refused' when the table's guard (lifecycle.refuse_unless) refused the action and
    nothing was written; 'passed' when the guard let it through (a later check, such as a unit
    already holding a task, may still refuse). Everything is rolled back."""
    refusals = []
    guard = lifecycle.refuse_unless

    def spy(*args, **kwargs):
        try:
            return guard(*args, **kwargs)
        except TransitionRefused:
            refusals.append(args[0].name)
            raise

    monkeypatch.setattr(lifecycle, "refuse_unless", spy)
    events = Event.objects.filter(report=report).count()
    try:
        with transaction.atomic():
            try:
                attempt()
            except Exception:  # noqa: BLE001 — refused or not, look at what the guard did
                pass
            raise Rollback
    except Rollback:
        pass
    monkeypatch.setattr(lifecycle, "refuse_unless", guard)
    if refusals:
        assert Event.objects.filter(report=report).count() == events
        return "refused"
    return "passed"


def put(report: Report, status: str, **fields) -> Report:
    Report.objects.filter(id=report.id).update(status=status, **fields)
    report.refresh_from_db()
    return report


@pytest.fixture
def world(pole, submit, dispatcher, worker_a, photo, units):
    report, tasks, people = pole
    other = submit("01030")
    category = Category.objects.filter(parent__isnull=False, is_active=True).exclude(
        id=report.category_id
    )
    category = category.exclude(catalogue=Category.Catalogue.COMPONENT).first()
    return report, tasks, people, other, category


TICKET_ATTEMPTS = {
    "route_manually": lambda w, d, c, p: route_manually(
        report=w[0], actor=d, lead_unit=w[1]["CG"].unit
    ),
    "reroute": lambda w, d, c, p: reroute(
        report=w[0], actor=d, lead_unit=w[1]["ZJ"].unit, reason="换单位"
    ),
    "recategorise": lambda w, d, c, p: recategorise_report(
        report=w[0], category=w[4], actor=d, reason="类别有误"
    ),
    "reject": lambda w, d, c, p: reject_report(report=w[0], actor=d, reason="不属实"),
    "merge": lambda w, d, c, p: merge_duplicate(report=w[3], into=w[0], actor=d),
    "suspend": lambda w, d, c, p: suspend_report(report=w[0], actor=d, reason="长期工程"),
    "resume": lambda w, d, c, p: resume_report(report=w[0], actor=d),
    "close": lambda w, d, c, p: check_and_close(report=w[0], actor=c, photo=p()),
    "send_back": lambda w, d, c, p: send_back(report=w[0], actor=c, reason="未修好"),
    "reopen": lambda w, d, c, p: reopen_after_unsatisfied(report=w[0], actor=d),
    "remark": lambda w, d, c, p: add_supervision_remark(report=w[0], actor=d, note="抓紧办理"),
    "call_back": lambda w, d, c, p: record_call_back(
        report=w[0], actor=d, reached=True, solved=True, satisfaction="satisfied"
    ),
}


def test_every_ticket_transition_in_the_table_is_driven_here():
    named = {t.name for t in lifecycle.TICKET_TRANSITIONS if t.who != lifecycle.SYSTEM}
    assert named == set(TICKET_ATTEMPTS)


@pytest.mark.parametrize("name", sorted(TICKET_ATTEMPTS))
def test_ticket_transition_allowed_from_exactly_its_states(
    name, world, dispatcher, worker_a, photo, monkeypatch
):
    transition = next(t for t in lifecycle.TICKET_TRANSITIONS if t.name == name)
    report = world[0]
    refused_from = set()
    for status in Status.values:
        # merge acts on the other ticket: it is the one whose state matters.
        subject = world[3] if name == "merge" else report
        if name == "merge":
            put(report, Status.DISPATCHED)
        put(subject, status, rating=Rating.UNSATISFIED)
        if (
            outcome(
                subject,
                lambda: TICKET_ATTEMPTS[name](world, dispatcher, worker_a, photo),
                monkeypatch,
            )
            == "refused"
        ):
            refused_from.add(status)
    assert refused_from == set(Status.values) - set(transition.sources), name


TASK_ATTEMPTS = {
    "accept": lambda t, a, p: accept_task(task=t, actor=a),
    "progress": lambda t, a, p: add_progress_note(task=t, actor=a, note="进行中"),
    "finish": lambda t, a, p: finish_task(task=t, actor=a, note="完成", photo=p()),
    "return": lambda t, a, p: return_task(task=t, actor=a, reason="不归我们管"),
    "escalate": lambda t, a, p: escalate_task(task=t, actor=a, reason="需要上级"),
    "extension": lambda t, a, p: request_extension(task=t, actor=a, hours=24, reason="材料未到"),
    "suspension": lambda t, a, p: request_suspension(task=t, actor=a, reason="长期工程"),
}


def test_every_task_transition_in_the_table_is_driven_here():
    assert {t.name for t in lifecycle.TASK_TRANSITIONS} == set(TASK_ATTEMPTS)


@pytest.mark.parametrize("name", sorted(TASK_ATTEMPTS))
def test_task_transition_allowed_from_exactly_its_states(name, pole, photo, monkeypatch):
    report, tasks, people = pole
    transition = next(t for t in lifecycle.TASK_TRANSITIONS if t.name == name)
    task = tasks["CG"]
    allowed = set()
    for ticket_status in Status.values:
        for task_status in Task.Status.values:
            put(report, ticket_status)
            Task.objects.filter(id=task.id).update(status=task_status)
            task.refresh_from_db()
            attempt = lambda: TASK_ATTEMPTS[name](task, people["CG"], photo)  # noqa: E731
            if outcome(report, attempt, monkeypatch) == "passed":
                allowed.add((ticket_status, task_status))
    expected = {(s, t) for s in transition.ticket_sources for t in transition.sources}
    assert allowed == expected, name


def test_the_ticket_page_offers_what_the_table_makes_available(pole, client, dispatcher):
    report, tasks, people = pole
    client.force_login(dispatcher)
    url = reverse("dispatch:ticket", args=[report.number])
    for status, offered, hidden in (
        (Status.DISPATCHED, ["merge-", "suspend-"], ["resume-", "reopen-"]),
        (Status.SUSPENDED, ["resume-"], ["suspend-", "merge-", "reopen-"]),
    ):
        put(report, status)
        available = lifecycle.available(report, dispatcher)
        assert ("suspend" in available) == (status == Status.DISPATCHED)
        assert ("resume" in available) == (status == Status.SUSPENDED)
        page = client.get(url).content.decode()
        for prefix in offered:
            assert f'name="{prefix}' in page, (status, prefix)
        for prefix in hidden:
            assert f'name="{prefix}' not in page, (status, prefix)


def test_the_api_answers_which_actions_the_caller_may_take_now(pole, client, dispatcher):
    report, tasks, people = pole
    url = reverse("api-ticket-dispatch", args=[report.number])
    client.force_login(dispatcher)
    body = client.get(url).json()
    assert body["available_actions"] == sorted(lifecycle.available(report, dispatcher))
    assert {"suspend", "reject", "merge", "reroute"} <= set(body["available_actions"])
    assert "resume" not in body["available_actions"]
    assert all(task["available_actions"] == [] for task in body["tasks"])  # not a unit member

    client.force_login(people["CG"])
    task_url = reverse("api-task", args=[tasks["CG"].id])
    assert client.get(task_url).json()["available_actions"] == sorted(
        ["accept", "return", "escalate", "extension", "suspension"]
    )
    client.post(
        reverse("api-task-accept", args=[tasks["CG"].id]), {}, content_type="application/json"
    )
    assert client.get(task_url).json()["available_actions"] == sorted(
        ["progress", "finish", "return", "escalate", "extension", "suspension"]
    )
