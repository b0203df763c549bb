"""Every figure of DESIGN §5 on the hand-made history (tests/stats/conftest.py), worked out by
hand, from the precomputed store and straight from the tickets."""

import datetime as dt

import pytest

from stats import rollup, selectors
from stats.filters import Period, parse_scope
from tests.stats.conftest import OTHER_STREET_GRID

MARCH = Period("custom", dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.fixture
def store(history):
    rollup.refresh_recent()
    return history


def city(channel=""):
    return parse_scope({"channel": channel})


EXPECTED_CITY = {
    # T1 T2 T3 T4 T7 T8 (T5 rejected and T6 duplicate are not accepted)
    "received": 6,
    "closed": 4,  # T1 T2 T3 T8
    "closure_rate": 0.6667,
    # due in March, suspended T7 left out: T1 T2 T3 T4 T8; on time: T1 T3 T8
    "due": 5,
    "on_time": 3,
    "on_time_rate": 0.6,
    "rated": 3,
    "satisfaction_rate": 0.6667,  # satisfied T1 + basically T3, of 3 rated
    "disputes": 2,  # T3 T4
    "settlement_rate": 0.5,  # T3 settled
    "grid_resolution_rate": 0.25,  # T1 of 4 closed
    "community_resolution_rate": 0.5,  # T1 (grid) and T3 (community)
    # working hours to closure: T1 7.5, T2 30, T3 6.5, T8 2
    "mean_duration_hours": 11.5,
    # dispatch → first acceptance: T1 1, T2 1, T3 0.5, T4 2, T8 0.5
    "mean_response_hours": 1.0,
    "tasks": 7,
    "return_rate": 0.1429,  # the ZJ task of T2
    "extension_rate": 0.1429,  # the CG task of T2
    "rework_rate": 0.25,  # T2 reopened, of 4 closed
}


@pytest.mark.parametrize("source", ["store", "tickets"])
def test_every_city_figure_matches_the_hand_worked_answer(store, source):
    compute = selectors.figures if source == "store" else selectors.figures_from_tickets
    figures = compute(MARCH, city()).as_dict()
    for name, value in EXPECTED_CITY.items():
        assert figures[name] == pytest.approx(value, abs=1e-4), name


def test_median_duration_is_exact_from_tickets_and_within_a_quarter_hour_from_the_store(store):
    assert selectors.figures_from_tickets(MARCH, city()).median_duration == 7.0
    assert selectors.figures(MARCH, city()).median_duration == pytest.approx(7.0, abs=0.25)


def test_street_scope_leaves_out_the_ticket_of_another_street(store):
    street = parse_scope({"street": "411281001"})
    figures = selectors.figures(MARCH, street)
    assert (figures.received, figures.closed, figures.due, figures.on_time) == (5, 3, 4, 2)


def test_grid_scope_counts_only_that_grid(store):
    other = parse_scope({"grid": OTHER_STREET_GRID})
    figures = selectors.figures(MARCH, other)
    assert (figures.received, figures.closed, figures.on_time_rate) == (1, 1, 1.0)
    assert figures.mean_duration == 2.0


def test_channel_filter_keeps_only_hotline_tickets(store):
    figures = selectors.figures(MARCH, city("hotline"))
    assert (figures.received, figures.closed, figures.on_time, figures.rework_rate) == (
        1,
        1,
        0,
        1.0,
    )


def test_figures_by_channel_add_up_to_the_whole(store):
    channels = dict(selectors.by_channel(MARCH, city()))
    assert {k: v.received for k, v in channels.items()} == {"web": 4, "hotline": 1, "patrol": 1}


def test_figures_by_category_for_city_and_for_a_community_agree(store):
    by_city = {c.code: f.received for c, f in selectors.by_category(MARCH, city())}
    assert by_city == {"01037": 3, "06010": 1, "93001": 2}
    community = parse_scope({"community": "411281001001"})
    by_community = {c.code: f.received for c, f in selectors.by_category(MARCH, community)}
    assert by_community == {"01037": 2, "06010": 1, "93001": 2}


def test_a_period_before_the_tickets_has_no_figures_and_no_rates(store):
    figures = selectors.figures(Period("custom", dt.date(2025, 1, 1), dt.date(2025, 2, 28)), city())
    assert figures.received == 0
    assert figures.closure_rate is None and figures.median_duration is None


def test_ranking_puts_the_punctual_unit_first_and_the_late_one_on_the_black_list(store):
    ranking = selectors.ranking(MARCH, city())
    assert [(r["code"], r["due"], r["on_time"]) for r in ranking["red"]][0] == ("SF", 1, 1)
    assert ranking["black"][0]["code"] == "CG"
    assert ranking["black"][0]["on_time_rate"] == pytest.approx(1 / 3, abs=1e-4)


def test_overdue_list_names_the_unit_holding_the_open_ticket(store, grid_a):
    overdue = selectors.overdue(city())
    assert [o["number"] for o in overdue] == [store[4].number]
    assert overdue[0]["holders"] == [grid_a.name]
    assert overdue[0]["held_hours"] > 0


def test_trend_by_day_and_by_week(store):
    days = selectors.trend(MARCH, city())
    assert len(days) == 31
    assert [d["received"] for d in days[2:6]] == [2, 1, 1, 2]
    weeks = selectors.trend(MARCH, city(), by="week")
    assert sum(w["received"] for w in weeks) == 6
    assert weeks[1]["date"] == "2025-03-03" and weeks[1]["received"] == 6


def test_map_shades_streets_for_the_city_and_grids_for_a_community(store, grid_a):
    city_map = selectors.map_areas(MARCH, city())
    assert city_map["level"] == "street"
    received = {a["code"]: a["received"] for a in city_map["areas"]}
    assert received["411281001"] == 5 and received["411281002"] == 1
    assert city_map["grids"][grid_a.code] == "411281001"
    community_map = selectors.map_areas(MARCH, parse_scope({"community": "411281001001"}))
    assert community_map["level"] == "grid"
    assert {a["code"]: a["received"] for a in community_map["areas"]}[grid_a.code] == 5


def test_ranking_for_a_community_counts_only_its_tickets_tasks(store):
    ranking = selectors.ranking(MARCH, parse_scope({"community": "411281001001"}))
    by_code = {r["code"]: (r["due"], r["on_time"]) for r in ranking["red"]}
    # CG's on-time task of T8 lies in another 街道: only T2 (late) and T7 (pending) remain.
    assert by_code["CG"] == (2, 0)
    assert by_code["SF"] == (1, 1)


def test_street_ranking_from_the_store_matches_the_community_ranking_computed_directly(store):
    street = selectors.ranking(MARCH, parse_scope({"street": "411281001"}))
    community = selectors.ranking(MARCH, parse_scope({"community": "411281001001"}))
    assert street == community  # every ticket of that 街道 lies in this 社区
