"""From scaled model outputs to money, the twin of `ml-service/src/forecast/decode.ts` (FEATURES.md)."""

from __future__ import annotations

import numpy as np


def forecast_floor(history: np.ndarray) -> float:
    """0 for a history that never went negative (spending does not start to), else no floor (refunds)."""
    return 0.0 if np.all(history >= 0) else -np.inf


def to_money(scaled: np.ndarray, scale: np.ndarray | float, floor: np.ndarray | float) -> np.ndarray:
    """[n, 3] scaled p10/p50/p90 -> money: unscaled, floored, sorted per row so quantiles never cross."""
    unscaled = np.asarray(scaled, dtype=np.float64) * np.reshape(scale, (-1, 1))
    return np.sort(np.maximum(unscaled, np.reshape(floor, (-1, 1))), axis=1)
