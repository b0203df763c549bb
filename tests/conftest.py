"""Shared fixtures: Yima's divisions and grids, and named people for every role.

`worker_a` serves grid A; `worker_b` serves grid B and must be refused what belongs to grid A.
Apps add their own fixtures in tests/<app>/conftest.py.
"""

import pytest

from accounts.models import User
from grids import actions as grid_actions
from grids.models import Grid

PASSWORD = "correct-horse-42"
GRID_A = "411281001001001"
GRID_B = "411281001001002"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Production-strength PBKDF2 costs about half a second per login or new user on the CI's
    # two cores; the tests need no strength from it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def yima(db):
    """The 7 街道, 35 社区 and 214 demo grids."""
    grid_actions.seed_divisions()
    grid_actions.seed_demo_grids()
    from grids import lookup

    lookup.invalidate()
    return Grid.objects.all()


@pytest.fixture
def categories(db):
    from reports.seed import seed_categories

    seed_categories()


@pytest.fixture
def grid_a(yima):
    return Grid.objects.get(code=GRID_A)


@pytest.fixture
def grid_b(yima):
    return Grid.objects.get(code=GRID_B)


def make_user(phone: str, name: str, **flags) -> User:
    return User.objects.create_user(phone, PASSWORD, name=name, **flags)


@pytest.fixture
def resident(db):
    return make_user("13900000001", "居民甲")


@pytest.fixture
def other_resident(db):
    return make_user("13900000002", "居民乙")


@pytest.fixture
def worker_a(grid_a):
    user = make_user("13900000011", "网格员A")
    grid_actions.add_grid_member(user=user, grid=grid_a)
    return user


@pytest.fixture
def worker_b(grid_b):
    user = make_user("13900000012", "网格员B")
    grid_actions.add_grid_member(user=user, grid=grid_b)
    return user


@pytest.fixture
def dispatcher(db):
    return make_user("13900000021", "调度员", is_dispatcher=True)


@pytest.fixture
def official(db):
    return make_user("13900000031", "领导", is_official=True)


@pytest.fixture
def admin_user(db):
    return make_user("13900000041", "管理员", is_staff=True, is_superuser=True)


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that person and returns the client."""

    def _login(user):
        client.force_login(user, backend="accounts.backends.SlowedDownModelBackend")
        return client

    return _login
