"""Who may open what: every role over every page and API endpoint of the project (DESIGN §2).

The table below names, for each URL pattern, the roles inside its scope. Everyone else must be
refused (401/403/404, or sent to the login page) and never see the data: the ticket's number, the
reporter's phone number or another person's message. URL patterns are enumerated from the
resolver: a new endpoint that is neither in the table nor listed as public fails the first test.

One world is built per test; every request runs in a savepoint that is rolled back, so an action a
role was (wrongly or rightly) allowed to perform cannot change what the next request sees.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import actions as account_actions
from dispatch.actions.extensions import request_extension
from dispatch.actions.routing import route_report
from dispatch.actions.suspension import request_suspension
from dispatch.models import UnitMembership
from tests.dispatch.conftest import jpeg

ROLES = (
    "anonymous",
    "resident",
    "worker_a",
    "worker_b",
    "unit_in",
    "unit_out",
    "dispatcher",
    "official",
    "community",  # staff of grid A's community committee
)
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
REFUSED = {401, 403, 404, 405}
SECRET_NOTE = "居民甲的私人消息"

# Open to everyone by design (what they show is public, or they are sign-in plumbing).
PUBLIC = {
    "healthz",
    "readyz",
    "readyz-pipeline",
    "set_language",
    "api-schema",
    "api-docs",
    "home",
    "grids:map",
    "grids-geojson",
    "grids-basemap",
    # Everyone may search places; which reported addresses each role finds is tested in
    # tests/grids/test_gazetteer.py.
    "gazetteer",
    "api-categories",
    # The picker's search over the public catalogue (tests/reports/test_category_picker.py).
    "api-categories-search",
    "api-report-locate",
    "api-report-nearby",
    "api-report-submit",
    "api-report-support",
    "reports:report",
    "reports:public",
    "reports:public_detail",
    "reports:support",
    "accounts:login",
    "accounts:logout",
    "transparency",
    # The offline worklist's manifest and service worker: no personal data (tests/dispatch).
    "manifest",
    "service-worker",
    # A community's public page: 议事 topics and outcomes, no names (tests/mediation).
    "mediation:community_public",
    # Compounds' outlines and names: public geography like the grids (no person; tests/grids).
    "compounds-geojson",
}
# Open311 is a public standard (reads public; writes need an API key): tested in tests/open311.
PUBLIC_NAMESPACES = {"open311"}
# Django's admin: staff only, checked below on its index and a change list.
ADMIN_NAMESPACE = "admin"
# Token-scoped: the tracking token is the credential, whoever presents it.
TOKEN = {"reports:track", "reports:rate", "reports:reopen"}
# Machine and operator channels: none of the roles here may use them.
NOBODY = {"intake:events"}
# Signature-scoped: a report's photo is served against a URL signed by a page that checked its
# reader (reports/photo_access.py); without one, refused to every role (tested below).
SIGNED = {"reports:photo"}
IGNORED_PATTERNS: set[str] = set()


@dataclass
class Entry:
    name: str
    allowed: frozenset
    method: str = "get"
    kwargs: str = ""  # "number", "task", "extension", "suspension", "older", "dispute", "case", …
    extra: dict = field(default_factory=dict)  # more URL kwargs (action)
    data: dict = field(default_factory=dict)
    json: bool = True
    lists: bool = False  # a list: others may get 200, but without the data
    # What outsiders must never see: "number", "phone", "note", "dispute" (the mediated ticket's
    # number), "party" (a party's phone), "facilitator" (a session's), "".
    secret: str = "number"
    viewers: frozenset = frozenset()  # may see the ticket (so its number) but not do this
    ok: frozenset = frozenset({200})  # what a GET inside the scope answers


def E(name, allowed, **kw) -> Entry:
    return Entry(name=name, allowed=frozenset(allowed), **kw)


PHOTO = object()  # replaced by a fresh upload per request
SEES_TICKET = {"worker_a", "unit_in", "dispatcher"}
DELIBERATORS = {"worker_a", "worker_b", "community"}
CASE_WORKERS = {"worker_a", "community", "dispatcher"}
LEDGER = {"worker_a", "community"}
MINQING_SECRET = "独居老人王某需要定期探访"
VOLUNTEER_NAME = "志愿者 欧阳秘"
PARTY_ORG_NAME = "秘园小区党支部"
PARTY_PHONE = "13811112222"

TABLE = [
    # --- pages of the worklists -----------------------------------------------------------------
    E("dispatch:work", {"worker_a"}, lists=True),
    E("dispatch:unit", {"unit_in"}, lists=True),
    E("dispatch:console", {"dispatcher"}),
    # 回访: dispatchers and 12345 operators (no operator in this world); the ticket is open, so
    # recording a call-back is refused by its state (a message and a redirect), not the person.
    E("dispatch:call_backs", {"dispatcher"}, secret=""),
    E(
        "dispatch:call_back",
        {"dispatcher"},
        method="post",
        kwargs="number",
        data={"reached": "no"},
        json=False,
    ),
    E("dispatch:patrol", {"worker_a", "worker_b"}, secret=""),
    # The offline worklist's shell (its tickets come from the bundle) and the bundle itself.
    E("dispatch:offline", {"worker_a", "worker_b", "unit_in", "unit_out", "community"}, secret=""),
    E("api-work-bundle", {"worker_a", "unit_in"}, lists=True),
    E(
        "api-patrol",
        {"worker_a", "worker_b"},
        method="post",
        json=False,
        data={
            "category": "06010",
            "lon": "GRID_A_LON",
            "lat": "GRID_A_LAT",
            "description": "巡查",
            "photo": PHOTO,
        },
        secret="",
    ),
    E("dispatch:ticket", SEES_TICKET | {"official"}, kwargs="number"),
    # A task link redirects to its ticket page.
    E("dispatch:task", {"unit_in", "dispatcher"}, kwargs="task", ok=frozenset({302})),
    E(
        "dispatch:ticket_action",
        {"dispatcher", "official"},
        method="post",
        kwargs="number",
        extra={"action": "remark"},
        data={"remark-note": "请加快办理"},
        json=False,
        viewers=frozenset(SEES_TICKET),
    ),
    E(
        "dispatch:task_action",
        {"unit_in"},
        method="post",
        kwargs="task",
        extra={"action": "accept"},
        data={},
        json=False,
        viewers=frozenset({"dispatcher"}),
    ),
    E(
        "dispatch:extension_action",
        {"dispatcher"},
        method="post",
        kwargs="extension",
        extra={"decision": "approve"},
        json=False,
        viewers=frozenset({"unit_in"}),
    ),
    E(
        "dispatch:suspension_action",
        {"dispatcher"},
        method="post",
        kwargs="suspension",
        extra={"decision": "refuse"},
        json=False,
        viewers=frozenset({"unit_in"}),
    ),
    E("accounts:inbox", {"resident"}, lists=True, secret="note"),
    # 12345 hotline operators and the dispatchers enter callers' reports.
    E("intake:hotline", {"dispatcher"}, secret=""),
    # Without a call just entered it sends the operator back to the form.
    E("intake:hotline-done", {"dispatcher"}, secret="", ok=frozenset({302})),
    # --- figures (officials and dispatchers) ----------------------------------------------------
    E("stats:dashboard", {"dispatcher", "official"}, secret=""),
    E(
        "stats:export",
        {"dispatcher", "official"},
        extra={"what": "figures", "fmt": "csv"},
        secret="",
    ),
    *[
        E(f"stats-{name}", {"dispatcher", "official"}, secret="")
        for name in (
            "dashboard",
            "figures",
            "trend",
            "categories",
            "channels",
            "ranking",
            "map",
            "overdue",
        )
    ],
    E("reports:mine", {"resident"}, lists=True),
    # --- reports API ----------------------------------------------------------------------------
    E("api-my-reports", {"resident"}, lists=True),
    E("api-report-detail", ROLES, kwargs="number", secret="phone"),
    E(
        "api-report-rate",
        {"resident"},
        method="post",
        kwargs="number",
        data={"rating": "satisfied"},
    ),
    E("api-report-reopen", {"resident"}, method="post", kwargs="number", data={"reason": "没修好"}),
    # --- dispatch API ---------------------------------------------------------------------------
    E("api-my-tasks", {"unit_in"}, lists=True),
    E("api-task", {"unit_in", "dispatcher"}, kwargs="task"),
    E("api-task-accept", {"unit_in"}, method="post", kwargs="task"),
    E("api-task-progress", {"unit_in"}, method="post", kwargs="task", data={"note": "进展"}),
    E(
        "api-task-finish",
        {"unit_in"},
        method="post",
        kwargs="task",
        data={"note": "已修好", "photo": PHOTO},
        json=False,
    ),
    E("api-task-return", {"unit_in"}, method="post", kwargs="task", data={"reason": "非本单位"}),
    E(
        "api-task-extension",
        {"unit_in"},
        method="post",
        kwargs="task",
        data={"hours": 8, "reason": "需要材料"},
    ),
    E("api-task-suspension", {"unit_in"}, method="post", kwargs="task", data={"reason": "施工"}),
    E("api-task-escalate", {"unit_in"}, method="post", kwargs="task", data={"reason": "处理不了"}),
    E("api-extension-approve", {"dispatcher"}, method="post", kwargs="extension"),
    E("api-extension-refuse", {"dispatcher"}, method="post", kwargs="extension"),
    E("api-suspension-approve", {"dispatcher"}, method="post", kwargs="suspension"),
    E("api-suspension-refuse", {"dispatcher"}, method="post", kwargs="suspension"),
    E("api-dispatch-queue", {"dispatcher"}, secret=""),
    E("api-ticket-dispatch", SEES_TICKET, kwargs="number"),
    E("api-ticket-route", {"dispatcher"}, method="post", kwargs="number", data={"lead": "SW"}),
    E(
        "api-ticket-reroute",
        {"dispatcher"},
        method="post",
        kwargs="number",
        data={"lead": "SW", "reason": "改派"},
    ),
    E(
        "api-ticket-recategorise",
        {"dispatcher"},
        method="post",
        kwargs="number",
        data={"category": "10002", "reason": "类别有误"},
    ),
    E("api-ticket-merge", {"dispatcher"}, method="post", kwargs="number", data={"into": "OLDER"}),
    E("api-ticket-reject", {"dispatcher"}, method="post", kwargs="number", data={"reason": "无效"}),
    E(
        "api-ticket-suspend",
        {"dispatcher"},
        method="post",
        kwargs="number",
        data={"reason": "施工"},
    ),
    E("api-ticket-resume", {"dispatcher"}, method="post", kwargs="number"),
    E(
        "api-ticket-close",
        {"worker_a", "dispatcher"},
        method="post",
        kwargs="number",
        data={"photo": PHOTO},
        json=False,
    ),
    E(
        "api-ticket-send-back",
        {"worker_a", "dispatcher"},
        method="post",
        kwargs="number",
        data={"reason": "没修好"},
    ),
    E("api-ticket-rework", {"dispatcher"}, method="post", kwargs="number"),
    # --- 议事: the community's staff and its grids' workers (grid A and B share a community) -----
    E("mediation:sessions", DELIBERATORS, secret="facilitator"),
    E("mediation:session_new", DELIBERATORS, secret=""),
    E("mediation:session", DELIBERATORS, kwargs="session", secret="facilitator"),
    E(
        "mediation:topic_add",
        DELIBERATORS,
        method="post",
        kwargs="session",
        data={"title": "路灯", "raised_by": "resident", "outcome": "settled"},
        json=False,
    ),
    E("mediation:decisions", DELIBERATORS, secret="decision"),
    E("mediation:decision_done", DELIBERATORS, method="post", kwargs="topic", json=False),
    E("mediation:session_photo", DELIBERATORS, kwargs="photo", secret=""),
    E("stats-mediation", {"dispatcher", "official"}, secret=""),
    # --- 调解: the case's mediators (worker_a), the community's staff, dispatchers -------------
    # Grid B's worker may open the list (a community worker) but sees no case in it.
    E("mediation:cases", CASE_WORKERS, lists=True, secret="dispute"),
    E("mediation:case_open", CASE_WORKERS, kwargs="dispute", secret="dispute"),
    E("mediation:case", CASE_WORKERS, kwargs="case", secret="party"),
    E(
        "mediation:case_action",
        CASE_WORKERS,
        method="post",
        kwargs="case",
        extra={"action": "party"},
        data={"party_name": "王五", "party_phone": "13822223333"},
        json=False,
    ),
    E("mediation:agreement_file", CASE_WORKERS, kwargs="case", secret=""),
    # --- 民情: grid A's workers and its community's staff; grid B's worker records in grid B only
    # (volunteers are covered in tests/gridwork) --------------------------------------------------
    E("gridwork:home", LEDGER, lists=True, secret="minqing"),
    E("gridwork:visit_new", {"worker_a", "worker_b"}, secret=""),
    E("gridwork:visit", LEDGER, kwargs="visit", secret="minqing"),
    E("gridwork:visit_photo", LEDGER, kwargs="visit_photo", secret=""),
    E(
        "gridwork:item_settle",
        LEDGER,
        method="post",
        kwargs="item",
        data={"note": "已协调"},
        json=False,
    ),
    E(
        "gridwork:item_ticket",
        LEDGER,
        method="post",
        kwargs="item",
        data={"category": "01037"},
        json=False,
    ),
    # Grid B's worker sees grid B's volunteers, not grid A's.
    E("gridwork:people", LEDGER, lists=True, secret="volunteer"),
    E(
        "gridwork:plan_set",
        {"community"},
        method="post",
        kwargs="grid",
        data={"visits_per_week": 10, "patrols_per_week": 5},
        json=False,
    ),
    # Party organisations and members: the community's staff only.
    E("gridwork:party", {"community"}, secret="party_org"),
    E(
        "gridwork:party_org_add",
        {"community"},
        method="post",
        data={"community": "COMMUNITY", "name": "第二党支部", "kind": "branch"},
        json=False,
    ),
    E(
        "gridwork:party_member",
        {"community"},
        method="post",
        data={"volunteer": "VOLUNTEER", "organisation": "PARTY_ORG", "serves_as": "mediator"},
        json=False,
    ),
    E("stats-minqing", {"dispatcher", "official"}, secret=""),
]
BY_NAME = {entry.name: entry for entry in TABLE}


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, full)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name or ''}" if namespace else (p.name or "")
            yield name, str(p.pattern)


def test_every_url_pattern_is_in_the_table_or_listed_as_public():
    forgotten = []
    for name, pattern in _walk(get_resolver().url_patterns):
        top = name.split(":", 1)[0] if ":" in name else ""
        if pattern in IGNORED_PATTERNS or top in PUBLIC_NAMESPACES | {ADMIN_NAMESPACE}:
            continue
        if name in BY_NAME or name in PUBLIC | TOKEN | NOBODY | SIGNED:
            continue
        forgotten.append(name or pattern)
    assert forgotten == [], "add these endpoints to tests/permissions/test_access_table.py"


def _mediation_world(submit, worker_a, grid_a):
    """A dispute in grid A held by worker_a, mediated by them to an agreement (with a party); a
    session of grid A's community with a photo and an open decision; and the committee's staff."""
    import datetime as dt

    from django.utils import timezone

    from dispatch.models import Unit
    from mediation import cases, deliberation
    from mediation.models import Organisation
    from mediation.seed import seed_organisations
    from tests.conftest import make_user

    seed_organisations()
    community = make_user("13600000009", "社区干部")
    UnitMembership.objects.create(user=community, unit=Unit.objects.get(community=grid_a.community))
    dispute = submit("93001")
    route_report(report_id=dispute.id)
    today = timezone.localdate()
    case = cases.open_case(
        actor=worker_a,
        ticket=dispute,
        organisation=Organisation.objects.get(kind=Organisation.Kind.FIVE_ELDERS),
        summary="邻里纠纷",
    )
    cases.add_party(actor=worker_a, case=case, name="张三", phone=PARTY_PHONE)
    cases.record_case_session(
        actor=worker_a, case=case, held_on=today, attendees="双方", summary="和解", agreed=True
    )
    cases.record_agreement(actor=worker_a, case=case, text="协议", file=jpeg())
    session = deliberation.record_session(
        actor=community,
        community=grid_a.community,
        held_on=today,
        place="会议室",
        facilitator="主持人常安",
        attendance=12,
        photos=[jpeg()],
    )
    topic = deliberation.add_topic(
        actor=community,
        session=session,
        title="修补围墙的决定",
        raised_by="resident",
        outcome="decision",
        decision_owner="居委会",
        decision_due=today + dt.timedelta(days=3),
    )
    return {
        "community": community,
        "dispute": dispute,
        "case": case,
        "session": session,
        "topic": topic,
        "photo": session.photos.get(),
    }


@pytest.fixture
def world(
    pole,
    staff_of,
    submit,
    resident,
    worker_a,
    worker_b,
    dispatcher,
    official,
    grid_a,
    settings,
    tmp_path,
):
    """The pole ticket in grid A (reported by the resident, phone 13900000001) with six units;
    CG's task has a pending extension and a pending 挂账 request; an earlier open report it may be merged into."""
    older = submit("01037")
    report, tasks, people = pole
    report.contact_phone = "13812345678"
    report.save(update_fields=["contact_phone"])
    task = tasks["CG"]
    extension = request_extension(task=task, actor=people["CG"], hours=8, reason="材料")
    suspension = request_suspension(task=task, actor=people["CG"], reason="施工")
    account_actions.notify(recipient=resident, kind="test", title=SECRET_NOTE)
    unit_out = staff_of("GA")
    assert not UnitMembership.objects.filter(user=unit_out, unit__tasks__report=report).exists()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    mediation = _mediation_world(submit, worker_a, grid_a)
    from gridwork.actions import add_volunteer, record_visit
    from gridwork.models import PartyOrganisation
    from tests.conftest import make_user

    volunteer = add_volunteer(
        actor=None, user=make_user("13600000077", VOLUNTEER_NAME), grid=grid_a
    )
    party_org = PartyOrganisation.objects.create(name=PARTY_ORG_NAME, community=grid_a.community)
    visit = record_visit(
        actor=worker_a,
        kind="visit",
        grid=grid_a,
        items=[("need", MINQING_SECRET)],
        photos=[jpeg()],
    )
    return {
        **mediation,
        "visit": visit,
        "item": visit.items.get(),
        "volunteer": volunteer,
        "party_org": party_org,
        "report": report,
        "older": older,
        "task": task,
        "extension": extension,
        "suspension": suspension,
        "people": {
            "anonymous": None,
            "resident": resident,
            "worker_a": worker_a,
            "worker_b": worker_b,
            "unit_in": people["CG"],
            "unit_out": unit_out,
            "dispatcher": dispatcher,
            "official": official,
            "community": mediation["community"],
        },
    }


