"""Spend series from the shared real data sets (see /work/shared/data/README.md) or from a product export CSV.

Every source becomes rows of (series_id, period, amount, last_period) and then `Series`: a series starts at its
first period with spending and runs, zeros included, to its last period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from .periods import INTERVALS, Interval, add_periods, is_period_start, period_start, periods_between
from .series import Series

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"

# Calderdale transactions are dated by purchase but published by posting month; the months after 2022-03 are
# still filling in (a third to a fifth of the usual count), so they would read as a collapse in spending.
CALDERDALE_FIRST_DAY = dt.date(2014, 10, 1)
CALDERDALE_LAST_DAY = dt.date(2022, 3, 31)
BERKA_LAST_DAY = dt.date(1994, 3, 31)


def _period_starts(days: pd.Series, interval: Interval) -> pd.Series:
    days = pd.to_datetime(days)
    starts = days.dt.to_period("M").dt.start_time if interval == "month" else days - pd.to_timedelta(days.dt.weekday, unit="D")
    return starts.dt.date


def _last_full_period(last_day: dt.date, interval: Interval) -> dt.date:
    """The last period that ends on or before `last_day`."""
    start = period_start(last_day, interval)
    ends_in_time = add_periods(start, interval, 1) - dt.timedelta(days=1) == last_day
    return start if ends_in_time else add_periods(start, interval, -1)


def series_from_rows(rows: pd.DataFrame, interval: Interval, source: str) -> list[Series]:
    """rows: series_id, period (period start), amount, last_period. Amounts in one period add up."""
    totals = rows.groupby(["series_id", "period"], sort=True)["amount"].sum()
    last_periods = rows.groupby("series_id")["last_period"].max()
    built = []
    for series_id, amounts in totals.groupby(level="series_id"):
        spent = amounts[amounts != 0]
        if spent.empty:
            continue
        periods = spent.index.get_level_values("period")
        first, last = periods.min(), last_periods[series_id]
        values = np.zeros(periods_between(first, last, interval) + 1)
        for period, amount in zip(periods, spent.to_numpy()):
            if period <= last:
                values[periods_between(first, period, interval)] = amount
        built.append(Series(str(series_id), interval, first, values, source))
    return built


def calderdale(data_dir: Path, interval: Interval) -> list[Series]:
    """Group-level series: the council, each service, each expense type and (monthly) each service x type."""
    raw = pd.read_csv(
        data_dir / "calderdale-pcard" / "calderdale_pcard_2014-10_to_2022-08.csv",
        usecols=["Transaction Date", "Net Amount", "Expense Area", "Expense Type"],
    )
    days = pd.to_datetime(raw["Transaction Date"]).dt.date
    raw = raw[(days >= CALDERDALE_FIRST_DAY) & (days <= CALDERDALE_LAST_DAY)]
    # "Directorate-Service": directorates were renamed and marked "(obsolete)" over the years, services kept.
    service = raw["Expense Area"].str.split("-", n=1).str[-1].str.strip().replace("", "Unassigned")
    expense_type = raw["Expense Type"].fillna("Unassigned").str.strip()
    period = _period_starts(raw["Transaction Date"], interval)
    keys = [pd.Series("total", index=raw.index), "service:" + service, "type:" + expense_type]
    if interval == "month":
        keys.append("service:" + service + "|type:" + expense_type)
    last = _last_full_period(CALDERDALE_LAST_DAY, interval)
    rows = pd.concat(
        pd.DataFrame({"series_id": "calderdale/" + key, "period": period, "amount": raw["Net Amount"], "last_period": last})
        for key in keys
    )
    return series_from_rows(rows[rows["period"] <= last], interval, "calderdale")


def au_parliament(data_dir: Path) -> list[Series]:
    """Person-level monthly series: each person's total and each person x category, until the person's last month."""
    raw = pd.read_csv(data_dir / "au-parliament-expenses" / "monthly.csv")
    period = pd.to_datetime(raw["month"] + "-01").dt.date
    last = period.groupby(raw["person_id"]).transform("max")
    rows = pd.concat(
        [
            pd.DataFrame({"series_id": "au/" + raw["person_id"] + "/total", "period": period, "amount": raw["amount"], "last_period": last}),
            pd.DataFrame({"series_id": "au/" + raw["person_id"] + "/" + raw["category"], "period": period, "amount": raw["amount"], "last_period": last}),
        ]
    )
    return series_from_rows(rows, "month", "au-parliament")


def berka(data_dir: Path, interval: Interval) -> list[Series]:
    """Cold-start personal series: each account's outgoing payments and withdrawals, 1993-01 .. 1994-03."""
    raw = pd.read_csv(data_dir / "berka-sample" / "trans_PARTIAL_first_rows.asc", sep=";", usecols=["account_id", "date", "type", "amount"])
    raw = raw[raw["type"].isin(["VYDAJ", "VYBER"])]
    days = pd.to_datetime(raw["date"].astype(str), format="%y%m%d")
    last = _last_full_period(BERKA_LAST_DAY, interval)
    rows = pd.DataFrame({"series_id": "berka/" + raw["account_id"].astype(str), "period": _period_starts(days, interval), "amount": raw["amount"], "last_period": last})
    return series_from_rows(rows[rows["period"] <= last], interval, "berka")


def shared_series(data_dir: Path = DEFAULT_DATA_DIR) -> list[Series]:
    """Every series the shipped model learns from."""
    return [
        *calderdale(data_dir, "month"),
        *calderdale(data_dir, "week"),
        *au_parliament(data_dir),
        *berka(data_dir, "month"),
        *berka(data_dir, "week"),
    ]


def csv_series(path: Path, source: str = "csv") -> list[Series]:
    """A product export: columns series_id, interval (month|week), period (ISO date starting it), amount.

    A series runs from its first to its last listed period; periods not listed count as zero spend.
    """
    raw = pd.read_csv(path, dtype={"series_id": str, "interval": str, "period": str, "amount": float})
    missing = {"series_id", "interval", "period", "amount"} - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    raw["period"] = pd.to_datetime(raw["period"], format="%Y-%m-%d").dt.date
    built: list[Series] = []
    for interval, rows in raw.groupby("interval"):
        if interval not in INTERVALS:
            raise ValueError(f"{path}: unknown interval {interval!r}")
        bad = rows[~rows["period"].map(lambda day: is_period_start(day, interval))]
        if not bad.empty:
            raise ValueError(f"{path}: {bad['period'].iloc[0]} does not start a {interval}")
        rows = rows.assign(last_period=rows.groupby("series_id")["period"].transform("max"))
        built += series_from_rows(rows, interval, source)
    return built
