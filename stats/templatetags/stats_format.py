from django import template

register = template.Library()


@register.filter
def percent(value):
    """0.9812 → "98.1%"; None (no denominator) → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def hours(value):
    if value is None:
        return "—"
    return f"{value:.1f}"
