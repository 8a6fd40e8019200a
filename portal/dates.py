"""The paper's date formats, always in Vietnam time (GMT+7).

Short form, on the article's date line: ``Thứ 3, 13/02/2024 | 17:38:06 [GMT +7]``.
Long form, in the site header: ``Thứ Bảy, 27/07/2024 15:42 (GMT +7)``.
For machines (``<time datetime>``, meta tags, JSON-LD, the news sitemap):
``2024-02-13T17:38:06+07:00``.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# datetime.weekday(): Monday is 0.
_SHORT_WEEKDAYS = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")
_LONG_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def to_vietnam(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return value.astimezone(VIETNAM)


def dateline(value: datetime) -> str:
    local = to_vietnam(value)
    weekday = _SHORT_WEEKDAYS[local.weekday()]
    return f"{weekday}, {local:%d/%m/%Y} | {local:%H:%M:%S} [GMT +7]"


def long_date(value: datetime) -> str:
    local = to_vietnam(value)
    weekday = _LONG_WEEKDAYS[local.weekday()]
    return f"{weekday}, {local:%d/%m/%Y %H:%M} (GMT +7)"


def short_datetime(value: datetime) -> str:
    """Compact form for lists and comments: ``13/02/2024 17:38``."""
    return f"{to_vietnam(value):%d/%m/%Y %H:%M}"


def iso_datetime(value: datetime) -> str:
    """ISO 8601 to the second, with the +07:00 offset: ``2024-02-13T17:38:06+07:00``.

    Seconds only: HTML's ``<time datetime>`` allows at most three decimals, and
    no reader or search engine needs the microseconds the database keeps.
    """
    return to_vietnam(value).replace(microsecond=0).isoformat()
