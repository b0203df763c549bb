"""议事 and 调解 on phones: a community worker records a session with three topics (settled on
the spot, a decision, a ticket); a grid worker mediates a neighbours' dispute through two sessions
to a signed agreement and a follow-up visit, and the ticket closes as 化解成功; the dashboard's
化解率 moves."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from dispatch import seed
from dispatch.actions.closure import check_and_close
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.models import Unit, UnitMembership
from mediation.models import Case, Organisation, Topic
from mediation.seed import seed_organisations
from reports import actions as report_actions
from reports.models import Report
from stats import rollup
from tests.conftest import make_user
from tests.dispatch.conftest import jpeg, point_in
from tests.e2e.conftest import PHONE, TIMEOUT_MS

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def setup(settings, tmp_path, yima, categories):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from yima_gov.celery import run_tasks_in_process

    seed.seed_units()
    seed.seed_rules()
    run_tasks_in_process(True)
    cache.clear()
    yield
    run_tasks_in_process(False)
    cache.clear()


def _dispute(grid, reporter):
    lon, lat = point_in(grid)
    report = report_actions.submit_report(
        category="93001",
        lon=lon,
        lat=lat,
        description="楼上装修噪音扰民",
        reporter=reporter,
        require_photo=False,
    )
    report.refresh_from_db()
    return report


def _phone(browser, live_server, login_in_browser, user):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(live_server.url + "/")
    login_in_browser(page, user)
    return context, page


def test_session_and_mediation_on_phones_move_the_dashboards_settlement_rate(
    live_server,
    phone_page,
    browser,
    login_in_browser,
    setup,
    grid_a,
    worker_a,
    resident,
    official,
    tmp_path,
):
    staff = make_user("13600000001", "常安社区 干部")
    UnitMembership.objects.create(user=staff, unit=Unit.objects.get(community=grid_a.community))
    seed_organisations()  # the live-server database is flushed between tests
    Organisation.objects.filter(kind=Organisation.Kind.FIVE_ELDERS).update(follow_up_days=0)
    photo = tmp_path / "scene.jpg"
    photo.write_bytes(jpeg((30, 120, 200)))
    signed = tmp_path / "signed.jpg"
    signed.write_bytes(jpeg((220, 220, 210)))
    visit = tmp_path / "visit.jpg"
    visit.write_bytes(jpeg((40, 160, 60)))
    today = timezone.localdate().isoformat()

    # An earlier dispute closed as not settled (no case): the city's 化解率 starts at 0%.
    earlier = _dispute(grid_a, resident)
    task = earlier.tasks.get()
    accept_task(task=task, actor=worker_a)
    finish_task(task=task, actor=worker_a, note="未谈拢", photo=jpeg((1, 2, 3)))
    check_and_close(report=earlier, actor=worker_a, photo=jpeg((4, 5, 6)), dispute_settled=False)
    dispute = _dispute(grid_a, resident)
    rollup.refresh_recent()

    # --- 议事: the community worker records a session and three topics --------------------------
    context, page = _phone(browser, live_server, login_in_browser, staff)
    page.goto(live_server.url + "/yishi/")
    page.locator("#new-session").click()
    page.locator("input[name=held_on]").fill(today)
    page.locator("input[name=place]").fill("常安社区“椅”路“常”谈 议事亭")
    page.locator("input[name=facilitator]").fill("王书记")
    page.locator("input[name=attendance]").fill("16")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.locator("#session-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("议事会已记录")

    def topic(title, outcome, **fields):
        page.locator("#topic-form input[name=title]").fill(title)
        page.locator("#topic-form select[name=raised_by]").select_option(
            fields.pop("raised_by", "resident")
        )
        page.locator(f"#topic-form input[name=outcome][value={outcome}]").check()
        for name, value in fields.items():
            field = page.locator(f"#topic-form [name={name}]")
            if name == "category":
                field.select_option(value)
            else:
                field.fill(value)
        page.locator("#topic-form button[type=submit]").click()

    topic("楼道灯不亮", "settled", discussion="物业当场答应今晚更换")
    topic(
        "垃圾清运不及时",
        "decision",
        raised_by="party_member",
        decision_owner="物业张经理",
        decision_due=today,
    )
    topic("单元门口路灯杆倾斜", "ticket", raised_by="worker", category="01030")
    expect(page.locator("#topics > li")).to_have_count(3)
    ticket = Topic.objects.get(outcome="ticket").ticket
    expect(page.locator("#topics .ticket-link")).to_have_text(ticket.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(live_server.url + "/yishi/decisions/")
    expect(page.locator("#decision-list")).to_contain_text("垃圾清运不及时")
    page.goto(live_server.url + f"/community/{grid_a.community.code}/")
    expect(page.locator(".public-session")).to_contain_text("当场解决")
    expect(page.locator("main")).not_to_contain_text("王书记")
    context.close()

    # --- 调解: the grid worker holding the dispute mediates it ---------------------------------
    context, page = _phone(browser, live_server, login_in_browser, worker_a)
    page.goto(live_server.url + "/tiaojie/")
    page.locator("#awaiting li", has_text=dispute.number).get_by_role("link").click()
    page.locator("select[name=organisation]").select_option(label="“五老”调解工作室")
    page.locator("textarea[name=summary]").fill("楼上装修噪音，邻里争执")
    page.locator("#open-form button[type=submit]").click()
    expect(page.locator("#case-status")).to_have_text("调解中")

    def act(section, **fields):
        page.locator(f"#{section} summary").click()
        form = page.locator(f"#{section} form")
        for name, value in fields.items():
            field = form.locator(f"[name={name}]")
            kind = field.first.get_attribute("type")
            if kind == "file":
                field.set_input_files(value)
            elif kind == "checkbox":
                field.check()
            elif kind == "radio":
                form.locator(f"input[name={name}][value='{value}']").check()
            else:
                field.fill(value)
        form.locator("button[type=submit]").click()

    act("add-party", party_name="张三", party_phone="13811112222")
    act("add-party", party_name="李四")
    act(
        "add-session",
        held_on=today,
        attendees="张三、李四、调解员",
        summary="双方各执一词，约定再谈",
    )
    act(
        "add-session",
        held_on=today,
        attendees="张三、李四、五老调解员",
        summary="达成一致：晚十点后停工",
        agreed=True,
    )
    expect(page.locator("#case-sessions > li")).to_have_count(2)
    act(
        "agreement",
        agreement_text="一、晚十点后不施工；二、赔偿噪音损失200元。",
        agreement_file=str(signed),
    )
    expect(page.locator("#case-status")).to_have_text("已达成协议")
    act("follow-up-form", held="1", note="回访：协议已履行，双方满意", photo=str(visit))
    expect(page.locator("#case-outcome")).to_have_text("化解成功")
    expect(page.locator("#ticket-status")).to_have_text("已办结")
    expect(page.locator("#ticket-settled")).to_have_text("化解成功")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    dispute.refresh_from_db()
    assert dispute.dispute_settled is True
    assert Case.objects.get(ticket=dispute).outcome == Case.Outcome.SETTLED

    # --- the dashboard: 化解率 moves from 0% to 50% ----------------------------------------------
    page = phone_page
    page.goto(live_server.url + "/dashboard/?period=7d")
    login_in_browser(page, official)
    rate = page.locator('[data-figure="settlement_rate"] strong')
    expect(rate).to_have_text("0.0%")
    rollup.refresh_recent()
    page.reload()
    expect(rate).to_have_text("50.0%")
    expect(page.locator('[data-figure="case_settlement_rate"] strong')).to_have_text("100.0%")
    expect(page.locator('[data-figure="sessions_held"] strong')).to_have_text("1")
    assert Report.objects.filter(category__code="01030").count() == 1
