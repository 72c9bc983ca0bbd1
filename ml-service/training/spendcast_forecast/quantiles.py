"""From scaled model outputs to money, the twin of `ml-service/src/forecast/decode.ts`."""

from __future__ import annotations

import numpy as np


def ordered_quantiles(quantiles: np.ndarray, history: np.ndarray) -> np.ndarray:
    """[n, 3] sorted per row so p10 <= p50 <= p90; floored at 0 unless the history itself went negative."""
    floored = np.maximum(quantiles, 0.0) if np.all(history >= 0) else quantiles
    return np.sort(floored, axis=1)


def decode(scaled: np.ndarray, history: np.ndarray, scale: float) -> np.ndarray:
    """Model outputs [n, 3] for one series (in units of its scale) back to money, non-crossing."""
    return ordered_quantiles(np.asarray(scaled, dtype=np.float64) * scale, history)
