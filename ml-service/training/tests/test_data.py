import datetime as dt

import numpy as np
import pytest

from spendcast_forecast import data


def write(tmp_path, text: str):
    path = tmp_path / "series.csv"
    path.write_text(text)
    return path


def test_a_product_export_becomes_series_with_gaps_as_zero_spend(tmp_path):
    path = write(
        tmp_path,
        "series_id,interval,period,amount\n"
        "groceries,month,2023-11-01,120.5\n"
        "groceries,month,2024-02-01,80\n"
        "groceries,month,2023-11-01,9.5\n"
        "rent,week,2024-01-01,300\n"
        "rent,week,2024-01-15,300\n",
    )
    series = {(s.id, s.interval): s for s in data.csv_series(path)}
    groceries = series[("groceries", "month")]
    assert groceries.first_period == dt.date(2023, 11, 1)
    assert groceries.values.tolist() == [130.0, 0.0, 0.0, 80.0]
    assert series[("rent", "week")].values.tolist() == [300.0, 0.0, 300.0]


def test_a_series_starts_at_its_first_spending_not_at_leading_zeros(tmp_path):
    path = write(tmp_path, "series_id,interval,period,amount\nx,month,2024-01-01,0\nx,month,2024-02-01,5\nx,month,2024-03-01,0\n")
    (series,) = data.csv_series(path)
    assert series.first_period == dt.date(2024, 2, 1)
    assert series.values.tolist() == [5.0, 0.0]


@pytest.mark.parametrize(
    ("row", "message"),
    [("x,week,2024-01-02,1", "does not start a week"), ("x,day,2024-01-01,1", "unknown interval"), ("x,month,2024-13-01,1", "2024-13-01")],
)
def test_a_bad_export_is_refused(tmp_path, row, message):
    with pytest.raises(ValueError, match=message):
        data.csv_series(write(tmp_path, f"series_id,interval,period,amount\n{row}\n"))


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(ValueError, match="amount"):
        data.csv_series(write(tmp_path, "series_id,interval,period\nx,month,2024-01-01\n"))


def test_berka_accounts_become_short_outflow_series_ending_with_the_sample():
    months = data.berka(data.DEFAULT_DATA_DIR, "month")
    assert all(s.period(len(s) - 1) == dt.date(1994, 3, 1) for s in months)
    assert max(len(s) for s in months) == 15
    assert all(np.all(s.values >= 0) for s in months)
    weeks = data.berka(data.DEFAULT_DATA_DIR, "week")
    assert {s.period(len(s) - 1) for s in weeks} == {dt.date(1994, 3, 21)}  # the last week that ends in March
