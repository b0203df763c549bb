"""Writes of the reports app: each is one transaction with its timeline event; deliveries and the
dispatcher's doorbell go out after commit.

Other apps call `submit_report` (channel intake) and `notify_reporter` (when a ticket changes).
"""

import datetime
import logging
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import actions as account_actions
from accounts.actions import record_config_change
from accounts.models import ConfigChange, User
from accounts.sms import send_sms
from accounts.validators import phone_validator
from grids.compounds import compound_for_point
from grids.lookup import grid_for_point
from reports import events
from reports.errors import StateConflict, SubmissionError
from reports.models import (
    ApiKey,
    Category,
    Channel,
    Photo,
    Rating,
    Report,
    Status,
    Supporter,
    TicketSequence,
)
from reports.photos import ProcessedPhoto, make_thumbnail, process_photos, thumbnail_name
from reports.signals import photos_stored, report_submitted

logger = logging.getLogger("yima.reports")

MAX_DESCRIPTION = 1000
MAX_ADDRESS = 200
MAX_COMMENT = 500
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


# --- Submission ---------------------------------------------------------------------------------


def _parse_idempotency_key(value) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except (ValueError, AttributeError):
        raise SubmissionError(
            gettext_lazy("幂等键格式不正确，应为 UUID。"),
            field="idempotency_key",
            code="bad_idempotency_key",
        ) from None


def _parse_category(value) -> Category:
    if isinstance(value, Category):
        category = value
    else:
        code = str(value or "").strip()
        # A NUL byte cannot reach PostgreSQL (the driver raises); no code holds one anyway.
        valid = code and "\x00" not in code and len(code) <= 20
        category = Category.objects.by_code(code) if valid else None
    if category is None or not category.is_active or category.parent_id is None:
        raise SubmissionError(
            gettext_lazy("请选择有效的问题类别（小类）。"), field="category", code="bad_category"
        )
    return category


