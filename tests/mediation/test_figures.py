"""The 议事 and 调解 figures on a hand-made history, worked out by hand (written answers below).

March 2025, Asia/Shanghai; "today" is 10 April 2025. Rows are test data written directly, like a
fixture file. Grid A lies in community A (street 1); OTHER is a grid of another street.

Cases (each from its own dispute ticket, submitted when the case opened):
  K1 grid A, 五老,  3-02, concluded 化解成功 (follow-up: agreement held)   mediators 甲, 李大爷
  K2 grid A, 五老,  3-05, concluded 未化解, referred to court              mediator 甲
  K3 grid A, 人民,  3-10, agreed, follow-up due 4-01 and not made (past)  mediator 李大爷
  K4 grid A, 人民,  3-20, agreed, follow-up due 4-20 (not yet)            mediator 甲
  K5 OTHER,  五老,  3-25, withdrawn
  K6 grid A, 五老,  3-31 23:30, still in mediation
  K7 grid A, 五老,  4-01 00:10, 化解成功 (April: outside the period)
Sessions:
  S1 community A (no grid), 3-03: settled, settled, decision (due 3-20, done 3-18), ticket
  S2 community A, grid A,   3-15: settled, decision (due 4-01, open), decision (due 4-30, open)
  S3 OTHER's community,     3-20: decision (due 3-25, open)
  S4 community A,           2-28: decision (due 3-01, open)  — outside the period
"""

import datetime as dt

import pytest

from grids.models import Grid
from mediation.models import Case, Mediator, Organisation, Session, Topic
from mediation.seed import seed_organisations
from mediation.selectors import case_breakdown, case_figures, deliberation_figures
from stats import rollup, selectors
from stats.filters import Period, parse_scope
from tests.stats.conftest import OTHER_STREET_GRID, SH, at, make_report

MARCH = Period("custom", dt.date(2025, 3, 1), dt.date(2025, 3, 31))
TODAY = dt.date(2025, 4, 10)


def day(month: int, d: int) -> dt.date:
    return dt.date(2025, month, d)


@pytest.fixture
def history(grid_a, units, worker_a):
    other = Grid.objects.get(code=OTHER_STREET_GRID)
    seed_organisations()
    five = Organisation.objects.get(kind=Organisation.Kind.FIVE_ELDERS)
    peoples = Organisation.objects.get(kind=Organisation.Kind.PEOPLES)

    def case(grid, org, opened, *, mediators=(), ticket=None, **fields):
        ticket = ticket or make_report(
            grid, "93001", status="processing", submitted_at=opened, dispatched_at=opened
        )
        made = Case.objects.create(
            ticket=ticket,
            community=grid.community,
            grid=grid,
            organisation=org,
            summary="纠纷",
            opened_at=opened,
            **fields,
        )
        for who in mediators:
            Mediator.objects.create(
                case=made, **({"user": who} if who == worker_a else {"name": who})
            )
        return made

    closed = {"status": "closed", "closed_at": at(28, 10)}
    k1_ticket = make_report(grid_a, "93001", submitted_at=at(2, 9), dispute_settled=True, **closed)
    # The checker ticked 化解成功 at closure, but the case's follow-up says otherwise: the case wins.
    k2_ticket = make_report(grid_a, "93001", submitted_at=at(5, 9), dispute_settled=True, **closed)
    k5_ticket = make_report(other, "93001", submitted_at=at(25, 9), dispute_settled=False, **closed)
    # A dispute without a case counts by its flag, as before.
    make_report(grid_a, "93002", submitted_at=at(12, 9), dispute_settled=True, **closed)
    done = {"status": Case.Status.CONCLUDED}
    case(
        grid_a,
        five,
        at(2, 9),
        mediators=(worker_a, "李大爷"),
        ticket=k1_ticket,
        outcome="settled",
        **done,
    )
    case(
        grid_a,
        five,
        at(5, 9),
        mediators=(worker_a,),
        ticket=k2_ticket,
        outcome="unsettled",
        referral="court",
        **done,
    )
    case(
        grid_a, peoples, at(10, 9), mediators=("李大爷",), status="agreed", follow_up_due=day(4, 1)
    )
    case(
        grid_a, peoples, at(20, 9), mediators=(worker_a,), status="agreed", follow_up_due=day(4, 20)
    )
    case(other, five, at(25, 9), ticket=k5_ticket, outcome="withdrawn", **done)
    case(grid_a, five, at(31, 23, 30))
    case(grid_a, five, dt.datetime(2025, 4, 1, 0, 10, tzinfo=SH), outcome="settled", **done)

    def session(community, held_on, topics, grid=None):
        s = Session.objects.create(
            community=community,
            grid=grid,
            held_on=held_on,
            place="会议室",
            facilitator="主持人",
            attendance=10,
        )
        for outcome, due, done_on in topics:
            ticket = (
                make_report(grid_a, "01037", status="dispatched", submitted_at=at(3, 10))
                if outcome == "ticket"
                else None
            )
            Topic.objects.create(
                session=s,
                title="议题",
                raised_by="resident",
                outcome=outcome,
                decision_owner="责任人" if due else "",
                decision_due=due,
                decision_done_at=at(*done_on, 10) if done_on else None,
                ticket=ticket,
            )

    a = grid_a.community
    session(
        a,
        day(3, 3),
        [
            ("settled", None, None),
            ("settled", None, None),
            ("decision", day(3, 20), (18,)),
            ("ticket", None, None),
        ],
    )
    session(
        a,
        day(3, 15),
        [("settled", None, None), ("decision", day(4, 1), None), ("decision", day(4, 30), None)],
        grid=grid_a,
    )
    session(other.community, day(3, 20), [("decision", day(3, 25), None)])
    session(a, day(2, 28), [("decision", day(3, 1), None)])
    return {"a": a, "other": other}


