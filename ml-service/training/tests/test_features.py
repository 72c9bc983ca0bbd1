import datetime as dt

import numpy as np
import pytest

from spendcast_forecast.features import FEATURE_NAMES, feature_rows, series_scale
from spendcast_forecast.series import Series


def row(series: Series, horizon: int = 1) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, feature_rows(series, horizon)[horizon - 1].tolist()))


def months(values, first=dt.date(2022, 11, 1)) -> Series:
    return Series("s", "month", first, np.asarray(values, dtype=float), "test")


def test_a_short_history_leaves_missing_lags_and_seasons_as_nan():
    features = row(months([10.0, 20.0, 30.0]))
    assert features["lag_1"] == pytest.approx(30 / 20)  # scale = mean |v| = 20
    assert features["lag_3"] == pytest.approx(10 / 20)
    assert np.isnan(features["lag_4"]) and np.isnan(features["seasonal_lag"]) and np.isnan(features["seasonal_mean"])
    assert features["mean_6"] == pytest.approx(1.0)
    assert features["history_years"] == pytest.approx(3 / 12)


def test_the_target_period_sets_horizon_position_and_seasonal_lag():
    values = np.arange(1.0, 27.0)  # 2022-11 .. 2024-12, the target of horizon 2 is 2025-02
    scale = series_scale(values)
    features = row(months(values), horizon=2)
    assert features["horizon"] == 2
    assert features["position_in_year"] == 2
    # index 27 (2025-02) minus 12 is index 15, minus 24 is index 3
    assert features["seasonal_lag"] == pytest.approx(16 / scale)
    assert features["seasonal_mean"] == pytest.approx((16 + 4) / 2 / scale)


def test_scale_falls_back_to_the_whole_history_then_to_one():
    assert series_scale(np.array([600.0] + [0.0] * 12)) == pytest.approx(600 / 13)
    assert series_scale(np.zeros(5)) == 1.0
    assert row(months([0.0] * 5))["periods_since_nonzero"] == 12


def test_intermittent_spending_counts_zeros_and_periods_since_the_last_purchase():
    features = row(months([5.0, 0.0, 7.0, 0.0, 0.0]))
    assert features["zero_share_season"] == pytest.approx(3 / 5)
    assert features["periods_since_nonzero"] == 2
    assert features["std_season"] == pytest.approx(np.std([5, 0, 7, 0, 0]) / (12 / 5))


def test_weekly_rows_use_iso_weeks_and_52_week_seasons():
    values = np.ones(60)
    series = Series("w", "week", dt.date(2018, 12, 31), values, "test")
    features = row(series)
    assert features["is_weekly"] == 1
    assert features["position_in_year"] == 9  # the 61st week from 2018-12-31 is 2020-02-24
    assert features["history_years"] == pytest.approx(60 / 52)
    assert features["seasonal_lag"] == 1.0


def test_rows_share_the_history_features_and_are_float32():
    rows = feature_rows(months(np.linspace(10, 40, 14)), 4)
    assert rows.dtype == np.float32 and rows.shape == (4, len(FEATURE_NAMES))
    history = FEATURE_NAMES.index("periods_since_nonzero") + 1
    assert (rows[:, :history] == rows[0, :history]).all()
    levels = FEATURE_NAMES.index("mean_quarter")
    assert levels == 24 and (rows[:, levels:] == rows[0, levels:]).all()


def test_weekly_levels_reach_back_a_quarter_and_half_a_year_and_medians_ignore_one_large_purchase():
    values = np.full(40, 10.0)
    values[-25:-13] = 40.0  # 26 weeks back reach into these, 13 do not
    values[-2] = 1000.0
    features = row(Series("w", "week", dt.date(2020, 1, 6), values, "test"))
    scale = series_scale(values)
    assert features["mean_quarter"] == pytest.approx((12 * 10 + 1000) / 13 / scale)
    assert features["mean_half"] == pytest.approx((13 * 10 + 12 * 40 + 1000) / 26 / scale)
    assert features["median_quarter"] == pytest.approx(10 / scale)
    assert features["median_half"] == pytest.approx((10 + 40) / 2 / scale)  # 13 tens, 12 forties, 1000: the middle two


def test_monthly_levels_over_a_short_history_use_what_there_is():
    features = row(months([10.0, 20.0, 60.0, 30.0, 50.0]))  # scale = mean |v| = 34
    assert features["mean_quarter"] == pytest.approx(140 / 3 / 34)
    assert features["mean_half"] == pytest.approx(1.0)
    assert features["median_quarter"] == pytest.approx(50 / 34)
    assert features["median_half"] == pytest.approx(30 / 34)