def _parse_coordinate(value, *, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not low <= number <= high:
        raise SubmissionError(
            gettext_lazy("位置坐标无效，请重新定位。"), field="location", code="bad_location"
        )
    return number


def _clean_text(value, *, limit: int, field: str, message) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise SubmissionError(message, field=field, code="too_long")
    return text


def _clean_contacts(name, phone, email) -> tuple[str, str, str]:
    name = _clean_text(
        name, limit=50, field="contact_name", message=gettext_lazy("姓名不能超过 50 个字。")
    )
    phone = str(phone or "").strip().replace(" ", "").replace("-", "")
    if phone:
        try:
            phone_validator(phone)
        except Exception:
            raise SubmissionError(
                gettext_lazy("请输入11位中国大陆手机号码。"),
                field="contact_phone",
                code="bad_phone",
            ) from None
    email = str(email or "").strip()
    if email:
        try:
            validate_email(email)
        except Exception:
            raise SubmissionError(
                gettext_lazy("电子邮箱格式不正确。"), field="contact_email", code="bad_email"
            ) from None
    return name, phone, email


def _next_number(now: datetime.datetime) -> str:
    """YM + YYYYMMDD (Asia/Shanghai) + the day's sequence, at least 4 digits.

    One statement: the day's row is inserted with 1, or, when it exists, incremented, and the new
    value returned (INSERT … ON CONFLICT DO UPDATE … RETURNING, in PostgreSQL and SQLite alike;
    the ORM has no increment-on-conflict). Either way the row stays locked until our transaction
    commits, and a rollback takes the number back: numbers are unique and gapless per day. Call it
    last in the transaction, so that the lock is held briefly.
    """
    day = now.astimezone(SHANGHAI).date()
    quote = connection.ops.quote_name
    table, day_column, last = (
        quote(TicketSequence._meta.db_table),
        quote(TicketSequence._meta.get_field("day").column),
        quote(TicketSequence._meta.get_field("last").column),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({day_column}, {last}) VALUES (%s, 1) "
            f"ON CONFLICT ({day_column}) DO UPDATE SET {last} = {table}.{last} + 1 "
            f"RETURNING {last}",
            [connection.ops.adapt_datefield_value(day)],
        )
        (number,) = cursor.fetchone()
    return f"YM{day:%Y%m%d}{number:04d}"


def _store_photo_files(processed: list[ProcessedPhoto], *, now) -> list[str]:
    """Write the clean copies before the transaction (no lock is held while writing files).

    The caller removes them again when the transaction fails; a sweep removes what an outer
    rollback left behind (files no Photo row points to).
    """
    names: list[str] = []
    try:
        for photo in processed:
            name = f"reports/{now:%Y/%m/%d}/{photo.sha256}.jpg"
            names.append(default_storage.save(name, ContentFile(photo.content)))
    except Exception:
        _remove_files(names)
        raise
    return names


def _remove_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # already gone: nothing to clean
            logger.warning("could not remove %s", name)


@dataclass(frozen=True)
class _Location:
    lon: float
    lat: float


def _locate(lon, lat, processed: list[ProcessedPhoto]) -> tuple[_Location, object]:
    lon = _parse_coordinate(lon, low=-180, high=180)
    lat = _parse_coordinate(lat, low=-90, high=90)
    if lon is None or lat is None:
        gps = processed[0].gps if processed else None
        if gps is None:
            raise SubmissionError(
                gettext_lazy("请提供问题位置：允许定位、在地图上选点，或上传带定位信息的照片。"),
                field="location",
                code="no_location",
            )
        lon, lat = gps
    grid = grid_for_point(lon, lat)
    if grid is None:
        raise SubmissionError(
            gettext_lazy("该位置不在义马市网格服务范围内。"),
            field="location",
            code="outside_service_area",
        )
    return _Location(lon, lat), grid


def submit_report(
    *,
    category: Category | str,
    lon: float | str | None,
    lat: float | str | None,
    address: str = "",
    description: str = "",
    photos: Iterable = (),
    reporter: User | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    hide_identity: bool = False,
    category_unsure: bool = False,
    channel: str = Channel.WEB,
    api_key: ApiKey | None = None,
    external_id: str = "",
    idempotency_key: uuid.UUID | str | None = None,
    require_photo: bool = True,
) -> Report:
    """File a report: the ticket, its photos and its first event in one transaction, or nothing.

    `photos` holds uploaded files, file-like objects or bytes (1 to 9; none only when
    `require_photo` is False, as for hotline calls). Without lon/lat the first photo's EXIF GPS
    places the report. Any invalid input raises SubmissionError and leaves no row and no file.

    With an `idempotency_key` already used, the first ticket is returned unchanged and its
    `replayed` attribute is True (a retried submission from a flaky phone connection).
    After commit, `report_submitted` is sent and the thumbnails are queued.
    """
    key = _parse_idempotency_key(idempotency_key)
    if key is not None:
        existing = Report.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, reporter)
    category = _parse_category(category)
    if channel not in Channel.values:
        raise SubmissionError(gettext_lazy("未知的上报渠道。"), field="channel", code="bad_channel")
    description = _clean_text(
        description,
        limit=MAX_DESCRIPTION,
        field="description",
        message=gettext_lazy("问题描述不能超过 1000 个字。"),
    )
    address = _clean_text(
        address,
        limit=MAX_ADDRESS,
        field="address",
        message=gettext_lazy("地址不能超过 200 个字。"),
    )
    external_id = _clean_text(
        external_id,
        limit=100,
        field="external_id",
        message=gettext_lazy("外部事件编号不能超过 100 个字符。"),
    )
    contact_name, contact_phone, contact_email = _clean_contacts(
        contact_name, contact_phone, contact_email
    )
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    if external_id and Report.objects.filter(channel=channel, external_id=external_id).exists():
        raise SubmissionError(
            gettext_lazy("该外部事件已上报过。"), field="external_id", code="duplicate_external_id"
        )
    processed = process_photos(photos, required=require_photo)
    location, grid = _locate(lon, lat, processed)
    compound = compound_for_point(location.lon, location.lat, grid_id=grid.id)

    now = timezone.now()
    names = _store_photo_files(processed, now=now)
    try:
        with transaction.atomic():
            report = Report(
                status=Status.SUBMITTED,
                channel=channel,
                category=category,
                category_unsure=bool(category_unsure),
                description=description,
                lon=location.lon,
                lat=location.lat,
                address=address,
                grid=grid,
                community_id=grid.community_id,
                street_id=grid.community.street_id,
                compound=compound,
                reporter=reporter,
                contact_name=contact_name,
                contact_phone=contact_phone,
                contact_email=contact_email,
                hide_identity=bool(hide_identity),
                idempotency_key=key,
                external_id=external_id,
                api_key=api_key,
                submitted_at=now,
            )
            # The number is taken last, so the day's sequence row stays locked only briefly.
            report.number = _next_number(now)
            report.save(force_insert=True)
            event = events.submitted_event(
                report=report, actor=reporter, channel_label=str(Channel(channel).label)
            )
            stored = Photo.objects.bulk_create(
                [
                    Photo(
                        report=report,
                        event=event,
                        kind=Photo.Kind.BEFORE,
                        image=name,
                        sha256=photo.sha256,
                        width=photo.width,
                        height=photo.height,
                        created_at=now,
                    )
                    for photo, name in zip(processed, names, strict=True)
                ]
            )
            photo_ids = [p.id for p in stored]
            report_id = report.id
            transaction.on_commit(lambda: _after_submit(report_id, photo_ids))
    except IntegrityError:
        _remove_files(names)
        if key is not None:
            # Two retries of the same submission raced; the other one won: return its ticket.
            existing = Report.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, reporter)
        raise
    except BaseException:
        _remove_files(names)
        raise
    report.replayed = False
    return report


