"""Party organisations and members, managed by the community's staff: an organisation for a
compound, a volunteer joining it as 调解员; nobody else manages or sees them; bad input changes
nothing."""

import pytest
from django.urls import reverse

from gridwork.models import PartyOrganisation, Volunteer

pytestmark = pytest.mark.django_db


def test_community_staff_add_a_branch_and_a_member_who_serves_as_mediator(
    login, community_staff, volunteer, grid_a, compound_a
):
    client = login(community_staff)
    response = client.post(
        reverse("gridwork:party_org_add"),
        {
            "community": grid_a.community_id,
            "name": "阳光苑党支部",
            "kind": "branch",
            "compound": compound_a.id,
        },
    )
    assert response.status_code == 302
    branch = PartyOrganisation.objects.get(name="阳光苑党支部")
    assert (branch.community, branch.compound) == (grid_a.community, compound_a)
    volunteer_row = Volunteer.objects.get(user=volunteer)
    response = client.post(
        reverse("gridwork:party_member"),
        {"volunteer": volunteer_row.id, "organisation": branch.id, "serves_as": "mediator"},
    )
    assert response.status_code == 302
    volunteer_row.refresh_from_db()
    assert volunteer_row.party_member and volunteer_row.party_organisation == branch
    assert volunteer_row.serves_as == "mediator"
    page = client.get(reverse("gridwork:party")).content.decode()
    assert "阳光苑党支部" in page and "志愿者甲" in page and "139****0051" in page
    assert "13900000051" not in page


def test_a_duplicate_name_or_a_missing_one_is_refused_and_nothing_changes(
    login, community_staff, grid_a
):
    client = login(community_staff)
    url = reverse("gridwork:party_org_add")
    data = {"community": grid_a.community_id, "name": "民安社区党委", "kind": "committee"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400 and "同名党组织" in response.content.decode()
    response = client.post(url, {**data, "name": " "})
    assert response.status_code == 400
    assert PartyOrganisation.objects.count() == 1


def test_only_the_communitys_staff_manage_party_organisations(
    login, worker_a, volunteer, resident, community_staff, grid_a
):
    PartyOrganisation.objects.create(name="民安社区党委", community=grid_a.community)
    for person in (worker_a, volunteer, resident):
        client = login(person)
        assert client.get(reverse("gridwork:party")).status_code == 403
        response = client.post(
            reverse("gridwork:party_org_add"),
            {"community": grid_a.community_id, "name": "别的支部", "kind": "branch"},
        )
        assert response.status_code == 403
    assert PartyOrganisation.objects.count() == 1
