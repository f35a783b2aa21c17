"""Months as the system keys them: the first day of the month, and a running month number.

>>> parse_month("2022-06")
datetime.date(2022, 6, 1)
>>> month_of(month_number(date(2022, 6, 1)) + 7)
datetime.date(2023, 1, 1)
"""

from __future__ import annotations

import re
from datetime import date

from atrocity_watch.monitor._errors import InvalidMonthError

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def parse_month(text: str) -> date:
    """``2022-06`` (or ``2022-06-01``) as the first day of that month."""
    found = _MONTH.match(text)
    if found is None:
        raise InvalidMonthError(
            f"{text!r} is not a month; write it as YYYY-MM, for example 2022-06"
        )
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or not 1989 <= year <= 2100:
        raise InvalidMonthError(
            f"{text!r} is not a month the monitors can cover (years 1989 on, months 1-12)"
        )
    return date(year, month, 1)


def month_number(day: date) -> int:
    """A running month number (months since January of year 0), for arithmetic."""
    return day.year * 12 + day.month - 1


def month_of(number: int) -> date:
    """The first day of the month with running number ``number``."""
    return date(number // 12, number % 12 + 1, 1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    return month_of(month_number(day) + months)


def months_between(first: date, last: date) -> int:
    """Whole months from ``first``'s month to ``last``'s month (negative when earlier)."""
    return month_number(last) - month_number(first)


def month_label(day: date) -> str:
    """``2022-06`` for June 2022."""
    return f"{day.year:04d}-{day.month:02d}"