def _url(entry: Entry, world) -> str:
    kwargs = dict(entry.extra)
    if entry.kwargs == "number":
        kwargs["number"] = world["report"].number
    elif entry.kwargs == "task":
        kwargs["task_id"] = world["task"].id
    elif entry.kwargs == "extension":
        kwargs["extension_id"] = world["extension"].id
    elif entry.kwargs == "suspension":
        kwargs["suspension_id"] = world["suspension"].id
    elif entry.kwargs == "dispute":
        kwargs["number"] = world["dispute"].number
    elif entry.kwargs == "grid":
        kwargs["grid_id"] = world["report"].grid_id
    elif entry.kwargs == "visit_photo":
        kwargs["visit_id"] = world["visit"].id
        kwargs["photo_id"] = world["visit"].photos.get().id
    elif entry.kwargs in ("case", "session", "topic", "photo", "visit", "item"):
        kwargs[f"{entry.kwargs}_id"] = world[entry.kwargs].id
    return reverse(entry.name, kwargs=kwargs)


def _request(entry: Entry, world, role: str):
    cache.clear()
    client = Client()
    person = world["people"][role]
    if person is not None:
        client.force_login(person, backend="accounts.backends.SlowedDownModelBackend")
    url = _url(entry, world)
    data = {}
    for key, value in entry.data.items():
        if value is PHOTO:
            value = SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")
        elif value == "OLDER":
            value = world["older"].number
        elif value == "COMMUNITY":
            value = world["report"].community_id
        elif value == "VOLUNTEER":
            value = world["volunteer"].id
        elif value == "PARTY_ORG":
            value = world["party_org"].id
        elif value in ("GRID_A_LON", "GRID_A_LAT"):
            value = world["report"].lon if value == "GRID_A_LON" else world["report"].lat
        data[key] = value
    with transaction.atomic():
        if entry.method == "get":
            response = client.get(url)
        elif entry.json:
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        transaction.set_rollback(True)
    return response


