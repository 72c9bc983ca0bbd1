"""The forecast for histories too short for the model; `ml-service/src/forecast/fallback.ts` is its twin."""

from __future__ import annotations

import numpy as np

from .quantiles import forecast_floor, to_money

WINDOW = 12
NO_HISTORY = "no-history"
RECENT_MEAN = "recent-mean"


def fallback_forecast(values: np.ndarray, horizon: int) -> tuple[str, np.ndarray]:
    """(method, [horizon, 3] p10/p50/p90): the recent mean, with the recent 10th/90th percentiles as range."""
    if len(values) == 0:
        return NO_HISTORY, np.zeros((horizon, 3))
    recent = values[-WINDOW:]
    row = [np.quantile(recent, 0.1), np.mean(recent), np.quantile(recent, 0.9)]
    return RECENT_MEAN, to_money(np.tile(row, (horizon, 1)), 1.0, forecast_floor(values))