def _cases(area):
    return case_figures(start=MARCH.start, end=MARCH.end, today=TODAY, area=area).as_dict()


def test_case_figures_of_the_city(history):
    assert (
        _cases({})
        == {
            "accepted": 6,  # K1–K6 (K6 opened 23:30 on 31 March, Shanghai time; K7 in April)
            "counted": 3,  # K1 K2 concluded; K3's follow-up overdue. K4 not yet due, K5 withdrawn, K6 open
            "settled": 1,  # K1
            "unsettled": 1,  # K2
            "withdrawn": 1,  # K5
            "settlement_rate": 0.3333,  # 1 ÷ 3
        }
    )


def test_case_figures_of_a_community_and_of_a_street_without_counted_cases(history):
    community = _cases({"community_id": history["a"].id})
    assert (community["accepted"], community["counted"], community["settled"]) == (5, 3, 1)
    street = _cases({"street_id": history["other"].community.street_id})
    assert (street["accepted"], street["counted"], street["settlement_rate"]) == (1, 0, None)


def test_case_figures_by_organisation_and_by_mediator(history, worker_a):
    by = case_breakdown(start=MARCH.start, end=MARCH.end, today=TODAY, area={})
    orgs = {
        row["name"]: (row["accepted"], row["counted"], row["settled"], row["settlement_rate"])
        for row in by["organisation"]
    }
    assert orgs == {"“五老”调解工作室": (4, 2, 1, 0.5), "义马市人民调解委员会": (2, 1, 0, 0.0)}
    mediators = {
        row["name"]: (row["accepted"], row["counted"], row["settled"]) for row in by["mediator"]
    }
    # 甲: K1 K2 K4; 李大爷: K1 K3 (a case with two mediators counts for each)
    assert mediators == {str(worker_a): (3, 2, 1), "李大爷": (2, 2, 1)}
    communities = {row["name"]: row["accepted"] for row in by["community"]}
    assert communities == {history["a"].name: 5, history["other"].community.name: 1}


def test_deliberation_figures(history, grid_a):
    def figures(area):
        return deliberation_figures(
            start=MARCH.start, end=MARCH.end, today=TODAY, area=area
        ).as_dict()

    assert figures({}) == {
        "sessions_held": 3,  # S1 S2 S3 (S4 in February)
        "topics_raised": 8,  # 4 + 3 + 1
        "topics_settled": 3,
        "topics_decided": 4,
        "topics_ticketed": 1,
        "decisions_overdue": 3,  # S2's due 4-01, S3's, S4's (a standing list); S1's is done
    }
    community = figures({"community_id": history["a"].id})
    assert (
        community["sessions_held"],
        community["topics_raised"],
        community["decisions_overdue"],
    ) == (2, 7, 2)
    grid = figures({"grid_id": grid_a.id})  # only S2 is grid A's own session
    assert (
        grid["sessions_held"],
        grid["topics_raised"],
        grid["topics_settled"],
        grid["decisions_overdue"],
    ) == (1, 3, 1, 1)


@pytest.mark.parametrize("source", ["store", "tickets"])
def test_the_tickets_settlement_rate_reads_the_case_outcome_when_a_case_exists(history, source):
    rollup.refresh_recent()
    compute = selectors.figures if source == "store" else selectors.figures_from_tickets
    figures = compute(MARCH, parse_scope({}))
    # Dispute tickets submitted in March: K1–K6's and the one without a case = 7.
    # Settled: K1 (case settled) and the caseless one (flag); K2's flag is overruled by its case.
    assert (figures.disputes, figures.settled) == (7, 2)
    assert figures.settlement_rate == pytest.approx(0.2857, abs=1e-4)


def test_the_dashboard_api_and_export_carry_the_figures_to_officials_only(
    history, login, official, resident
):
    client = login(official)
    response = client.get(
        "/api/v1/stats/mediation", {"period": "custom", "start": "2025-03-01", "end": "2025-03-31"}
    )
    assert response.status_code == 200
    assert response.json()["deliberation"]["sessions_held"] == 3
    assert response.json()["cases"]["accepted"] == 6
    export = client.get(
        "/dashboard/export/figures.csv",
        {"period": "custom", "start": "2025-03-01", "end": "2025-03-31"},
    )
    body = b"".join(export.streaming_content).decode()
    assert "议事场次,3" in body and "受理纠纷 (调解),6" in body
    page = client.get(
        "/dashboard/", {"period": "custom", "start": "2025-03-01", "end": "2025-03-31"}
    ).content.decode()
    assert 'data-figure="case_settlement_rate"' in page
    assert login(resident).get("/api/v1/stats/mediation").status_code == 403
