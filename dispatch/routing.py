"""Which units get a report: the most specific routing rule and the category's handling level."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from dispatch.models import Level, RoutingRule, Task, Unit
from reports.models import Report

LEVEL_ORDER = {Level.GRID: 0, Level.COMMUNITY: 1, Level.DEPARTMENT: 2}
NEXT_LEVEL = {Level.GRID: Level.COMMUNITY, Level.COMMUNITY: Level.DEPARTMENT}
DEFAULT_DEADLINE_HOURS = 24


@dataclass
class Plan:
    """What routing decided: the level, units (lead first) with roles, and the time limit."""

    level: str
    units: list[tuple[Unit, str]] = field(default_factory=list)
    hours: int = DEFAULT_DEADLINE_HOURS
    urgent: bool = False
    rule: RoutingRule | None = None


def matching_rule(report: Report) -> RoutingRule | None:
    """The most specific active rule for the report's category (or its 大类) and place.

    Area first (grid > community > street > city), then category (leaf > 大类)."""
    category = report.category
    category_ids = [category.id] + ([category.parent_id] if category.parent_id else [])
    rules = (
        RoutingRule.objects.filter(is_active=True, category_id__in=category_ids)
        .filter(
            Q(street=None, community=None, grid=None)
            | Q(street_id=report.street_id)
            | Q(community_id=report.community_id)
            | Q(grid_id=report.grid_id)
        )
        .select_related("category", "lead_unit")
        .prefetch_related("cooperating_units")
    )
    return max(rules, key=lambda rule: rule.specificity, default=None)


def time_limit(report: Report, rule: RoutingRule | None) -> tuple[int, bool]:
    """(hours, urgent): the rule's own values, else the category's, else its 大类's."""
    category = report.category
    parent = category.parent
    hours = (
        (rule.deadline_hours if rule else None)
        or category.sla_working_hours
        or (parent.sla_working_hours if parent else None)
        or getattr(settings, "DISPATCH_DEFAULT_DEADLINE_HOURS", DEFAULT_DEADLINE_HOURS)
    )
    urgent = rule.urgent if rule is not None and rule.urgent is not None else category.urgent
    return hours, urgent


def units_for_level(report: Report, level: str, rule: RoutingRule | None) -> list[tuple[Unit, str]]:
    """The units that work a report at a level: the grid's team, the 社区's committee, or the rule's
    departments (lead first). Empty when the level has no such unit."""
    lead = Task.Role.LEAD
    if level == Level.GRID:
        unit = Unit.objects.filter(grid_id=report.grid_id, is_active=True).first()
        return [(unit, lead)] if unit else []
    if level == Level.COMMUNITY:
        unit = Unit.objects.filter(community_id=report.community_id, is_active=True).first()
        return [(unit, lead)] if unit else []
    if rule is None or not rule.lead_unit.is_active:
        return []
    units = [(rule.lead_unit, lead)]
    # cooperating_units is prefetched by matching_rule: sort and filter here, not in SQL.
    units += [
        (unit, Task.Role.COOPERATING)
        for unit in sorted(rule.cooperating_units.all(), key=lambda u: u.code)
        if unit.is_active and unit.id != rule.lead_unit_id
    ]
    return units


def plan(report: Report) -> Plan | None:
    """The first routing of a report, or None when it must wait for the dispatcher."""
    rule = matching_rule(report)
    hours, urgent = time_limit(report, rule)
    level = report.category.handling_level or Level.DEPARTMENT
    # A level without its unit (say, a grid whose team is not set up) passes the report up.
    while True:
        units = units_for_level(report, level, rule)
        if units:
            return Plan(level=level, units=units, hours=hours, urgent=urgent, rule=rule)
        if level not in NEXT_LEVEL:
            return None
        level = NEXT_LEVEL[level]


def escalation_plan(report: Report, from_level: str) -> Plan | None:
    """The next level's units after a unit at `from_level` escalated (上报)."""
    rule = matching_rule(report)
    hours, urgent = time_limit(report, rule)
    level = from_level
    while level in NEXT_LEVEL:
        level = NEXT_LEVEL[level]
        units = units_for_level(report, level, rule)
        if units:
            return Plan(level=level, units=units, hours=hours, urgent=urgent, rule=rule)
    return None


def higher_level(a: str, b: str) -> str:
    if not a:
        return b
    return a if LEVEL_ORDER.get(a, -1) >= LEVEL_ORDER.get(b, -1) else b
