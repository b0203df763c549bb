"""Writes of 议事: sessions, their photos and topics, and following decisions up.

Every action takes the acting user as `actor`, runs in one transaction, locks the session row
before anything of it (the ticket, when one is filed, comes after: reports' submission creates
it), writes one event, and refuses bad input with SubmissionError and an outsider with
NotPermitted, leaving nothing behind (files included).
"""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch.errors import NotPermitted, TransitionRefused
from dispatch.events import label
from dispatch.events import record as record_ticket_event
from grids.models import Community, Grid
from mediation import access
from mediation.events import TICKET_FILED_FROM_TOPIC, Kind, record
from mediation.files import FileGuard, store
from mediation.models import Session, SessionPhoto, Topic
from mediation.text import clean_text
from mediation.uploads import clean_photo
from reports.errors import SubmissionError
from reports.models import Category, Channel

MAX_PHOTOS = 9
MAX_ATTENDANCE = 10_000


def _require_recorder(actor: User, community_id: int) -> None:
    if not access.may_record_sessions(actor, community_id):
        raise NotPermitted(gettext_lazy("只有本社区的工作人员和网格员可以记录议事。"))


def _store_photos(uploads, *, session: Session, written: list[str]) -> list[SessionPhoto]:
    cleaned = [clean_photo(u) for u in uploads]
    known = set(session.photos.values_list("sha256", flat=True))
    photos = []
    for item in cleaned:
        if item.sha256 in known:
            continue
        known.add(item.sha256)
        name = store(item, folder=f"sessions/{timezone.now():%Y/%m}", written=written)
        photos.append(SessionPhoto(session=session, image=name, sha256=item.sha256))
    return SessionPhoto.objects.bulk_create(photos)


def record_session(
    *,
    actor: User,
    community: Community,
    grid: Grid | None = None,
    held_on: dt.date,
    place: str,
    facilitator: str,
    attendance: int,
    photos: Sequence = (),
) -> Session:
    """记录议事会: a community's (or one of its grids') session, with up to nine photos."""
    _require_recorder(actor, community.id)
    if grid is not None and grid.community_id != community.id:
        raise SubmissionError(gettext_lazy("该网格不属于此社区。"), field="grid", code="bad_grid")
    if held_on is None or held_on > timezone.localdate():
        raise SubmissionError(
            gettext_lazy("请填写议事日期（不能晚于今天）。"), field="held_on", code="bad_date"
        )
    place = clean_text(
        place, field="place", limit=100, required=True, message=gettext_lazy("请填写地点。")
    )
    facilitator = clean_text(
        facilitator,
        field="facilitator",
        limit=50,
        required=True,
        message=gettext_lazy("请填写主持人。"),
    )
    if attendance is None or not (1 <= attendance <= MAX_ATTENDANCE):
        raise SubmissionError(
            gettext_lazy("参加人数应在 1 到 10000 之间。"), field="attendance", code="bad_count"
        )
    if len(photos) > MAX_PHOTOS:
        raise SubmissionError(gettext_lazy("最多上传 9 张照片。"), field="photos", code="too_many")
    with FileGuard() as written, transaction.atomic():
        session = Session.objects.create(
            community=community,
            grid=grid,
            held_on=held_on,
            place=place,
            facilitator=facilitator,
            attendance=attendance,
            created_by=actor,
        )
        stored = _store_photos(photos, session=session, written=written)
        record(
            kind=Kind.SESSION_RECORDED,
            actor=actor,
            session=session,
            data={"grid": grid.code if grid else "", "photos": len(stored)},
        )
    return session


def _lock_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("community", "grid")
        .get(id=session.id)
    )


def _ticket_point(session: Session) -> tuple[float, float]:
    """Where a topic's ticket is placed: the centre of the session's grid, or of the first grid of
    its community (a session has an address, not coordinates)."""
    grid = session.grid or Grid.objects.filter(community=session.community).order_by("code").first()
    if grid is None:
        raise SubmissionError(
            gettext_lazy("该社区没有网格，不能转为工单。"), field="outcome", code="no_grid"
        )
    return (grid.min_lon + grid.max_lon) / 2, (grid.min_lat + grid.max_lat) / 2


