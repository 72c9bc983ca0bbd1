import datetime as dt

import numpy as np
import pytest

from spendcast_forecast.metrics import mase_scale
from spendcast_forecast.model import MASE_WEIGHT_BOUNDS, build_examples, mase_weights
from spendcast_forecast.series import Series


def test_each_row_knows_the_mase_scale_of_its_history_and_nothing_later():
    values = np.array([5.0, 7.0, 6.0, 9.0, 4.0, 8.0] * 5)
    examples = build_examples([Series("s", "month", dt.date(2020, 1, 1), values, "test")], max_horizon=2)
    for origin, scale in zip(examples.origin, examples.mase_scale):
        assert scale == pytest.approx(mase_scale(values[:origin], 12))
    # the naive MAE while the history is at most one season long, the seasonal one from origin 13; nothing for a single value
    assert examples.mase_scale[examples.origin == 1][0] == 0
    assert examples.mase_scale[examples.origin == 13][0] == pytest.approx(np.mean(np.abs(values[12:13] - values[:1])))


def test_the_p50_weights_follow_scale_over_mase_scale_bounded_and_average_one():
    examples = build_examples([Series("s", "month", dt.date(2020, 1, 1), np.arange(1.0, 6.0), "test")], max_horizon=1)
    examples.scale = np.array([1.0, 2.0, 4.0, 4.0])
    examples.mase_scale = np.array([1.0, 1.0, 0.0, 1e-9])
    raw = np.array([1.0, 2.0, 1.0, MASE_WEIGHT_BOUNDS[1]])  # an undefined MASE scale weighs 1, a tiny one is capped
    np.testing.assert_allclose(mase_weights(examples), raw / raw.mean())