def _secret(entry: Entry, world) -> str:
    return {
        "number": world["report"].number,
        "phone": world["report"].contact_phone,
        "note": SECRET_NOTE,
        "dispute": world["dispute"].number,
        "party": PARTY_PHONE,
        "facilitator": world["session"].facilitator,
        "decision": world["topic"].title,
        "minqing": MINQING_SECRET,
        "volunteer": VOLUNTEER_NAME,
        "party_org": PARTY_ORG_NAME,
        "": "",
    }[entry.secret]


def _refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and "/login/" in response["Location"]


def test_every_role_outside_an_endpoints_scope_is_refused_and_sees_no_data(world):
    problems = []
    for entry in TABLE:
        secret = _secret(entry, world)
        for role in sorted(set(ROLES) - entry.allowed):
            response = _request(entry, world, role)
            body = response.content.decode(errors="replace")
            if entry.lists and response.status_code == 200:
                if secret and secret in body:
                    problems.append(f"{entry.name} as {role}: the list shows what is not theirs")
            elif entry.secret == "phone" and response.status_code == 200:
                if secret in body:
                    problems.append(f"{entry.name} as {role}: shows the reporter's phone")
            elif not _refused(response):
                problems.append(f"{entry.name} as {role}: {response.status_code}, not refused")
            elif secret and secret in body and role not in entry.viewers:
                problems.append(f"{entry.name} as {role}: refused but shows the data")
    assert problems == [], "\n".join(problems)


