"""Writes of the 民情 ledger: recording a visit or patrol, settling an item, filing a ticket.

Every action takes the acting user as `actor`, runs in one transaction, writes one event, and
refuses bad input with SubmissionError and an outsider with NotPermitted, leaving nothing behind
(photo files included). Locks: the item row first; a ticket is then created by reports'
submission inside the same transaction.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch.errors import NotPermitted, TransitionRefused
from dispatch.events import label
from dispatch.events import record as record_ticket_event
from grids.compounds import compound_for_point
from grids.models import Community, Compound, Grid
from gridwork import access
from gridwork.events import TICKET_FILED_BY, TICKET_FILED_FROM_ITEM, Kind, record
from gridwork.models import Item, PartyOrganisation, PatrolPlan, Visit, VisitPhoto, Volunteer
from gridwork.signals import dispute_item_recorded
from reports.errors import SubmissionError
from reports.models import Category, Channel
from reports.photos import process_photos

MAX_ITEMS = 10
MAX_MINUTES = 24 * 60


def clean_text(value, *, field: str, limit: int, required: bool, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise SubmissionError(message or gettext_lazy("此项必填。"), field=field, code="required")
    if len(value) > limit:
        raise SubmissionError(
            gettext_lazy("内容不能超过 %(n)s 个字。") % {"n": limit}, field=field, code="too_long"
        )
    return value


def _coordinate(value, *, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise SubmissionError(gettext_lazy("定位坐标无效。"), field="location", code="bad_location")
    return number


def _clean_items(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for kind, text in items:
        text = (text or "").strip()
        if not text and not kind:
            continue
        if kind not in Item.Kind.values:
            raise SubmissionError(gettext_lazy("请选择民情类别。"), field="items", code="bad_kind")
        cleaned.append(
            (
                kind,
                clean_text(
                    text,
                    field="items",
                    limit=500,
                    required=True,
                    message=gettext_lazy("请填写民情内容。"),
                ),
            )
        )
    if len(cleaned) > MAX_ITEMS:
        raise SubmissionError(
            gettext_lazy("一次最多记录 10 条民情。"), field="items", code="too_many"
        )
    return cleaned


def _store_photos(processed, *, visit: Visit, written: list[str]) -> list[VisitPhoto]:
    photos = []
    for photo in processed:
        name = default_storage.save(
            f"gridwork/{timezone.now():%Y/%m/%d}/{photo.sha256}.jpg", ContentFile(photo.content)
        )
        written.append(name)
        photos.append(VisitPhoto(visit=visit, image=name, sha256=photo.sha256))
    return VisitPhoto.objects.bulk_create(photos)


def record_visit(
    *,
    actor: User,
    kind: str,
    grid: Grid,
    compound: Compound | None = None,
    lon=None,
    lat=None,
    household: str = "",
    note: str = "",
    minutes: int | None = 0,
    items: Sequence[tuple[str, str]] = (),
    photos: Sequence = (),
    happened_at: dt.datetime | None = None,
) -> Visit:
    """入户走访 or 巡查摸排 in one of the actor's grids, with its 民情 items (each kept for
    follow-up until settled or ticketed) and up to nine photos (metadata stripped).

    Without a compound, the checked-in position places the visit in the compound it falls in.
    """
    role = access.role_in(actor, grid.id)
    if role is None:
        raise NotPermitted(gettext_lazy("只有本网格的网格员和志愿者可以记录走访巡查。"))
    if kind not in Visit.Kind.values:
        raise SubmissionError(gettext_lazy("请选择走访或巡查。"), field="kind", code="bad_kind")
    lon = _coordinate(lon, low=-180, high=180)
    lat = _coordinate(lat, low=-90, high=90)
    if (lon is None) != (lat is None):
        raise SubmissionError(gettext_lazy("定位坐标无效。"), field="location", code="bad_location")
    if compound is not None and compound.grid_id != grid.id:
        raise SubmissionError(
            gettext_lazy("该小区不属于此网格。"), field="compound", code="bad_compound"
        )
    household = clean_text(household, field="household", limit=60, required=False)
    note = clean_text(note, field="note", limit=500, required=False)
    if minutes is None or not 0 <= minutes <= MAX_MINUTES:
        raise SubmissionError(
            gettext_lazy("用时应在 0 到 1440 分钟之间。"), field="minutes", code="bad_minutes"
        )
    cleaned = _clean_items(items)
    if happened_at is not None and happened_at > timezone.now():
        raise SubmissionError(
            gettext_lazy("时间不能晚于现在。"), field="happened_at", code="future"
        )
    processed = process_photos(photos, required=False)
    if compound is None and lon is not None:
        compound = compound_for_point(lon, lat, grid_id=grid.id)
    written: list[str] = []
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                kind=kind,
                grid=grid,
                community_id=grid.community_id,
                street_id=grid.community.street_id,
                compound=compound,
                lon=lon,
                lat=lat,
                household=household,
                note=note,
                minutes=minutes,
                recorded_by=actor,
                recorder_role=role,
                happened_at=happened_at or timezone.now(),
            )
            made = Item.objects.bulk_create([Item(visit=visit, kind=k, text=t) for k, t in cleaned])
            stored = _store_photos(processed, visit=visit, written=written)
            record(
                kind=Kind.VISIT_RECORDED,
                actor=actor,
                visit=visit,
                data={"items": len(made), "photos": len(stored), "role": role},
            )
            disputes = [item.id for item in made if item.kind == Item.Kind.DISPUTE]
            visit_id = visit.id
            transaction.on_commit(lambda: _disputes_recorded(visit_id, disputes))
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return visit


def _disputes_recorded(visit_id: int, item_ids: list[int]) -> None:
    for item_id in item_ids:
        dispute_item_recorded.send(sender=Item, item_id=item_id, visit_id=visit_id)


def _lock_open_item(actor: User, item: Item) -> Item:
    item = (
        Item.objects.select_for_update(of=("self",)).select_related("visit__grid").get(id=item.id)
    )
    if not access.may_handle_item(actor, item):
        raise NotPermitted(
            gettext_lazy("只有记录人、本网格的网格员和社区工作人员可以处理这条民情。")
        )
    if item.status != Item.Status.OPEN:
        raise TransitionRefused(gettext_lazy("这条民情已处理。"))
    return item


def settle_item(*, actor: User, item: Item, note: str = "") -> Item:
    """当场解决: the item was settled on the spot (with what was done)."""
    note = clean_text(note, field="note", limit=200, required=False)
    with transaction.atomic():
        item = _lock_open_item(actor, item)
        item.status = Item.Status.SETTLED
        item.settled_note = note
        item.settled_at = timezone.now()
        item.handled_by = actor
        item.save(update_fields=["status", "settled_note", "settled_at", "handled_by"])
        record(kind=Kind.ITEM_SETTLED, actor=actor, visit=item.visit, item=item, note=note)
    return item


def _ticket_point(visit: Visit) -> tuple[float, float]:
    """The checked-in position, else the compound's point, else a point inside the grid."""
    if visit.lon is not None:
        return visit.lon, visit.lat
    if visit.compound_id:
        return visit.compound.lon, visit.compound.lat
    return visit.grid.inside_point()


