"""The anchors the model must beat: seasonal naive, naive, AutoETS and AutoARIMA (statsforecast) and Prophet.

Each gives p10/p50/p90 as its own 80 % interval. The statsforecast models are fitted once at the first origin
of the window and then rolled forward with each new observation (`refit=False`), as the global model is trained
once before the window; Prophet keeps no state to roll forward, so it is refitted at every origin.
"""

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
# statsforecast's ETS accepts seasons of at most 24 periods, and a seasonal ARIMA over 52-week seasons takes
# minutes per fit: weekly series get the non-seasonal ETS and ARIMA (seasonal naive still uses 52).
MAX_MODEL_SEASON = 24


def statsforecast_rolling(histories: Sequence[Series], origins: int, horizon: int, jobs: int) -> pd.DataFrame:
    """Forecasts from the last `origins` origins of each history that leave room for `horizon` periods:
    columns history (index into `histories`), origin (history length), horizon, method, p10, p50, p90."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, Naive, SeasonalNaive

    season = season_length(histories[0].interval)
    model_season = season if season <= MAX_MODEL_SEASON else 1
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(len(histories)), [len(h) for h in histories]),
            "ds": np.concatenate([np.arange(len(h)) for h in histories]),
            "y": np.concatenate([h.values for h in histories]),
        }
    )
    models = [SeasonalNaive(season_length=season), Naive(), AutoETS(season_length=model_season), AutoARIMA(season_length=model_season)]
    cv = StatsForecast(models=models, freq=1, n_jobs=jobs).cross_validation(
        df=frame, h=horizon, n_windows=origins, step_size=1, level=[80], refit=False
    )
    base = pd.DataFrame({"history": cv["unique_id"].astype(int), "origin": cv["cutoff"] + 1, "horizon": cv["ds"] - cv["cutoff"]})
    return pd.concat(
        base.assign(method=method, p10=cv[f"{column}-lo-80"], p50=cv[column], p90=cv[f"{column}-hi-80"])
        for column, method in STATSFORECAST_METHODS.items()
    )


def _prophet_one(task: tuple[Series, int]) -> np.ndarray:
    from prophet import Prophet

    history, horizon = task
    days = pd.to_datetime([history.period(i) for i in range(len(history) + horizon)])
    model = Prophet(
        yearly_seasonality=len(history) >= 2 * season_length(history.interval),
        weekly_seasonality=False,
        daily_seasonality=False,
        interval_width=0.8,
        uncertainty_samples=200,
    )
    model.fit(pd.DataFrame({"ds": days[: len(history)], "y": history.values}))
    predicted = model.predict(pd.DataFrame({"ds": days[len(history) :]}))
    return predicted[["yhat_lower", "yhat", "yhat_upper"]].to_numpy(dtype=np.float64)


def _quiet_prophet() -> None:
    for name in ("prophet", "cmdstanpy"):
        logger = logging.getLogger(name)
        # cmdstanpy sets up its logger (INFO, to stderr) on first use unless it has a handler already:
        # without this, each fit writes two lines, which retraining forwards to the product's log.
        logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.ERROR)


def prophet_forecasts(histories: Sequence[Series], horizon: int, jobs: int) -> np.ndarray:
    """[len(histories), horizon, 3]: one fit per history, in `jobs` processes."""
    with get_context("spawn").Pool(jobs, initializer=_quiet_prophet) as pool:
        return np.stack(pool.map(_prophet_one, [(history, horizon) for history in histories], chunksize=4))
