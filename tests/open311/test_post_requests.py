"""GeoReport v2 POST Service Request: api_key, location, attributes, media, errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import actions
from reports.models import Channel, Event, Photo, Report
from tests.open311.conftest import jpeg_bytes, parse_xml

pytestmark = pytest.mark.django_db


def post(client, fmt="json", **data):
    return client.post(f"/open311/v2/requests.{fmt}", data)


def form(key, point, **extra):
    data = {"api_key": key.raw, "service_code": "06013", "lat": point[1], "long": point[0]}
    data.update(extra)
    return data


def test_a_client_with_a_key_files_a_ticket_on_its_channel(client, third_party_key, road, point_a):
    response = post(
        client,
        **form(
            third_party_key,
            point_a,
            description="人行道塌了一个坑",
            address_string="千秋路 18 号",
            first_name="小明",
            last_name="王",
            phone="13800000000",
            email="wang@example.com",
            device_id="dev-1",
            account_id="acct-7",
            media_url="https://img.example.com/p/1.jpg",
        ),
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (created,) = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] == "acct-7"
    report = Report.objects.get(number=created["service_request_id"])
    assert report.channel == Channel.THIRD_PARTY
    assert report.api_key == third_party_key
    assert report.category == road
    assert report.description == "人行道塌了一个坑"
    assert report.address == "千秋路 18 号"
    assert (report.contact_name, report.contact_phone, report.contact_email) == (
        "王小明",
        "13800000000",
        "wang@example.com",
    )
    extra = report.events.get(kind="open311_received")
    assert extra.public is False
    assert extra.data["device_id"] == "dev-1"
    assert extra.data["media_url"] == "https://img.example.com/p/1.jpg"


def test_the_created_response_in_xml_is_a_service_requests_document(
    client, third_party_key, road, point_a
):
    response = post(client, "xml", **form(third_party_key, point_a))
    assert response.status_code == 200
    root = parse_xml(response)
    assert root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert Report.objects.filter(number=number).exists()
    assert root.find("request/account_id").text is None  # <account_id/>


def test_posting_without_an_api_key_is_403_and_files_nothing(client, road, point_a):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "06013", "lat": point_a[1], "long": point_a[0]},
    )
    assert response.status_code == 403
    (error,) = response.json()
    assert error["code"] == 403 and "api_key" in error["description"]
    assert not Report.objects.exists()


def test_an_unknown_api_key_is_403(client, road, point_a, third_party_key):
    third_party_key.raw = third_party_key.raw + "x"
    response = post(client, **form(third_party_key, point_a))
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_revoked_key_is_403_in_both_formats(client, third_party_key, road, point_a):
    actions.revoke_api_key(api_key=third_party_key, actor=None)
    response = post(client, **form(third_party_key, point_a))
    assert response.status_code == 403
    assert "吊销" in response.json()[0]["description"]
    xml = post(client, "xml", **form(third_party_key, point_a))
    assert xml.status_code == 403
    assert parse_xml(xml).findtext("error/code") == "403"
    assert not Report.objects.exists()


def test_a_key_over_its_rate_gets_429(client, road, point_a):
    key, raw = actions.issue_api_key(name="慢客户端", channel="third_party", rate="2/m", actor=None)
    key.raw = raw
    assert post(client, **form(key, point_a)).status_code == 200
    assert post(client, **form(key, point_a)).status_code == 200
    response = post(client, **form(key, point_a))
    assert response.status_code == 429
    (error,) = response.json()
    assert error["code"] == 429
    assert Report.objects.count() == 2


def test_service_code_missing_is_400(client, third_party_key, road, point_a):
    data = form(third_party_key, point_a)
    del data["service_code"]
    response = post(client, **data)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("service_code")


@pytest.mark.parametrize("code", ["99999", "01057"])
def test_unknown_or_private_service_code_is_404(client, third_party_key, gas, point_a, code):
    response = post(client, **form(third_party_key, point_a, service_code=code))
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_an_address_without_coordinates_is_refused_because_we_cannot_geocode(
    client, third_party_key, road
):
    response = post(
        client,
        api_key=third_party_key.raw,
        service_code="06013",
        address_string="义马市千秋路 18 号",
    )
    assert response.status_code == 400
    (error,) = response.json()
    assert "地理编码" in error["description"] and "lat" in error["description"]
    assert not Report.objects.exists()


def test_lat_without_long_is_400(client, third_party_key, road, point_a):
    response = post(client, api_key=third_party_key.raw, service_code="06013", lat=point_a[1])
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_point_outside_yima_is_400(client, third_party_key, road):
    response = post(client, **form(third_party_key, (116.40, 39.90)))
    assert response.status_code == 400
    assert "义马" in response.json()[0]["description"]
    assert not Report.objects.exists()


def test_several_errors_are_returned_together(client, third_party_key, road, point_a):
    response = post(client, **form(third_party_key, point_a, phone="123", email="not-an-email"))
    assert response.status_code == 400
    fields = sorted(e["description"].split(":")[0] for e in response.json())
    assert fields == ["email", "phone"]


def test_a_required_attribute_must_be_answered(client, third_party_key, streetlight, point_a):
    response = post(client, **form(third_party_key, point_a, service_code="01037"))
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("attribute[lamp_state]")
    assert not Report.objects.exists()


def test_an_attribute_value_outside_the_list_is_400(client, third_party_key, streetlight, point_a):
    data = form(third_party_key, point_a, service_code="01037", **{"attribute[lamp_state]": "x"})
    response = post(client, **data)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_an_attribute_the_service_does_not_define_is_400(client, third_party_key, road, point_a):
    response = post(client, **form(third_party_key, point_a, **{"attribute[colour]": "red"}))
    assert response.status_code == 400


def test_attribute_answers_are_added_to_the_description(
    client, third_party_key, streetlight, categories, point_a
):
    data = form(
        third_party_key,
        point_a,
        service_code="01037",
        description="小区门口",
        **{"attribute[lamp_state]": "flicker", "attribute[pole_number]": "YM-0231"},
    )
    response = post(client, **data)
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.description.splitlines() == [
        "小区门口",
        "路灯的状况：闪烁",
        "灯杆上喷涂的编号（如有）：YM-0231",
    ]
    assert report.events.get(kind="open311_received").data["attributes"] == {
        "lamp_state": "flicker",
        "pole_number": "YM-0231",
    }


def test_a_multivaluelist_takes_several_values(client, third_party_key, categories, point_a):
    data = form(third_party_key, point_a, service_code="06010")
    data["attribute[kinds][]"] = ["household", "bulky"]
    response = post(client, **data)
    assert response.status_code == 200, response.content
    assert "垃圾种类：生活垃圾、大件垃圾" in Report.objects.get().description


def test_a_media_upload_is_stored_as_the_reports_photo(client, third_party_key, road, point_a):
    upload = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(
        "/open311/v2/requests.json", {**form(third_party_key, point_a), "media": upload}
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.photos.filter(kind=Photo.Kind.BEFORE).count() == 1
    number = response.json()[0]["service_request_id"]
    (document,) = client.get(f"/open311/v2/requests/{number}.json").json()
    photo = report.photos.get()
    assert document["media_url"].startswith(f"http://testserver/photos/{photo.id}/original/?")
    assert client.get(document["media_url"]).status_code == 200


def test_a_media_upload_that_is_not_an_image_is_400_and_stores_nothing(
    client, third_party_key, road, point_a, media_root
):
    upload = SimpleUploadedFile("p.jpg", b"not a photo", content_type="image/jpeg")
    response = client.post(
        "/open311/v2/requests.json", {**form(third_party_key, point_a), "media": upload}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert not Event.objects.exists()
    assert not any(media_root.rglob("*.jpg"))
