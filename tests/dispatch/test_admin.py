"""Administrators edit units, memberships, rules and the calendar; tasks are read-only there."""

import pytest
from django.urls import reverse

from dispatch.models import CalendarDay, RoutingRule, Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["unit", "unitmembership", "routingrule", "calendarday", "task", "extension"]
)
def test_admin_lists_open_for_an_administrator(model, units, login, admin_user):
    response = login(admin_user).get(reverse(f"admin:dispatch_{model}_changelist"))
    assert response.status_code == 200


def test_administrator_edits_a_rule_and_adds_a_holiday(units, login, admin_user):
    api = login(admin_user)
    rule = RoutingRule.objects.get(category__code="01037", street=None, community=None, grid=None)
    response = api.post(
        reverse("admin:dispatch_routingrule_change", args=[rule.id]),
        {
            "category": rule.category_id,
            "lead_unit": Unit.objects.get(code="JT").id,
            "cooperating_units": [Unit.objects.get(code="DL").id],
            "deadline_hours": "12",
            "urgent": "unknown",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    rule.refresh_from_db()
    assert (rule.lead_unit.code, rule.deadline_hours) == ("JT", 12)
    response = api.post(
        reverse("admin:dispatch_calendarday_add"),
        {"date": "2025-03-10", "is_workday": "", "note": "临时停工"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date="2025-03-10").is_workday is False


def test_tasks_cannot_be_edited_in_the_admin(pole, login, admin_user):
    _, tasks, _ = pole
    response = login(admin_user).post(
        reverse("admin:dispatch_task_change", args=[tasks["CG"].id]), {"status": "done"}
    )
    assert response.status_code == 403


def test_unit_staff_cannot_open_the_admin(pole, login):
    _, _, people = pole
    response = login(people["CG"]).get(reverse("admin:dispatch_unit_changelist"))
    assert response.status_code == 302  # to the admin login