def add_topic(
    *,
    actor: User,
    session: Session,
    title: str,
    raised_by: str,
    outcome: str,
    discussion: str = "",
    decision_owner: str = "",
    decision_due: dt.date | None = None,
    category: Category | str | None = None,
) -> Topic:
    """A topic and its outcome. TICKET files a ticket through reports' submission (the worker as
    reporter, channel patrol, placed in the session's grid) and links the two both ways."""
    _require_recorder(actor, session.community_id)
    title = clean_text(
        title, field="title", limit=100, required=True, message=gettext_lazy("请填写议题。")
    )
    discussion = clean_text(discussion, field="discussion", limit=1000, required=False)
    if raised_by not in Topic.RaisedBy.values:
        raise SubmissionError(gettext_lazy("请选择提出人。"), field="raised_by", code="required")
    if outcome not in Topic.Outcome.values:
        raise SubmissionError(gettext_lazy("请选择议题结果。"), field="outcome", code="required")
    if outcome == Topic.Outcome.DECISION:
        decision_owner = clean_text(
            decision_owner,
            field="decision_owner",
            limit=50,
            required=True,
            message=gettext_lazy("形成决定时请填写责任人。"),
        )
        if decision_due is None:
            raise SubmissionError(
                gettext_lazy("形成决定时请填写完成期限。"), field="decision_due", code="required"
            )
    else:
        decision_owner, decision_due = "", None
    if outcome == Topic.Outcome.TICKET and not category:
        raise SubmissionError(
            gettext_lazy("转为工单时请选择问题类别。"), field="category", code="required"
        )
    with transaction.atomic():
        session = _lock_session(session)
        ticket = None
        if outcome == Topic.Outcome.TICKET:
            from reports.actions import submit_report

            lon, lat = _ticket_point(session)
            ticket = submit_report(
                category=category,
                lon=lon,
                lat=lat,
                address=session.place,
                description=f"{title}\n{discussion}".strip(),
                reporter=actor,
                channel=Channel.PATROL,
                require_photo=False,
            )
        topic = Topic.objects.create(
            session=session,
            title=title,
            raised_by=raised_by,
            discussion=discussion,
            outcome=outcome,
            decision_owner=decision_owner,
            decision_due=decision_due,
            ticket=ticket,
        )
        if ticket is not None:
            record_ticket_event(
                report=ticket,
                kind=TICKET_FILED_FROM_TOPIC,
                actor=actor,
                actor_label=label("居民议事"),
                note=_("议事会（%(date)s，%(place)s）议题转办：%(title)s")
                % {"date": session.held_on.isoformat(), "place": session.place, "title": title},
                public=False,
                data={"session": session.id, "topic": topic.id},
            )
        record(
            kind=Kind.TOPIC_ADDED,
            actor=actor,
            session=session,
            note=title,
            data={"topic": topic.id, "outcome": outcome, "ticket": ticket.number if ticket else ""},
        )
    return topic


def complete_decision(*, actor: User, topic: Topic, note: str = "") -> Topic:
    """A decision was carried out: it leaves the open-decisions list."""
    note = clean_text(note, field="note", limit=200, required=False)
    with transaction.atomic():
        session = _lock_session(topic.session)
        _require_recorder(actor, session.community_id)
        topic = Topic.objects.select_for_update().get(id=topic.id)
        if not topic.is_open_decision:
            raise TransitionRefused(gettext_lazy("只有未完成的决定可以标记为完成。"))
        topic.decision_done_at = timezone.now()
        topic.decision_done_note = note
        topic.save(update_fields=["decision_done_at", "decision_done_note"])
        record(
            kind=Kind.DECISION_DONE,
            actor=actor,
            session=session,
            note=note,
            data={"topic": topic.id},
        )
    return topic