def _replay(existing: Report, reporter: User | None) -> Report:
    """The first ticket for a retried submission, but only to whoever filed it: a key seen with
    another account is refused, so a leaked key does not hand out someone's tracking link."""
    if existing.reporter_id is not None and (
        reporter is None or not reporter.is_authenticated or reporter.id != existing.reporter_id
    ):
        raise SubmissionError(
            gettext_lazy("该幂等键已被使用，请刷新页面后重新提交。"),
            field="idempotency_key",
            code="idempotency_key_reused",
        )
    existing.replayed = True
    return existing


def _after_submit(report_id: int, photo_ids: list[int]) -> None:
    # The dispatcher's doorbell first: it matters more than thumbnails.
    report_submitted.send(sender=Report, report_id=report_id)
    if photo_ids:
        # The thumbnail doorbell (reports.receivers → reports.tasks.queue_thumbnails).
        photos_stored.send(sender=Photo, photo_ids=photo_ids)


def photos_missing_thumbnails(*, older_than: datetime.timedelta, limit: int = 500) -> list[int]:
    """Photos whose thumbnail doorbell was lost (broker outage, killed worker)."""
    cutoff = timezone.now() - older_than
    return list(
        Photo.objects.filter(thumbnail="", created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )


def make_thumbnail_for_photo(*, photo_id: int) -> bool:
    """Make a photo's thumbnail once; returns False when there is nothing to do."""
    with transaction.atomic():
        photo = Photo.objects.select_for_update().filter(id=photo_id).first()
        if photo is None or photo.thumbnail:
            return False
        with photo.image.open("rb") as f:
            content = make_thumbnail(f.read())
        # Written through the storage, not FieldFile.save (which would put the field's upload_to
        # in front of the name a second time). One name per photo: a rerun after a crash between
        # writing and committing overwrites its own file instead of adding another.
        name = thumbnail_name(photo)
        default_storage.delete(name)
        saved_name = default_storage.save(name, ContentFile(content))
        photo.thumbnail.name = saved_name
        try:
            photo.save(update_fields=["thumbnail"])
        except Exception:
            default_storage.delete(saved_name)
            raise
    return True


def _walk_storage(top: str):
    try:
        dirs, files = default_storage.listdir(top)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{top}/{name}"
    for sub in dirs:
        yield from _walk_storage(f"{top}/{sub}")


def sweep_orphan_photo_files(
    *, older_than: datetime.timedelta = datetime.timedelta(hours=1)
) -> int:
    """Remove stored photo files no Photo row points to (left by a rollback of an outer
    transaction around submit_report, or a crash between writing and committing). Only files
    older than `older_than` are touched, so a submission in flight keeps its files."""
    cutoff = timezone.now() - older_than
    removed = 0
    # Files are stored under their upload day (photo_path), and only a submission in flight can
    # leave one behind: walk the last two days' folders, not the whole store.
    today = timezone.now()
    days = {f"{d:%Y/%m/%d}" for d in (today, today - datetime.timedelta(days=1))}
    for top in ("reports", "thumbs"):
        for name in (n for day in sorted(days) for n in _walk_storage(f"{top}/{day}")):
            try:
                if default_storage.get_modified_time(name) > cutoff:
                    continue
            except OSError:
                continue
            field = "image" if top == "reports" else "thumbnail"
            if not Photo.objects.filter(**{field: name}).exists():
                _remove_files([name])
                removed += 1
    if removed:
        logger.info("removed %d orphaned photo files", removed)
    return removed


# --- Following, rating, reopening ----------------------------------------------------------------


def support_report(*, report: Report, user: User | None, contact_phone: str = "") -> Report:
    """ "Me too": the resident follows an open report instead of filing a duplicate."""
    _, contact_phone, _ = _clean_contacts("", contact_phone, "")
    if user is not None and not user.is_authenticated:
        user = None
    with transaction.atomic():
        report = Report.objects.select_for_update().get(id=report.id)
        if not report.is_open:
            raise StateConflict(
                gettext_lazy("该事项已结束，不能再附议。"), field=None, code="not_open"
            )
        if user is not None and (
            report.reporter_id == user.id or report.supporters.filter(user=user).exists()
        ):
            raise StateConflict(
                gettext_lazy("您已经关注了这个事项。"), field=None, code="already_supporting"
            )
        Supporter.objects.create(report=report, user=user, contact_phone=contact_phone)
        Report.objects.filter(id=report.id).update(supporter_count=F("supporter_count") + 1)
        report.refresh_from_db(fields=["supporter_count"])
        events.supported_event(report=report, actor=user)
    return report


def _notify_dispatchers(*, report: Report, kind: str, title: str, body: str) -> None:
    for dispatcher in User.objects.filter(is_dispatcher=True, is_active=True):
        account_actions.notify(
            recipient=dispatcher,
            kind=kind,
            title=title,
            body=body,
            url=reverse("admin:reports_report_change", args=[report.id]),
        )


def rate_report(*, report: Report, actor: User | None, rating: str, comment: str = "") -> Report:
    """The reporter's verdict on a closed ticket. 不满意 needs a reason and goes to dispatchers."""
    if rating not in Rating.values:
        raise SubmissionError(gettext_lazy("请选择评价。"), field="rating", code="bad_rating")
    comment = _clean_text(
        comment,
        limit=MAX_COMMENT,
        field="comment",
        message=gettext_lazy("评价意见不能超过 500 个字。"),
    )
    if rating == Rating.UNSATISFIED and not comment:
        raise SubmissionError(
            gettext_lazy("选择“不满意”时请说明原因。"), field="comment", code="reason_required"
        )
    with transaction.atomic():
        report = Report.objects.select_for_update().get(id=report.id)
        if report.status != Status.CLOSED:
            raise StateConflict(
                gettext_lazy("事项办结后才能评价。"), field="rating", code="not_closed"
            )
        if report.rating:
            raise StateConflict(
                gettext_lazy("该事项已经评价过了。"), field="rating", code="already_rated"
            )
        report.rating = rating
        report.rating_comment = comment
        report.rated_at = timezone.now()
        report.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        events.rated_event(report=report, actor=actor)
        if rating == Rating.UNSATISFIED:
            _notify_dispatchers(
                report=report,
                kind="report_unsatisfied",
                title=_("%(number)s 上报人不满意") % {"number": report.number},
                body=comment,
            )
    return report


def request_reopen(*, report: Report, actor: User | None, reason: str) -> Report:
    """The reporter asks to reopen a finished ticket; the dispatcher decides (dispatch app)."""
    reason = _clean_text(
        reason, limit=MAX_COMMENT, field="reason", message=gettext_lazy("原因不能超过 500 个字。")
    )
    if not reason:
        raise SubmissionError(
            gettext_lazy("请说明申请重办的原因。"), field="reason", code="required"
        )
    with transaction.atomic():
        report = Report.objects.select_for_update().get(id=report.id)
        if report.status != Status.CLOSED:
            raise StateConflict(
                gettext_lazy("只有已办结的事项可以申请重办。"), field="reason", code="not_closed"
            )
        events.reopen_requested_event(report=report, actor=actor, reason=reason)
        _notify_dispatchers(
            report=report,
            kind="reopen_requested",
            title=_("%(number)s 上报人申请重办") % {"number": report.number},
            body=reason,
        )
    return report


# --- Telling the reporter -----------------------------------------------------------------------


def notify_reporter(*, report: Report, title: str, body: str = "") -> None:
    """Tell the reporter (and residents following the ticket) that it changed.

    In-app inbox when they have an account; e-mail to contact_email; SMS to contact_phone.
    Call it inside the transaction that made the change: deliveries leave after commit.
    """
    url = f"/t/{report.tracking_token}/"
    with transaction.atomic():
        emailed: set[str] = set()
        if report.reporter_id:
            reporter = report.reporter
            account_actions.notify(
                recipient=reporter, kind="report_changed", title=title, body=body, url=url
            )
            if reporter.email:
                emailed.add(reporter.email.lower())
        if report.contact_email and report.contact_email.lower() not in emailed:
            address = report.contact_email
            transaction.on_commit(
                lambda: send_mail(
                    title,
                    f"{body}\n{url}".strip(),
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    fail_silently=True,
                )
            )
        if report.contact_phone:
            phone = report.contact_phone
            text = _("【义马全域网格】%(title)s") % {"title": title}
            transaction.on_commit(lambda: send_sms(phone, text))
        followers = User.objects.filter(supporter__report=report).exclude(id=report.reporter_id)
        for follower in followers.distinct():
            account_actions.notify(
                recipient=follower, kind="report_changed", title=title, body=body, url=""
            )


# --- Channel intake: Open311, hotline, machine events ---
# Owned by the channel-intake work (reports/open311, reports/intake). Imports stay inside the
# functions so this section can be appended without touching the module's import block.

# Machine sources that may file events: the city-management system and emergency sensing.
EVENT_CHANNELS = (Channel.CITY_MANAGEMENT, Channel.EMERGENCY)
# Who a machine event's repeat is attributed to once its ticket is finished: a closed ticket means
# the problem came back, so a new ticket is filed; a rejected or merged one was already judged by
# the dispatcher, so the repeat is recorded on it and nothing new is filed.
EVENT_REFILE_STATUSES = (Status.CLOSED,)
HOTLINE_GROUP = "12345热线坐席"


def _intake_event(
    *,
    report: Report,
    kind: str,
    actor=None,
    actor_label: str,
    note: str = "",
    data: dict | None = None,
    public: bool = False,
):
    from reports.models import Event

    return Event.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        actor_label=actor_label,
        note=note,
        public=public,
        data=data or {},
    )


