"""Demo data of the grid's own work: volunteers, and a 民情 history at the seed's proportions.

The seed describes 万余条 民情 collected, 3,215 民生实事 done and 960 矛盾 settled. At the demo's
scale (its 3,000 synthetic tickets) that is about 1,050 items, a third of them (≈ 336) filed as
tickets that were closed, and ≈ 100 disputes settled. Like stats.history this is bulk data
generation: it bypasses the actions on purpose (no photos, no events) and runs once.
"""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from grids.demo_people import DEMO_PASSWORD, GIVEN, GRID_A, SURNAMES
from grids.models import Community, Compound, Grid, GridMembership
from gridwork.models import Item, PartyOrganisation, PatrolPlan, Visit, Volunteer
from reports.models import Category, Channel, Report, Status

DEMO_VOLUNTEERS = 300
VOLUNTEER_PHONES = 13400000000  # 1340000xxxx
DEMO_VOLUNTEER = ("13800000014", "流动网格员 孙丽")  # the demo's volunteer login, in grid A
ITEMS = 1050  # ≈ 10,000 ÷ 9.5, the seed's 民情 at the demo's scale
PROJECTS = 336  # 3,215 ÷ 9.5: items whose ticket was closed (民生实事)
DISPUTES_SETTLED = 100  # 960 ÷ 9.5
DAYS = 60  # the span of the demo's ticket history
TEXTS = {
    Item.Kind.NEED: [
        "老人希望增加助餐点",
        "楼道需要安装扶手",
        "希望小区增设充电桩",
        "独居老人需要定期探访",
    ],
    Item.Kind.COMPLAINT: [
        "夜间广场舞噪音扰民",
        "小区垃圾清运不及时",
        "物业收费不透明",
        "车辆乱停占用消防通道",
    ],
    Item.Kind.HAZARD: ["电动车楼道充电", "楼顶违章搭建", "井盖松动", "老旧电线裸露"],
    Item.Kind.DISPUTE: [
        "邻里因漏水发生纠纷",
        "停车位归属争议",
        "宠物扰民引发矛盾",
        "装修噪音引发争执",
    ],
    Item.Kind.OTHER: ["居民咨询医保政策", "反映公交站牌信息过时"],
}


def seed_party_organisations() -> int:
    """A 党支部 for every compound (named as its party_branch) and a 党委 for every community, once."""
    if PartyOrganisation.objects.exists():
        return 0
    organisations = [
        PartyOrganisation(
            name=f"{community.name.removesuffix('居委会')}党委",
            kind=PartyOrganisation.Kind.COMMITTEE,
            community=community,
        )
        for community in Community.objects.order_by("code")
    ]
    for compound in Compound.objects.select_related("grid").order_by("code"):
        organisations.append(
            PartyOrganisation(
                name=compound.party_branch or f"{compound.name}党支部",
                kind=PartyOrganisation.Kind.BRANCH,
                community_id=compound.grid.community_id,
                compound=compound,
            )
        )
    PartyOrganisation.objects.bulk_create(organisations, ignore_conflicts=True)
    return PartyOrganisation.objects.count()


def _demo_user(phone: str, name: str, password: str) -> User:
    user = User.objects.filter(phone=phone).first()
    return user or User.objects.create(phone=phone, name=name, password=password)


@transaction.atomic
def seed_volunteers(*, total: int = DEMO_VOLUNTEERS) -> int:
    """About 300 volunteers (a third of them party members serving as 服务员 / 调解员 / 监督员),
    spread over the grids, plus the demo's volunteer login in grid A. Once."""
    if (
        Volunteer.objects.exists()
        or User.objects.filter(phone__startswith=str(VOLUNTEER_PHONES)[:7]).exists()
    ):
        return 0
    grids = list(Grid.objects.select_related("community").order_by("code"))
    if not grids:
        return 0
    rng = random.Random(300)
    compounds: dict[int, list[int]] = {}
    for compound_id, grid_id in Compound.objects.values_list("id", "grid_id"):
        compounds.setdefault(grid_id, []).append(compound_id)
    branches = {
        o.compound_id: o.id for o in PartyOrganisation.objects.filter(compound__isnull=False)
    }
    committees = {
        o.community_id: o.id
        for o in PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.COMMITTEE)
    }
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                phone=str(VOLUNTEER_PHONES + n),
                name="志愿者 " + rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                password=password,
            )
            for n in range(1, total)
        ]
    )
    users.append(_demo_user(*DEMO_VOLUNTEER, password))
    party_roles = [
        Volunteer.ServesAs.SERVICE,
        Volunteer.ServesAs.MEDIATOR,
        Volunteer.ServesAs.SUPERVISOR,
    ]
    volunteers = []
    for n, user in enumerate(users):
        grid = (
            grids[n % len(grids)]
            if user.phone != DEMO_VOLUNTEER[0]
            else next(g for g in grids if g.code == GRID_A)
        )
        party = n % 3 == 0
        choices = compounds.get(grid.id)
        compound_id = rng.choice(choices) if choices else None
        organisation = (
            (branches.get(compound_id) or committees.get(grid.community_id)) if party else None
        )
        volunteers.append(
            Volunteer(
                user=user,
                grid=grid,
                compound_id=compound_id,
                party_organisation_id=organisation,
                team=f"{grid.community.name.removesuffix('居委会')}流动网格员服务队",
                serves_as=rng.choice(party_roles) if party else Volunteer.ServesAs.PATROLLER,
                party_member=party,
                joined_on=timezone.localdate() - dt.timedelta(days=rng.randrange(30, 900)),
            )
        )
    Volunteer.objects.bulk_create(volunteers)
    return len(volunteers)


