"""The demo logins: one person per role, printed by `make demo`."""

from django.db import transaction

from accounts.models import User
from grids.actions import add_grid_member, appoint_street_leader
from grids.models import Grid, GridMembership, StreetLeader

DEMO_PASSWORD = "yima2026"

# phone, name, flags
PEOPLE = [
    ("13800000001", "管理员", {"is_staff": True, "is_superuser": True}),
    ("13800000002", "指挥中心 王调度", {"is_dispatcher": True}),
    ("13800000003", "市领导 李书记", {"is_official": True}),
    ("13800000004", "千秋路街道 周主任", {"is_official": True}),  # a 街道 leader
    ("13800000011", "网格员 张敏", {}),
    ("13800000012", "网格员 赵强", {}),
    ("13800000013", "网格长 刘芳", {}),
    ("13800000101", "居民 陈晓", {}),
]

GRID_A = "411281001001001"  # 民安社区第1网格
GRID_B = "411281001001002"  # 民安社区第2网格


@transaction.atomic
def ensure_demo_people() -> list[tuple[str, str]]:
    """Create the demo people (idempotent) and return (phone, name) for every login."""
    logins = []
    for phone, name, flags in PEOPLE:
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.create_user(phone, DEMO_PASSWORD, name=name, **flags)
        logins.append((phone, name))
    grids = {g.code: g for g in Grid.objects.filter(code__in=[GRID_A, GRID_B])}
    if grids:
        add_grid_member(user=User.objects.get(phone="13800000011"), grid=grids[GRID_A])
        add_grid_member(user=User.objects.get(phone="13800000012"), grid=grids[GRID_B])
        leader = User.objects.get(phone="13800000013")
        for grid in grids.values():
            add_grid_member(user=leader, grid=grid, role=GridMembership.Role.LEADER)
        street_leader = User.objects.get(phone="13800000004")
        if not StreetLeader.objects.filter(user=street_leader).exists():
            appoint_street_leader(user=street_leader, street=grids[GRID_A].community.street)
    return logins


DEMO_WORKERS = 300
WORKER_PHONES = 13500000000  # the demo's grid workers: 1350000xxxx
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "建国华明丽敏军伟芳秀英强磊洋勇艳杰娟涛超红霞静平辉刚"


@transaction.atomic
def seed_demo_workers(*, total: int = DEMO_WORKERS) -> int:
    """About 300 grid workers, every grid covered (one each, a second in the busiest-numbered
    ones), once. Bulk inserts with one password hash: hashing 300 times would take minutes."""
    import random

    from django.contrib.auth.hashers import make_password

    if User.objects.filter(phone__startswith=str(WORKER_PHONES)[:7]).exists():
        return 0
    grids = list(Grid.objects.order_by("code"))
    if not grids:
        return 0
    rng = random.Random(214)
    assigned = grids + rng.sample(grids, max(0, min(len(grids), total - len(grids))))
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                phone=str(WORKER_PHONES + n),
                name="网格员 " + rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                password=password,
            )
            for n in range(1, len(assigned) + 1)
        ]
    )
    GridMembership.objects.bulk_create(
        [GridMembership(user=u, grid=g) for u, g in zip(users, assigned, strict=True)]
    )
    from grids.models import GridEvent

    GridEvent.objects.create(kind="demo_workers_seeded", detail={"workers": len(users)})
    return len(users)
