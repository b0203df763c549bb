"""Issuing and revoking API keys: the raw key is shown once, only its hash is stored."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports import actions
from reports.errors import SubmissionError
from reports.models import ApiKey
from reports.open311.auth import hash_api_key

pytestmark = pytest.mark.django_db


def test_an_issued_key_is_stored_only_as_a_hash_bound_to_its_channel():
    key, raw = actions.issue_api_key(
        name="12345热线系统", channel="hotline", rate="600/m", actor=None
    )
    assert raw.startswith(key.prefix + ".")
    assert key.key_hash == hash_api_key(raw) and raw not in key.key_hash
    assert (key.channel, key.rate, key.is_active) == ("hotline", "600/m", True)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"name": "", "channel": "hotline", "rate": "1/m"}, "name"),
        ({"name": "x", "channel": "fax", "rate": "1/m"}, "channel"),
        ({"name": "x", "channel": "hotline", "rate": "lots"}, "rate"),
        ({"name": "x", "channel": "hotline", "rate": "0/m"}, "rate"),
    ],
)
def test_bad_key_requests_are_refused_and_issue_nothing(kwargs, field):
    with pytest.raises(SubmissionError) as error:
        actions.issue_api_key(actor=None, **kwargs)
    assert error.value.field == field
    assert not ApiKey.objects.exists()


def test_revoking_twice_keeps_the_first_time():
    key, _raw = actions.issue_api_key(name="x", channel="third_party", actor=None)
    first = actions.revoke_api_key(api_key=key, actor=None).revoked_at
    assert actions.revoke_api_key(api_key=key, actor=None).revoked_at == first


def test_the_command_issues_a_key_that_works_and_revokes_it_by_prefix(client, categories):
    out = StringIO()
    call_command("issue_api_key", "随手拍", "--channel=mini_program", "--rate=60/m", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert key.key_hash == hash_api_key(raw) and key.channel == "mini_program"
    call_command("issue_api_key", "--revoke", key.prefix, stdout=StringIO())
    key.refresh_from_db()
    assert key.revoked_at is not None
    response = client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "06013"})
    assert response.status_code == 403


def test_the_command_refuses_an_unknown_prefix():
    with pytest.raises(CommandError):
        call_command("issue_api_key", "--revoke", "nope", stdout=StringIO())