PLAN = (10, 5)  # the demo's weekly 入户走访 and 巡查摸排 per grid


def seed_patrol_plans() -> int:
    """A weekly plan for every grid without one."""
    planned = set(PatrolPlan.objects.values_list("grid_id", flat=True))
    plans = [
        PatrolPlan(grid=grid, visits_per_week=PLAN[0], patrols_per_week=PLAN[1])
        for grid in Grid.objects.exclude(id__in=planned)
    ]
    PatrolPlan.objects.bulk_create(plans)
    return len(plans)


def _item_kind(category_kind: str) -> str:
    return {
        Category.Kind.HAZARD: Item.Kind.HAZARD,
        Category.Kind.DISPUTE: Item.Kind.DISPUTE,
        Category.Kind.APPEAL: Item.Kind.NEED,
    }.get(category_kind, Item.Kind.COMPLAINT)


@transaction.atomic
def seed_minqing_history(*, items: int = ITEMS, seed: int = 411281) -> int:
    """民情 items over the last 60 days; the ticketed ones are the history's closed patrol tickets
    (each visit just before its ticket). Needs the ticket history; returns items made (0 if some
    exist)."""
    if Item.objects.exists():
        return 0
    rng = random.Random(seed)
    zone = timezone.get_default_timezone()
    now = timezone.now()
    grids = {g.id: g for g in Grid.objects.select_related("community").order_by("id")}
    if not grids:
        return 0
    workers: dict[int, list[int]] = {}
    for user_id, grid_id in GridMembership.objects.values_list("user_id", "grid_id"):
        workers.setdefault(grid_id, []).append(user_id)
    volunteers: dict[int, list[int]] = {}
    for user_id, grid_id in Volunteer.objects.values_list("user_id", "grid_id"):
        volunteers.setdefault(grid_id, []).append(user_id)
    compounds: dict[int, list[Compound]] = {}
    for compound in Compound.objects.order_by("id"):
        compounds.setdefault(compound.grid_id, []).append(compound)

    def visit(grid_id: int, when: dt.datetime) -> Visit:
        grid = grids[grid_id]
        by_volunteer = volunteers.get(grid_id) and rng.random() < 0.4
        people = volunteers[grid_id] if by_volunteer else workers.get(grid_id, [None])
        compound = rng.choice(compounds[grid_id]) if compounds.get(grid_id) else None
        return Visit(
            kind=rng.choice(Visit.Kind.values),
            grid_id=grid_id,
            community_id=grid.community_id,
            street_id=grid.community.street_id,
            compound=compound,
            lon=compound.lon if compound else None,
            lat=compound.lat if compound else None,
            household=f"{rng.randrange(1, 20)}号楼{rng.randrange(1, 5)}单元" if compound else "",
            minutes=rng.randrange(15, 95, 5),
            recorded_by_id=rng.choice(people),
            recorder_role=Visit.Role.VOLUNTEER if by_volunteer else Visit.Role.WORKER,
            happened_at=when,
            created_at=when,
        )

    tickets = list(
        Report.objects.filter(channel=Channel.PATROL, status=Status.CLOSED, minqing_item=None)
        .select_related("category")
        .order_by("id")[:PROJECTS]
    )
    pending_visits, pending_items = [], []
    for ticket in tickets:
        when = ticket.submitted_at - dt.timedelta(minutes=rng.randrange(5, 90))
        kind = _item_kind(ticket.category.kind)
        pending_visits.append(visit(ticket.grid_id, when))
        pending_items.append(
            [
                Item(
                    kind=kind,
                    text=rng.choice(TEXTS[kind]),
                    status=Item.Status.TICKETED,
                    ticket=ticket,
                    created_at=when,
                )
            ]
        )
    disputes_left = max(
        0, DISPUTES_SETTLED - sum(1 for row in pending_items if row[0].kind == Item.Kind.DISPUTE)
    )
    made = len(tickets)
    grid_ids = list(grids)
    kinds = [Item.Kind.NEED, Item.Kind.COMPLAINT, Item.Kind.HAZARD, Item.Kind.OTHER]
    while made < items:
        day = now - dt.timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(60, 600))
        when = day.astimezone(zone)
        row = []
        for _n in range(min(rng.choice((1, 1, 2, 3)), items - made)):
            if disputes_left > 0 and rng.random() < 0.2:
                kind, status = Item.Kind.DISPUTE, Item.Status.SETTLED
                disputes_left -= 1
            else:
                kind = rng.choice(kinds)
                status = Item.Status.OPEN if rng.random() < 0.12 else Item.Status.SETTLED
            row.append(
                Item(
                    kind=kind,
                    text=rng.choice(TEXTS[kind]),
                    status=status,
                    settled_note="已现场协调处理" if status == Item.Status.SETTLED else "",
                    settled_at=when if status == Item.Status.SETTLED else None,
                    created_at=when,
                )
            )
        made += len(row)
        pending_visits.append(visit(rng.choice(grid_ids), when))
        pending_items.append(row)
    stored = Visit.objects.bulk_create(pending_visits)
    all_items = []
    for stored_visit, row in zip(stored, pending_items, strict=True):
        for item in row:
            item.visit = stored_visit
            all_items.append(item)
    Item.objects.bulk_create(all_items)
    return len(all_items)
