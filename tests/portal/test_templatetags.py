from datetime import UTC, datetime

import pytest
from django.template import Context, Template

INSTANT = datetime(2024, 2, 13, 10, 38, 6, 654321, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dateline", "Thứ 3, 13/02/2024 | 17:38:06 [GMT +7]"),
        ("long_date", "Thứ Ba, 13/02/2024 17:38 (GMT +7)"),
        ("short_datetime", "13/02/2024 17:38"),
        ("iso_datetime", "2024-02-13T17:38:06+07:00"),
    ],
)
def test_date_filters_render_vietnam_time(name, expected):
    template = Template(f"{{% load vn %}}{{{{ value|{name} }}}}")

    assert template.render(Context({"value": INSTANT})) == expected
    # An empty value (e.g. a draft without a time) renders nothing, not an error.
    assert template.render(Context({"value": None})) == ""