def issue_api_key(
    *, name: str, channel: str, rate: str = "120/m", actor: User | None
) -> tuple[ApiKey, str]:
    """Issue a key to a named client, bound to one channel. Returns (key, raw key): the raw key is
    shown once and never stored (only its SHA-256 is)."""
    import secrets

    from reports.open311.auth import RATE_RE, hash_api_key

    name = _clean_text(
        name, limit=100, field="name", message=gettext_lazy("客户端名称不能超过 100 个字。")
    )
    if not name:
        raise SubmissionError(gettext_lazy("请填写客户端名称。"), field="name", code="required")
    if channel not in Channel.values:
        raise SubmissionError(gettext_lazy("未知的上报渠道。"), field="channel", code="bad_channel")
    rate = str(rate or "").strip()
    if not RATE_RE.match(rate):
        raise SubmissionError(
            gettext_lazy("频率限制格式应为“次数/周期”，例如 120/m、1000/h、10000/d。"),
            field="rate",
            code="bad_rate",
        )
    with transaction.atomic():
        while True:  # 8 hex digits: a clash is rare, and then we simply draw again
            prefix = secrets.token_hex(4)
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        raw = f"{prefix}.{secrets.token_urlsafe(32)}"
        key = ApiKey.objects.create(
            name=name, channel=channel, prefix=prefix, key_hash=hash_api_key(raw), rate=rate
        )
        record_config_change(
            actor=actor,
            instance=key,
            action=ConfigChange.Action.ISSUED,
            changes={"name": [None, name], "channel": [None, channel], "rate": [None, rate]},
        )
    logger.info("api key %s issued to %r (%s) by %s", prefix, name, channel, actor)
    return key, raw