def test_every_role_inside_an_endpoints_scope_gets_in(world):
    problems = []
    for entry in TABLE:
        secret = _secret(entry, world)
        for role in sorted(entry.allowed):
            response = _request(entry, world, role)
            status = response.status_code
            if entry.method == "get":
                ok = status in entry.ok
                if ok and status == 200 and secret and entry.secret != "phone":
                    ok = secret in response.content.decode()
            else:
                # Inside the scope: the action ran (200/201/302) or the ticket's state answered
                # (409); never a refusal of the person.
                ok = status in (200, 201, 302, 409)
            if not ok:
                problems.append(f"{entry.name} as {role}: {status}")
    assert problems == [], "\n".join(problems)


def test_the_reporter_sees_their_phone_number_in_the_api_and_others_do_not(world):
    phone = world["report"].contact_phone
    mine = _request(BY_NAME["api-report-detail"], world, "resident")
    theirs = _request(BY_NAME["api-report-detail"], world, "worker_b")
    assert phone in mine.content.decode()
    assert phone not in theirs.content.decode()


def test_a_wrong_tracking_token_is_not_found_for_every_role(world):
    for role in ROLES:
        client = Client()
        person = world["people"][role]
        if person is not None:
            client.force_login(person, backend="accounts.backends.SlowedDownModelBackend")
        bogus = "0" * 32
        assert client.get(reverse("reports:track", args=[bogus])).status_code == 404
        for name in ("reports:rate", "reports:reopen"):
            assert client.post(reverse(name, args=[bogus]), {"reason": "x"}).status_code == 404
        token = world["report"].tracking_token
        assert client.get(reverse("reports:track", args=[token])).status_code == 200