def ticket_item(*, actor: User, item: Item, category: Category | str | None) -> Item:
    """转为工单: file the item as a ticket through reports' submission (the actor as reporter,
    channel patrol, at the visit's place) and link the two both ways; the ticket then routes
    like any other."""
    if not category:
        raise SubmissionError(
            gettext_lazy("转为工单时请选择问题类别。"), field="category", code="required"
        )
    from reports.actions import submit_report

    with transaction.atomic():
        item = _lock_open_item(actor, item)
        visit = Visit.objects.select_related("compound", "grid").get(id=item.visit_id)
        lon, lat = _ticket_point(visit)
        place = " ".join(
            filter(None, [visit.compound.name if visit.compound else "", visit.household])
        )
        ticket = submit_report(
            category=category,
            lon=lon,
            lat=lat,
            address=place,
            description=item.text,
            reporter=actor,
            channel=Channel.PATROL,
            require_photo=False,
        )
        item.status = Item.Status.TICKETED
        item.ticket = ticket
        item.handled_by = actor
        item.save(update_fields=["status", "ticket", "handled_by"])
        record_ticket_event(
            report=ticket,
            kind=TICKET_FILED_FROM_ITEM,
            actor=actor,
            actor_label=label(TICKET_FILED_BY),
            note=_("%(kind)s（%(date)s）民情转办：%(text)s")
            % {
                "kind": visit.get_kind_display(),
                "date": timezone.localtime(visit.happened_at).date().isoformat(),
                "text": item.text,
            },
            public=False,
            data={"visit": visit.id, "item": item.id},
        )
        record(
            kind=Kind.ITEM_TICKETED,
            actor=actor,
            visit=visit,
            item=item,
            data={"ticket": ticket.number},
        )
    return item


