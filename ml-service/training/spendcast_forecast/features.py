"""Model input rows, as FEATURES.md specifies and `ml-service/src/forecast/features.ts` computes them at serving."""

from __future__ import annotations

import numpy as np

from .periods import position_in_year, season_length
from .series import Series

FEATURE_SPEC_VERSION = 2
LAGS = 12
SEASONAL_YEARS = 3
MAX_HISTORY_YEARS = 3

FEATURE_NAMES: list[str] = [
    *(f"lag_{i}" for i in range(1, LAGS + 1)),
    "mean_3",
    "mean_6",
    "mean_season",
    "std_season",
    "zero_share_season",
    "periods_since_nonzero",
    "seasonal_lag",
    "seasonal_mean",
    "horizon",
    "position_in_year",
    "is_weekly",
    "history_years",
    # Spec 2: levels over a quarter and a half of the season (13 and 26 weeks reach past the 12 lags), and their
    # medians, which one large purchase does not move. Appended, so features 1-24 keep their places.
    "mean_quarter",
    "mean_half",
    "median_quarter",
    "median_half",
]


def series_scale(values: np.ndarray) -> float:
    """Mean absolute value of the last 12 periods, else of the whole history, else 1 (all zeros)."""
    recent = float(np.mean(np.abs(values[-LAGS:]))) if len(values) else 0.0
    if recent > 0:
        return recent
    overall = float(np.mean(np.abs(values))) if len(values) else 0.0
    return overall if overall > 0 else 1.0


def _history_features(values: np.ndarray, season: int, scale: float) -> list[float]:
    count = len(values)
    lags = [values[count - i] / scale if i <= count else np.nan for i in range(1, LAGS + 1)]
    year = values[-season:]
    nonzero = np.flatnonzero(values)
    since_nonzero = min(count - 1 - int(nonzero[-1]), season) if len(nonzero) else season
    return [
        *lags,
        np.mean(values[-3:]) / scale,
        np.mean(values[-6:]) / scale,
        np.mean(year) / scale,
        np.std(year) / scale,
        np.count_nonzero(year == 0) / len(year),
        since_nonzero,
    ]


def _target_features(series: Series, horizon: int, season: int, scale: float) -> list[float]:
    values = series.values
    target = len(values) - 1 + horizon
    same_season = [values[target - k * season] for k in range(1, SEASONAL_YEARS + 1) if target - k * season >= 0]
    return [
        values[target - season] / scale if target - season >= 0 else np.nan,
        np.mean(same_season) / scale if same_season else np.nan,
        horizon,
        position_in_year(series.period(target), series.interval),
        1.0 if series.interval == "week" else 0.0,
        min(len(values), MAX_HISTORY_YEARS * season) / season,
    ]


def _level_features(values: np.ndarray, season: int, scale: float) -> list[float]:
    quarter, half = values[-(season // 4) :], values[-(season // 2) :]
    return [np.mean(quarter) / scale, np.mean(half) / scale, np.median(quarter) / scale, np.median(half) / scale]


def feature_rows(series: Series, horizon: int) -> np.ndarray:
    """float32 [horizon, len(FEATURE_NAMES)]: one row per period after the history, in FEATURE_NAMES order."""
    if len(series) == 0:
        raise ValueError(f"series {series.id} has no history")
    season = season_length(series.interval)
    scale = series_scale(series.values)
    shared = _history_features(series.values, season, scale)
    levels = _level_features(series.values, season, scale)
    rows = [shared + _target_features(series, h, season, scale) + levels for h in range(1, horizon + 1)]
    return np.asarray(rows, dtype=np.float32)
