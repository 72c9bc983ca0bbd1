import datetime as dt

import numpy as np
import pandas as pd

from spendcast_forecast.backtest import FALLBACK, HORIZON, MODEL, ORIGINS, WINDOW, Folds, choose_min_history
from spendcast_forecast.model import build_examples
from spendcast_forecast.series import Series


def toy_folds():
    ongoing = Series("ongoing", "month", dt.date(2018, 1, 1), np.arange(1.0, 41.0), "org")
    stopped = Series("stopped", "month", dt.date(2018, 6, 1), np.arange(1.0, 31.0), "org")  # ends 5 months before
    series = [ongoing, stopped]
    return series, Folds(series), build_examples(series)


def test_the_test_window_holds_twelve_origins_times_three_horizons_of_series_alive_at_the_end():
    series, folds, examples = toy_folds()
    window = examples.subset(folds.window_mask(examples, 0))
    assert set(window.series_index) == {0}
    assert len(window.target) == ORIGINS * HORIZON
    assert sorted(set(window.origin)) == list(range(40 - WINDOW, 40 - HORIZON + 1))
    assert window.target_index.min() == 40 - WINDOW and window.target_index.max() == 39


def test_the_model_for_a_window_never_sees_a_target_inside_or_after_it():
    series, folds, examples = toy_folds()
    for back in (0, WINDOW):
        training = examples.subset(folds.training_mask(examples, back))
        first_window_period = {i: s.period(folds.window_end(s, back) - WINDOW + 1) for i, s in enumerate(series)}
        targets = [series[i].period(t) for i, t in zip(training.series_index, training.target_index)]
        assert all(day < first_window_period[i] for i, day in zip(training.series_index, targets))
        # one source, one window: it ends on the same date for the series that stopped early
        assert series[1].period(folds.window_end(series[1], back)) == series[0].period(39 - back)


def test_min_history_is_where_the_model_wins_from_then_on():
    study = pd.DataFrame(
        [
            {"interval": "month", "length": length, "method": method, "maseMean": mase}
            for length, model, fallback in [(1, 1.5, 1.2), (2, 1.1, 1.2), (3, 1.3, 1.2), (4, 1.0, 1.2), (6, 0.9, 1.2), (9, 0.8, 1.2), (12, 0.8, 1.1), (18, 0.7, 1.1), (24, 0.7, 1.1)]
            for method, mase in ((MODEL, model), (FALLBACK, fallback))
        ]
    )
    assert choose_min_history(study, "month") == 4  # the model also wins at 2, but loses again at 3
    assert choose_min_history(study.iloc[0:0], "week") == 52
    longest_lost = study[study["length"] <= 12].copy()
    longest_lost.loc[(longest_lost["length"] == 12) & (longest_lost["method"] == MODEL), "maseMean"] = 2.0
    assert choose_min_history(longest_lost, "month") == 24
