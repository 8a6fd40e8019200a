from datetime import UTC, datetime

import pytest

from portal.dates import dateline, iso_datetime, long_date


def test_dateline_in_the_papers_short_form():
    # 10:38:06 UTC is 17:38:06 in Vietnam, on a Tuesday.
    instant = datetime(2024, 2, 13, 10, 38, 6, tzinfo=UTC)
    assert dateline(instant) == "Thứ 3, 13/02/2024 | 17:38:06 [GMT +7]"


def test_dateline_just_after_midnight_in_vietnam_is_the_next_day():
    # Saturday 17:05 UTC is already Sunday 00:05 in Vietnam.
    instant = datetime(2024, 7, 27, 17, 5, 9, tzinfo=UTC)
    assert dateline(instant) == "Chủ nhật, 28/07/2024 | 00:05:09 [GMT +7]"


def test_long_date_for_the_header():
    instant = datetime(2024, 7, 27, 8, 42, tzinfo=UTC)
    assert long_date(instant) == "Thứ Bảy, 27/07/2024 15:42 (GMT +7)"


@pytest.mark.parametrize(
    ("day", "weekday"),
    [(22, "Thứ 2"), (23, "Thứ 3"), (24, "Thứ 4"), (25, "Thứ 5"), (26, "Thứ 6"), (27, "Thứ 7")],
)
def test_every_weekday(day, weekday):
    assert dateline(datetime(2024, 7, day, 5, 0, tzinfo=UTC)).startswith(f"{weekday}, ")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        dateline(datetime(2024, 7, 27, 5, 0))


def test_iso_datetime_is_vietnam_time_to_the_second():
    # What <time datetime> and meta tags carry: no fraction of a second, +07:00.
    instant = datetime(2024, 2, 13, 10, 38, 6, 123456, tzinfo=UTC)
    assert iso_datetime(instant) == "2024-02-13T17:38:06+07:00"


def test_iso_datetime_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        iso_datetime(datetime(2024, 7, 27, 5, 0))
