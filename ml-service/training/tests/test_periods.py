import datetime as dt

from spendcast_forecast.periods import add_periods, is_period_start, period_start, periods_between, position_in_year

D = dt.date


def test_months_add_across_year_ends_in_both_directions():
    assert add_periods(D(2021, 11, 1), "month", 3) == D(2022, 2, 1)
    assert add_periods(D(2022, 1, 1), "month", -1) == D(2021, 12, 1)
    assert periods_between(D(2021, 11, 1), D(2022, 2, 1), "month") == 3


def test_weeks_start_on_monday_and_number_by_iso_8601():
    assert period_start(D(2024, 2, 29), "week") == D(2024, 2, 26)
    assert not is_period_start(D(2020, 1, 7), "week")
    assert position_in_year(D(2020, 12, 28), "week") == 53
    assert position_in_year(D(2019, 12, 30), "week") == 1
    assert periods_between(D(2020, 12, 28), D(2021, 1, 11), "week") == 2
