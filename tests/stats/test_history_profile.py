"""generate_history --profile yima lands on Yima's published record: 98% of demands closed on time
and 矛盾纠纷化解率 98.2% (each within ±0.5 percentage points), most matters settled inside the
grid and the community. Checked at a small scale over the period whose tickets have had time to
close (the last three weeks left out)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from dispatch import seed as dispatch_seed
from stats import selectors
from stats.filters import Period, parse_scope
from stats.history import generate_history

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 30, 18, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def routed(yima, categories):
    dispatch_seed.seed_units()
    dispatch_seed.seed_rules()


def test_the_yima_profile_lands_on_the_published_record(routed):
    generate_history(reports=4000, seed=411281, end=END, progress=False, profile="yima")
    period = Period("custom", dt.date(2026, 9, 1), dt.date(2026, 11, 9))
    figures = selectors.figures(period, parse_scope({}))
    assert figures.due > 2000 and figures.disputes > 200
    assert figures.on_time_rate == pytest.approx(0.98, abs=0.005)
    assert figures.settlement_rate == pytest.approx(0.982, abs=0.005)
    assert figures.community_resolution_rate > 0.6  # 大事不出社区: most close at grid or community
    assert figures.satisfaction_rate > 0.95


def test_the_spread_profile_stays_the_default_and_an_unknown_profile_is_refused(routed):
    with pytest.raises(Exception, match="unknown profile|invalid choice"):
        call_command("generate_history", "--reports", "10", "--profile", "nowhere")
