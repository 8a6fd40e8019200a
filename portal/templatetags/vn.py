"""Template filters for the paper's Vietnamese date formats."""

from django import template

from portal import dates

register = template.Library()


@register.filter
def dateline(value):
    return dates.dateline(value) if value else ""


@register.filter
def long_date(value):
    return dates.long_date(value) if value else ""


@register.filter
def short_datetime(value):
    return dates.short_datetime(value) if value else ""
