from datetime import date

import holidays
import pytest

from cli.bank_holidays import FIRST_YEAR, LAST_YEAR, england_and_wales
from models.calendar import BANK_HOLIDAYS, add_working_days, is_working_day, working_days_between


def test_shipped_bank_holidays_match_the_holidays_package():
    shipped = {date.fromisoformat(d): name for d, name in BANK_HOLIDAYS.items()}
    assert shipped == england_and_wales(FIRST_YEAR, LAST_YEAR), (
        "run 'python -m cli.bank_holidays' after upgrading the holidays package"
    )


def test_one_off_bank_holidays_are_known():
    assert BANK_HOLIDAYS["2022-09-19"] == "State Funeral of Queen Elizabeth II"
    assert "Coronation" in BANK_HOLIDAYS["2023-05-08"]
    assert (
        holidays.country_holidays("GB", subdiv="WLS", years=2027).keys()
        == holidays.country_holidays("GB", subdiv="ENG", years=2027).keys()
    )


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2027, 3, 22), 5, date(2027, 3, 31)),  # Easter: Good Friday and Easter Monday skipped
        (date(2027, 3, 22), 10, date(2027, 4, 7)),
        (date(2026, 12, 18), 5, date(2026, 12, 29)),  # Christmas Day, Boxing Day (observed)
        (date(2026, 12, 23), 5, date(2027, 1, 4)),  # … and New Year's Day
        (date(2027, 5, 28), 1, date(2027, 6, 1)),  # Spring bank holiday Monday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday to Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # a Saturday counts from the next working day
        (date(2027, 4, 7), -10, date(2027, 3, 22)),
        (date(2027, 3, 22), 0, date(2027, 3, 22)),
    ],
)
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_working_days_between_counts_like_add():
    assert working_days_between(date(2027, 3, 22), date(2027, 3, 31)) == 5
    assert working_days_between(date(2027, 3, 31), date(2027, 3, 22)) == 0
    assert not is_working_day(date(2027, 3, 26))
    assert is_working_day(date(2027, 3, 25))


def test_years_outside_the_shipped_data_are_refused():
    with pytest.raises(ValueError, match="bank holidays are known for 2000–2099"):
        is_working_day(date(2100, 1, 4))