def test_a_photo_url_without_its_signature_is_refused_to_every_role(
    world, submit, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # 矛盾纠纷, the world's private category (its code follows the national catalogue).
    dispute = submit(world["dispute"].category.code, photos=[jpeg()])
    photo = dispute.photos.get()
    for role in ROLES:
        client = Client()
        person = world["people"][role]
        if person is not None:
            client.force_login(person, backend="accounts.backends.SlowedDownModelBackend")
        for variant in ("original", "thumb"):
            url = reverse("reports:photo", args=[photo.id, variant])
            response = client.get(url)
            # A private category: not even its thumbnail is open.
            assert response.status_code == 404, f"{variant} as {role}: {response.status_code}"
            assert client.get(f"{url}?e=9999999999&s=forged").status_code == 404
    # The ticket page of someone who may see it hands out a URL that works.
    client = Client()
    client.force_login(
        world["people"]["dispatcher"], backend="accounts.backends.SlowedDownModelBackend"
    )
    page = client.get(reverse("dispatch:ticket", args=[dispute.number])).content.decode()
    signed = re.search(rf'href="(/photos/{photo.id}/original/\?[^"]+)"', page).group(1)
    assert client.get(signed.replace("&amp;", "&")).status_code == 200


def test_nobody_here_may_post_machine_events_or_read_another_operators_hotline_ticket(world):
    for role in ROLES:
        for name in sorted(NOBODY):
            entry = Entry(name=name, allowed=frozenset(), method="get")
            response = _request(entry, world, role)
            if name == "intake:events":
                response = _request(
                    Entry(name=name, allowed=frozenset(), method="post"), world, role
                )
            assert _refused(response), f"{name} as {role}: {response.status_code}"


def test_only_staff_open_the_admin(world, admin_user):
    for role in ROLES:
        for name in ("admin:index", "admin:reports_report_changelist"):
            response = _request(Entry(name=name, allowed=frozenset()), world, role)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], role
    client = Client()
    client.force_login(admin_user, backend="accounts.backends.SlowedDownModelBackend")
    assert client.get(reverse("admin:index")).status_code == 200
