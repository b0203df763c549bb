"""A grid's weekly plan (who has done this week's visits and patrols) and its volunteers list:
for the grid's workers and its community's staff; the plan is set by the community's staff."""

import pytest
from django.urls import reverse

from gridwork.models import PatrolPlan

pytestmark = pytest.mark.django_db


def test_community_staff_set_a_plan_and_the_worker_sees_who_has_done_this_week(
    login, community_staff, worker_a, volunteer, grid_a, record
):
    response = login(community_staff).post(
        reverse("gridwork:plan_set", args=[grid_a.id]),
        {"visits_per_week": 3, "patrols_per_week": 1},
    )
    assert response.status_code == 302
    plan = PatrolPlan.objects.get(grid=grid_a)
    assert (plan.visits_per_week, plan.patrols_per_week, plan.updated_by) == (
        3,
        1,
        community_staff,
    )
    record(volunteer)
    record(volunteer)
    record(worker_a, kind="patrol")
    page = login(worker_a).get(reverse("gridwork:home")).content.decode()
    assert "走访 2/3" in page and "巡查 1/1" in page
    assert "志愿者甲 2+0" in page and "网格员A 0+1" in page


def test_a_plan_is_refused_to_a_plain_worker_and_bad_numbers_change_nothing(
    login, community_staff, worker_a, worker_b, grid_a
):
    url = reverse("gridwork:plan_set", args=[grid_a.id])
    data = {"visits_per_week": 3, "patrols_per_week": 1}
    assert login(worker_a).post(url, data).status_code == 403
    assert login(worker_b).post(url, data).status_code == 404
    response = login(community_staff).post(url, {"visits_per_week": -1, "patrols_per_week": 1})
    assert response.status_code == 400 and "每周入户走访" in response.content.decode()
    assert not PatrolPlan.objects.exists()


def test_the_volunteers_list_masks_phones_and_stays_in_the_grid(
    login, worker_a, worker_b, volunteer, community_staff, record
):
    record(volunteer, minutes=90)
    page = login(worker_a).get(reverse("gridwork:people")).content.decode()
    assert "志愿者甲" in page and "139****0051" in page and "13900000051" not in page
    assert "1.5" in page
    assert "志愿者甲" in login(community_staff).get(reverse("gridwork:people")).content.decode()
    assert "志愿者甲" not in login(worker_b).get(reverse("gridwork:people")).content.decode()
    assert login(volunteer).get(reverse("gridwork:people")).status_code == 403
