import pytest
from django.contrib.auth.models import Group

from reports import actions
from tests.conftest import make_user
from tests.open311.conftest import (  # noqa: F401  (shared fixtures)
    _celery_eager,
    _fresh_rate_limits,
    city_key,
    media_root,
    point_a,
    road,
    third_party_key,
)


@pytest.fixture
def operator(db):
    """A 12345 hotline operator: a member of the group, no other role."""
    group = actions.ensure_hotline_operator_group()
    user = make_user("13900000051", "坐席小李")
    user.groups.add(group)
    return user


@pytest.fixture
def hotline_group(db) -> Group:
    return actions.ensure_hotline_operator_group()
