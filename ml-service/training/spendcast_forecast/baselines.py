"""The anchors the model must beat, refitted at every backtest origin: seasonal naive, naive, AutoETS and
AutoARIMA (statsforecast) and Prophet. Each returns p10/p50/p90 from its own 80 % interval."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from multiprocessing import get_context

import numpy as np
import pandas as pd

from .periods import season_length
from .series import Series

STATSFORECAST_METHODS = {"SeasonalNaive": "seasonal-naive", "Naive": "naive", "AutoETS": "auto-ets", "AutoARIMA": "auto-arima"}
PROPHET = "prophet"
ANCHORS = (*STATSFORECAST_METHODS.values(), PROPHET)


def statsforecast_forecasts(histories: Sequence[Series], horizon: int, jobs: int) -> dict[str, np.ndarray]:
    """method -> [len(histories), horizon, 3]. Histories share one interval."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, Naive, SeasonalNaive

    season = season_length(histories[0].interval)
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(len(histories)), [len(h) for h in histories]),
            "ds": np.concatenate([np.arange(len(h)) for h in histories]),
            "y": np.concatenate([h.values for h in histories]),
        }
    )
    # statsforecast's ETS takes seasons of at most 24 periods; weekly data gets the non-seasonal ETS.
    ets_season = season if season <= 24 else 1
    models = [SeasonalNaive(season_length=season), Naive(), AutoETS(season_length=ets_season), AutoARIMA(season_length=season)]
    forecast = StatsForecast(models=models, freq=1, n_jobs=jobs).forecast(df=frame, h=horizon, level=[80])
    forecast = forecast.sort_values(["unique_id", "ds"])
    result = {}
    for column, method in STATSFORECAST_METHODS.items():
        quantiles = forecast[[f"{column}-lo-80", column, f"{column}-hi-80"]].to_numpy(dtype=np.float64)
        result[method] = quantiles.reshape(len(histories), horizon, 3)
    return result


def _prophet_one(task: tuple[Series, int]) -> np.ndarray:
    from prophet import Prophet

    history, horizon = task
    frame = pd.DataFrame({"ds": pd.to_datetime([history.period(i) for i in range(len(history) + horizon)]), "y": np.append(history.values, [np.nan] * horizon)})
    model = Prophet(
        yearly_seasonality=len(history) >= 2 * season_length(history.interval),
        weekly_seasonality=False,
        daily_seasonality=False,
        interval_width=0.8,
        uncertainty_samples=200,
    )
    model.fit(frame.iloc[: len(history)])
    predicted = model.predict(frame.iloc[len(history) :][["ds"]])
    return predicted[["yhat_lower", "yhat", "yhat_upper"]].to_numpy(dtype=np.float64)


def _quiet_prophet() -> None:
    for name in ("prophet", "cmdstanpy"):
        logging.getLogger(name).setLevel(logging.ERROR)


def prophet_forecasts(histories: Sequence[Series], horizon: int, jobs: int) -> np.ndarray:
    """[len(histories), horizon, 3], one fit per history in `jobs` processes."""
    with get_context("spawn").Pool(jobs, initializer=_quiet_prophet) as pool:
        return np.stack(pool.map(_prophet_one, [(history, horizon) for history in histories], chunksize=4))