def revoke_api_key(*, api_key: ApiKey, actor: User | None) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first revocation time."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(id=api_key.id)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            record_config_change(
                actor=actor,
                instance=key,
                action=ConfigChange.Action.REVOKED,
                changes={"revoked_at": [None, key.revoked_at.isoformat()]},
            )
            logger.info("api key %s revoked by %s", key.prefix, actor)
    return key


def submit_open311_request(
    *,
    api_key: ApiKey,
    category: Category,
    lon: float,
    lat: float,
    description: str = "",
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    photos: Iterable = (),
    extra: dict | None = None,
) -> Report:
    """A GeoReport v2 service request: a ticket on the key's channel, photos optional. What the
    spec carries beyond our fields (device_id, account_id, media_url, attribute answers) is kept
    on a non-public event, never shown on the public timeline."""
    with transaction.atomic():
        report = submit_report(
            category=category,
            lon=lon,
            lat=lat,
            address=address,
            description=description,
            photos=photos,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            channel=api_key.channel,
            api_key=api_key,
            require_photo=False,
        )
        data = {k: v for k, v in (extra or {}).items() if v}
        _intake_event(
            report=report,
            kind="open311_received",
            actor_label=api_key.name,
            data={"api_key": api_key.prefix, **data},
        )
    return report


