from django import template

from dispatch.holidays import missing_next_year

register = template.Library()


@register.inclusion_tag("admin/dispatch/calendar_warning.html")
def holiday_schedule_warning():
    """From 1 December, a warning on the admin's pages while next year's holidays are missing."""
    return {"year": missing_next_year()}
