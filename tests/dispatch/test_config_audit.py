"""The configuration audit, driven through the admin over HTTP: every change of categories,
units and their memberships, routing rules, calendar days, users' roles, API keys and street
leaders leaves one append-only ConfigChange row (who, when, what, old → new), readable in the
admin and never editable."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import ConfigChange, User
from dispatch.models import CalendarDay, RoutingRule, Unit, UnitMembership
from grids.models import Street, StreetLeader
from reports.models import ApiKey, Category
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The values a browser would send from the page's main form (the admin's change form)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post" and "id" in a:
            self._in_form = a["id"].endswith("_form")
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data.lstrip("\n")


def form_of(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Form()
    parser.feed(response.content.decode())
    return parser.data


def post(client, url, data: dict):
    response = client.post(url, data)
    errors = re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, errors or response.status_code
    return response


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def only_row(**filters) -> ConfigChange:
    rows = ConfigChange.objects.filter(**filters)
    assert rows.count() == 1, list(rows.values("model", "action", "changes"))
    return rows.get()


@pytest.fixture
def admin_client(client, admin_user, units):
    client.force_login(admin_user)
    return client


def test_a_units_change_and_its_new_membership_are_audited(admin_client, admin_user):
    unit = Unit.objects.get(code="CG")
    staff = make_user("13900000777", "新成员")
    data = form_of(admin_client, change_url(unit))
    old_name = unit.name
    data["name"] = ["城管局（新）"]
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS"))
    row = int(data[f"{prefix}-TOTAL_FORMS"][0]) - 1  # the empty extra form
    data[f"{prefix}-{row}-user"] = [str(staff.pk)]
    data[f"{prefix}-{row}-role"] = [UnitMembership.Role.values[0]]
    post(admin_client, change_url(unit), data)

    change = only_row(model="dispatch.unit", action="changed")
    assert change.changes == {"name": [old_name, "城管局（新）"]}
    assert (change.actor, change.object_id) == (admin_user, str(unit.pk))
    added = only_row(model="dispatch.unitmembership", action="added")
    assert added.changes["user"] == [None, str(staff)]


def test_a_users_role_change_is_audited_and_the_password_never_is(admin_client):
    person = make_user("13900000888", "调度候选")
    # The admin's form shows minutes: a whole-minute join time is saved back unchanged.
    User.objects.filter(pk=person.pk).update(
        date_joined=dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    )
    data = form_of(admin_client, change_url(person))
    data["is_dispatcher"] = ["on"]
    post(admin_client, change_url(person), data)
    change = only_row(model="accounts.user", action="changed")
    assert change.changes == {"is_dispatcher": [False, True]}
    assert User.objects.get(pk=person.pk).is_dispatcher
    assert "password" not in str(ConfigChange.objects.values_list("changes", flat=True))


def test_a_routing_rule_and_a_category_change_are_audited(admin_client):
    rule = RoutingRule.objects.filter(is_active=True, deadline_hours=None).first()
    data = form_of(admin_client, change_url(rule))
    data["deadline_hours"] = ["48"]
    post(admin_client, change_url(rule), data)
    assert only_row(model="dispatch.routingrule").changes == {"deadline_hours": [None, 48]}

    category = Category.objects.filter(parent__isnull=False, is_active=True).first()
    data = form_of(admin_client, change_url(category))
    data["urgent"] = [] if category.urgent else ["on"]
    post(admin_client, change_url(category), data)
    assert only_row(model="reports.category").changes == {
        "urgent": [category.urgent, not category.urgent]
    }


def test_calendar_days_added_changed_and_deleted_are_audited(admin_client):
    add = reverse("admin:dispatch_calendarday_add")
    day = dt.date(2031, 10, 8)
    post(admin_client, add, {"date": day.isoformat(), "is_workday": "on", "note": "调休"})
    saved = CalendarDay.objects.get(date=day)
    assert only_row(model="dispatch.calendarday", action="added").changes["note"] == [None, "调休"]

    data = form_of(admin_client, change_url(saved))
    data["note"] = ["国庆调休"]
    post(admin_client, change_url(saved), data)
    assert only_row(model="dispatch.calendarday", action="changed").changes == {
        "note": ["调休", "国庆调休"]
    }

    delete = reverse("admin:dispatch_calendarday_delete", args=[saved.pk])
    post(admin_client, delete, {"post": "yes"})
    assert only_row(model="dispatch.calendarday", action="deleted").changes["date"] == [
        day.isoformat(),
        None,
    ]


def test_api_keys_issued_and_revoked_in_the_admin_are_audited(admin_client, admin_user):
    post(
        admin_client,
        reverse("admin:reports_apikey_add"),
        {"name": "12345 平台", "channel": "hotline", "rate": "120/m"},
    )
    key = ApiKey.objects.get(name="12345 平台")
    issued = only_row(model="reports.apikey", action="issued")
    assert issued.changes["channel"] == [None, "hotline"] and issued.actor == admin_user
    assert key.prefix not in str(issued.changes) or "key_hash" not in issued.changes
    post(
        admin_client,
        reverse("admin:reports_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    assert only_row(model="reports.apikey", action="revoked").object_id == str(key.pk)


def test_a_street_leader_appointed_in_the_admin_is_audited(admin_client, official):
    street = Street.objects.first()
    post(
        admin_client,
        reverse("admin:grids_streetleader_add"),
        {"user": official.pk, "street": street.pk},
    )
    assert StreetLeader.objects.filter(user=official).exists()
    row = only_row(model="grids.streetleader", action="added")
    assert row.changes == {"street": [None, str(street)]}


def test_the_audit_is_readable_in_the_admin_and_never_editable(admin_client, client, official):
    CalendarDay.objects.create(date=dt.date(2031, 1, 2), is_workday=True)
    calendar = CalendarDay.objects.get(date=dt.date(2031, 1, 2))
    data = form_of(admin_client, change_url(calendar))
    data["note"] = ["补班"]
    post(admin_client, change_url(calendar), data)
    row = ConfigChange.objects.get()

    listing = admin_client.get(reverse("admin:accounts_configchange_changelist"))
    assert listing.status_code == 200 and str(calendar) in listing.content.decode()
    page = admin_client.get(change_url(row)).content.decode()
    assert "note: “” → “补班”" in page
    assert 'name="_save"' not in page and "<textarea" not in page
    assert admin_client.get(reverse("admin:accounts_configchange_add")).status_code == 403
    delete = reverse("admin:accounts_configchange_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.post(change_url(row), {"action": "deleted"}).status_code == 403
    assert ConfigChange.objects.get().changes == {"note": ["", "补班"]}
    with pytest.raises(ValueError):
        row.save()

    client.force_login(official)  # not staff: the admin is closed
    response = client.get(reverse("admin:accounts_configchange_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
