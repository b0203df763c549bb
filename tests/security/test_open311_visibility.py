"""Open311 lists exactly what /public/ shows: rejected reports and duplicates stay hidden."""

from django.utils import timezone

from reports import actions
from reports.models import Event, Report, Status
from tests.reports.conftest import jpeg_bytes

ABUSIVE = "骂人的话 联系我 13912345678"


def file(category, point, n):
    return actions.submit_report(
        category=category.code,
        lon=point[0],
        lat=point[1],
        photos=[jpeg_bytes(color=(n, 40, 40))],
        description=ABUSIVE if n == 1 else "路灯不亮",
    )


def test_rejected_and_duplicate_reports_are_not_published_by_open311(
    client, streetlight, point_a, private_category
):
    shown = file(streetlight, point_a, 0)
    rejected = file(streetlight, point_a, 1)
    duplicate = file(streetlight, point_a, 2)
    file(private_category, point_a, 3)
    Report.objects.filter(id=rejected.id).update(status=Status.REJECTED, closed_at=timezone.now())
    Report.objects.filter(id=duplicate.id).update(status=Status.DUPLICATE)
    Event.objects.create(
        report=rejected, kind="rejected", to_status=Status.REJECTED, note=ABUSIVE, public=True
    )

    listed = {d["service_request_id"] for d in client.get("/open311/v2/requests.json").json()}
    assert listed == {shown.number}
    public_page = client.get("/public/").content.decode()
    assert shown.number in public_page
    for hidden in (rejected, duplicate):
        assert hidden.number not in public_page
        response = client.get(f"/open311/v2/requests/{hidden.number}.json")
        assert response.status_code == 404
        by_id = client.get(f"/open311/v2/requests.json?service_request_id={hidden.number}")
        assert by_id.json() == []
    assert "13912345678" not in client.get("/open311/v2/requests.xml").content.decode()
