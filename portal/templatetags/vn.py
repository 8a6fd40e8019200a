"""Template filters for the paper's date formats: Vietnamese for readers, ISO 8601 for machines."""

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


@register.filter
def iso_datetime(value):
    """For ``<time datetime>`` and meta tags: ``2024-02-13T17:38:06+07:00``."""
    return dates.iso_datetime(value) if value else ""
