import numpy as np
import pandas as pd
import pytest

from spendcast_forecast.metrics import mase_scale, summarize


def test_the_mase_scale_is_the_in_sample_seasonal_naive_error():
    history = np.array([1.0, 2.0, 3.0, 4.0, 3.0, 6.0])
    assert mase_scale(history, 2) == pytest.approx(np.mean([2, 2, 0, 2]))
    assert mase_scale(history, 12) == pytest.approx(np.mean([1, 1, 1, 1, 3]))  # too short: naive instead
    assert mase_scale(np.full(30, 4.0), 12) == 0.0


def test_summary_of_two_toy_series_with_known_errors():
    rows = pd.DataFrame(
        {
            "series_id": [0, 0, 1, 1],
            "y": [10.0, 20.0, 100.0, 100.0],
            "p50": [12.0, 20.0, 90.0, 130.0],
            "p10": [8.0, 21.0, 80.0, 90.0],
            "p90": [14.0, 25.0, 95.0, 140.0],
            "scale": [2.0, 2.0, 10.0, 10.0],
        }
    )
    summary = summarize(rows)
    # series 0: errors 2 and 0 over scale 2 -> 0.5; series 1: errors 10 and 30 over scale 10 -> 2.0
    assert summary["maseMean"] == pytest.approx(1.25)
    assert summary["maseMedian"] == pytest.approx(1.25)
    assert summary["wape"] == pytest.approx(42 / 230)
    assert summary["coverage"] == pytest.approx(2 / 4)  # 20 < 21 and 100 > 95 fall outside
    assert summary["meanWidth"] == pytest.approx(np.mean([6 / 2, 4 / 2, 15 / 10, 50 / 10]))
    assert (summary["series"], summary["forecasts"]) == (2, 4)