def submit_hotline_report(
    *,
    operator: User,
    category: Category,
    lon: float,
    lat: float,
    address: str,
    description: str,
    caller_phone: str,
    caller_name: str = "",
    photos: Iterable = (),
) -> Report:
    """A 12345 hotline operator files a caller's report on their behalf (photos optional)."""
    with transaction.atomic():
        report = submit_report(
            category=category,
            lon=lon,
            lat=lat,
            address=address,
            description=description,
            photos=photos,
            contact_name=caller_name,
            contact_phone=caller_phone,
            channel=Channel.HOTLINE,
            require_photo=False,
        )
        _intake_event(
            report=report,
            kind="hotline_received",
            actor=operator,
            actor_label=str(Channel.HOTLINE.label),
            data={"operator_id": operator.id},
        )
    return report


def record_machine_event(
    *,
    api_key: ApiKey,
    event_id: str,
    category: Category | str,
    lon: float,
    lat: float,
    description: str = "",
    address: str = "",
) -> tuple[Report, bool, int]:
    """Upsert a machine source's event by (channel, external id): the first report files a ticket,
    repeats add a "repeated" event to it (description refreshed, count kept in the event) instead
    of filing more. After the ticket was closed, a repeat files a new ticket whose external id gets
    a generation suffix (`<id>#2`, …), because the unique constraint keeps one ticket per id.

    Returns (report, created, count): count is how many times the source reported this event.
    """
    from django.db.models import Q

    if api_key.channel not in EVENT_CHANNELS:
        raise SubmissionError(
            gettext_lazy("此接口密钥所属渠道不能上报机器事件。"),
            field="api_key",
            code="bad_channel",
        )
    channel = api_key.channel
    chain = Q(external_id=event_id) | Q(external_id__startswith=f"{event_id}#")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                tickets = list(
                    Report.objects.select_for_update()
                    .filter(chain, channel=channel)
                    .order_by("-submitted_at", "-id")
                )
                latest = tickets[0] if tickets else None
                if latest is not None and latest.status not in EVENT_REFILE_STATUSES:
                    return _record_repeat(
                        report=latest, api_key=api_key, event_id=event_id, description=description
                    )
                external_id = event_id if not tickets else f"{event_id}#{len(tickets) + 1}"
                report = submit_report(
                    category=category,
                    lon=lon,
                    lat=lat,
                    address=address,
                    description=description,
                    channel=channel,
                    api_key=api_key,
                    external_id=external_id,
                    require_photo=False,
                )
                _intake_event(
                    report=report,
                    kind="machine_event_received",
                    actor_label=api_key.name,
                    data={
                        "external_id": event_id,
                        "previous": latest.number if latest is not None else "",
                    },
                )
                return report, True, 1
        except IntegrityError:
            continue  # the same event arrived twice at once and the other won: record a repeat
        except SubmissionError as exc:
            if exc.code != "duplicate_external_id":
                raise
    raise SubmissionError(
        gettext_lazy("该事件正在被并发处理，请稍后重试。"), field="event_id", code="busy"
    )


def _record_repeat(
    *, report: Report, api_key: ApiKey, event_id: str, description: str
) -> tuple[Report, bool, int]:
    count = report.events.filter(kind="repeated").count() + 2
    description = _clean_text(
        description,
        limit=MAX_DESCRIPTION,
        field="description",
        message=gettext_lazy("问题描述不能超过 1000 个字。"),
    )
    fields = ["updated_at"]
    if description and description != report.description:
        report.description = description
        fields.append("description")
    report.save(update_fields=fields)
    _intake_event(
        report=report,
        kind="repeated",
        actor_label=api_key.name,
        note=_("外部系统再次报告同一事件（第 %(count)s 次）。") % {"count": count},
        data={"external_id": event_id, "count": count},
        public=True,
    )
    return report, False, count


def ensure_hotline_operator_group():
    """The "12345热线坐席" group: members may file reports on callers' behalf. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=HOTLINE_GROUP)
        permission = Permission.objects.get(
            content_type__app_label="reports", codename="add_report"
        )
        group.permissions.add(permission)
    return group