def add_volunteer(
    *,
    actor: User | None,
    user: User,
    grid: Grid,
    compound: Compound | None = None,
    team: str = "",
    serves_as: str = Volunteer.ServesAs.PATROLLER,
    party_member: bool = False,
) -> Volunteer:
    """Enrol a resident as a volunteer of a grid (administrators and seeds)."""
    if compound is not None and compound.grid_id != grid.id:
        raise SubmissionError(
            gettext_lazy("该小区不属于此网格。"), field="compound", code="bad_compound"
        )
    with transaction.atomic():
        volunteer, _created = Volunteer.objects.update_or_create(
            user=user,
            defaults={
                "grid": grid,
                "compound": compound,
                "team": team,
                "serves_as": serves_as,
                "party_member": party_member,
                "active": True,
            },
        )
        record(
            kind=Kind.VOLUNTEER_ADDED,
            actor=actor,
            data={"user": user.phone, "grid": grid.code, "serves_as": serves_as},
        )
    return volunteer


MAX_PER_WEEK = 500


def set_patrol_plan(
    *, actor: User, grid: Grid, visits_per_week: int | None, patrols_per_week: int | None
) -> PatrolPlan:
    """A grid's required visits and patrols per week (community staff, the grid leader)."""
    if not access.may_plan(actor, grid):
        raise NotPermitted(gettext_lazy("只有社区工作人员和网格长可以设置走访巡查计划。"))
    for value in (visits_per_week, patrols_per_week):
        if value is None or not 0 <= value <= MAX_PER_WEEK:
            raise SubmissionError(
                gettext_lazy("每周次数应在 0 到 500 之间。"), field="plan", code="bad_count"
            )
    with transaction.atomic():
        plan, _created = PatrolPlan.objects.select_for_update().update_or_create(
            grid=grid,
            defaults={
                "visits_per_week": visits_per_week,
                "patrols_per_week": patrols_per_week,
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
        record(
            kind=Kind.PLAN_SET,
            actor=actor,
            data={"grid": grid.code, "visits": visits_per_week, "patrols": patrols_per_week},
        )
    return plan


def add_party_organisation(
    *,
    actor: User,
    community: Community,
    name: str,
    kind: str,
    compound: Compound | None = None,
) -> PartyOrganisation:
    """A community's party organisation (a compound's 党支部, the community's 党委 …)."""
    if not access.may_manage_party(actor, community.id):
        raise NotPermitted(gettext_lazy("只有本社区的工作人员可以管理党组织。"))
    name = clean_text(
        name, field="name", limit=100, required=True, message=gettext_lazy("请填写党组织名称。")
    )
    if kind not in PartyOrganisation.Kind.values:
        raise SubmissionError(gettext_lazy("请选择党组织类型。"), field="kind", code="bad_kind")
    if compound is not None and compound.grid.community_id != community.id:
        raise SubmissionError(
            gettext_lazy("该小区不属于此社区。"), field="compound", code="bad_compound"
        )
    with transaction.atomic():
        if PartyOrganisation.objects.filter(community=community, name=name).exists():
            raise SubmissionError(
                gettext_lazy("本社区已有同名党组织。"), field="name", code="duplicate"
            )
        organisation = PartyOrganisation.objects.create(
            community=community, name=name, kind=kind, compound=compound
        )
        record(
            kind=Kind.PARTY_ORGANISATION_ADDED,
            actor=actor,
            data={"organisation": organisation.id, "community": community.code},
        )
    return organisation


def assign_party_member(
    *, actor: User, volunteer: Volunteer, organisation: PartyOrganisation, serves_as: str
) -> Volunteer:
    """A volunteer of the community's grids joins one of its organisations as a party member,
    serving as 服务员 / 调解员 / 监督员 (or 流动网格员)."""
    if not access.may_manage_party(actor, organisation.community_id):
        raise NotPermitted(gettext_lazy("只有本社区的工作人员可以管理党组织。"))
    if serves_as not in Volunteer.ServesAs.values:
        raise SubmissionError(gettext_lazy("请选择服务岗位。"), field="serves_as", code="bad_role")
    with transaction.atomic():
        volunteer = (
            Volunteer.objects.select_for_update().select_related("grid").get(id=volunteer.id)
        )
        if volunteer.grid.community_id != organisation.community_id:
            raise SubmissionError(
                gettext_lazy("该志愿者不在本社区的网格。"), field="volunteer", code="bad_volunteer"
            )
        volunteer.party_member = True
        volunteer.party_organisation = organisation
        volunteer.serves_as = serves_as
        volunteer.save(update_fields=["party_member", "party_organisation", "serves_as"])
        record(
            kind=Kind.PARTY_MEMBER_ASSIGNED,
            actor=actor,
            data={
                "volunteer": volunteer.id,
                "organisation": organisation.id,
                "serves_as": serves_as,
            },
        )
    return volunteer
