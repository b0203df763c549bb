"""Submission limits count the client the proxies saw, never a header the client wrote; a global
ceiling holds anonymous submissions from many addresses; logged-in residents have their own limit;
"me too" is limited the same way."""

import pytest

from reports.models import Report, Supporter
from reports.throttles import AnonSubmitGlobalThrottle, AnonSubmitThrottle, ResidentSubmitThrottle
from tests.reports.conftest import jpeg_bytes
from tests.reports.helpers import form_data, upload

SUBMIT = "/api/v1/reports/"
CLIENT = "203.0.113.9"


@pytest.fixture
def rates(monkeypatch):
    """rates(anon=..., global_=..., resident=...) sets the limits for this test."""

    def _set(anon="1000/hour", global_="1000/minute", resident="1000/hour"):
        monkeypatch.setattr(AnonSubmitThrottle, "THROTTLE_RATES", {"anon_submit": anon})
        monkeypatch.setattr(
            AnonSubmitGlobalThrottle, "THROTTLE_RATES", {"anon_submit_global": global_}
        )
        monkeypatch.setattr(ResidentSubmitThrottle, "THROTTLE_RATES", {"resident_submit": resident})

    return _set


def submit(client, leaf, where, n: int, **headers):
    data = form_data(leaf, where, photos=[upload(jpeg_bytes(color=(n % 250, 20, 20)))])
    return client.post(SUBMIT, data, **headers)


def test_a_forged_forwarded_for_header_does_not_escape_the_anonymous_limit(
    client, streetlight, point_a, rates
):
    rates(anon="2/hour")
    codes = [
        submit(
            client, streetlight, point_a, i, REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"10.9.{i}.1"
        ).status_code
        for i in range(4)
    ]
    assert codes == [201, 201, 429, 429]
    assert Report.objects.count() == 2


def test_the_html_form_counts_the_same_client_whatever_it_forges(
    client, streetlight, point_a, rates
):
    rates(anon="1/hour")
    first = client.post(
        "/report/",
        form_data(streetlight, point_a),
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert first.status_code == 302
    again = client.post(
        "/report/",
        form_data(streetlight, point_a, photos=[upload(jpeg_bytes(color=(9, 9, 9)))]),
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR="5.6.7.8",
    )
    assert again.status_code == 429
    assert "提交过于频繁" in again.content.decode()


def test_behind_one_proxy_the_address_the_proxy_appended_is_the_client(
    client, streetlight, point_a, rates, settings
):
    settings.NUM_PROXIES = 1
    rates(anon="1/hour")
    proxy = "10.0.0.2"
    # Two residents behind the proxy: counted apart.
    alice = submit(
        client, streetlight, point_a, 1, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    bob = submit(
        client, streetlight, point_a, 2, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert (alice.status_code, bob.status_code) == (201, 201)
    # Alice again, with a forged entry of her own to the left of the one the proxy appended.
    forged = submit(
        client,
        streetlight,
        point_a,
        3,
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.1",
    )
    assert forged.status_code == 429


def test_a_global_ceiling_holds_anonymous_reports_from_many_addresses(
    client, streetlight, point_a, rates
):
    rates(anon="100/hour", global_="3/minute")
    codes = [
        submit(client, streetlight, point_a, i, REMOTE_ADDR=f"198.51.100.{i + 10}").status_code
        for i in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    assert Report.objects.count() == 3


def test_a_logged_in_resident_has_a_limit_of_their_own(
    client, streetlight, point_a, rates, resident
):
    rates(resident="2/hour")
    client.force_login(resident, backend="accounts.backends.SlowedDownModelBackend")
    codes = [submit(client, streetlight, point_a, i).status_code for i in range(3)]
    assert codes == [201, 201, 429]
    assert Report.objects.filter(reporter=resident).count() == 2


def test_staff_filing_on_the_street_are_not_held_by_the_resident_limit(
    client, streetlight, point_a, rates, worker_a
):
    rates(resident="1/hour")
    client.force_login(worker_a, backend="accounts.backends.SlowedDownModelBackend")
    codes = [submit(client, streetlight, point_a, i).status_code for i in range(3)]
    assert codes == [201, 201, 201]


def test_me_too_is_limited_per_client_whatever_it_forges(client, streetlight, point_a, rates):
    from reports import actions

    rates(anon="2/hour")
    report = actions.submit_report(
        category=streetlight.code,
        lon=point_a[0],
        lat=point_a[1],
        photos=[jpeg_bytes()],
        description="路灯不亮",
    )
    codes = [
        client.post(
            f"/api/v1/reports/{report.number}/support/",
            {"contact_phone": f"1391234567{i}"},
            REMOTE_ADDR=CLIENT,
            HTTP_X_FORWARDED_FOR=f"10.1.{i}.1",
        ).status_code
        for i in range(4)
    ]
    assert codes[2:] == [429, 429]
    assert Supporter.objects.filter(report=report).count() == 2
    page = client.post(
        f"/public/{report.number}/support/",
        {"contact_phone": "13912345679"},
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR="10.1.99.1",
        follow=True,
    )
    assert "提交过于频繁" in page.content.decode()
    assert Supporter.objects.filter(report=report).count() == 2
