import numpy as np

from spendcast_forecast.fallback import NO_HISTORY, RECENT_MEAN, fallback_forecast
from spendcast_forecast.quantiles import forecast_floor, to_money


def test_crossing_outputs_come_out_sorted_and_unscaled():
    rng = np.random.default_rng(1)
    raw = rng.normal(0, 1, (500, 3))
    money = to_money(raw, 10.0, -np.inf)
    assert (np.diff(money, axis=1) >= 0).all()
    assert np.allclose(np.sort(money, axis=None), np.sort(raw * 10, axis=None))


def test_a_history_without_refunds_never_forecasts_below_zero():
    assert forecast_floor(np.array([3.0, 0.0])) == 0.0
    assert forecast_floor(np.array([3.0, -1.0])) == -np.inf
    money = to_money(np.array([[-0.5, 0.2, -0.1]]), 100.0, 0.0)
    assert money.tolist() == [[0.0, 0.0, 20.0]]


def test_the_fallback_is_the_recent_mean_with_recent_percentiles():
    method, periods = fallback_forecast(np.array([0.0, 10.0, 20.0, 30.0, 40.0]), 2)
    assert method == RECENT_MEAN
    assert np.allclose(periods, [[4.0, 20.0, 36.0]] * 2)  # the 10th percentile sits at position 0.4 of 0..40


def test_the_fallback_reads_only_the_last_twelve_periods_and_forecasts_zero_without_history():
    _, periods = fallback_forecast(np.array([1000.0] * 3 + [5.0] * 12), 1)
    assert periods.tolist() == [[5.0, 5.0, 5.0]]
    assert fallback_forecast(np.array([]), 3)[0] == NO_HISTORY
