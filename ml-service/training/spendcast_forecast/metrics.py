"""Backtest metrics over forecast rows: series_id, y, p10, p50, p90 and the series' MASE scale."""

from __future__ import annotations

import numpy as np
import pandas as pd


def mase_scale(history: np.ndarray, season: int) -> float:
    """In-sample MAE of the seasonal naive forecast (of the naive one while the history is at most one season
    long, as the seasonal one needs a value a season back); 0 for a single value or a constant history, which
    MASE cannot score."""
    lag = season if len(history) > season else 1
    if len(history) <= lag:
        return 0.0
    return float(np.mean(np.abs(history[lag:] - history[:-lag])))


def summarize(rows: pd.DataFrame) -> dict[str, float]:
    """maseMean / maseMedian over series, pooled WAPE, p10..p90 coverage and the mean interval width
    (in units of each series' MASE scale, so series of any size weigh alike)."""
    error = (rows["y"] - rows["p50"]).abs()
    per_series = (error / rows["scale"]).groupby(rows["series_id"]).mean()
    return {
        "maseMean": float(per_series.mean()),
        "maseMedian": float(per_series.median()),
        "wape": float(error.sum() / rows["y"].abs().sum()),
        "coverage": float(((rows["y"] >= rows["p10"]) & (rows["y"] <= rows["p90"])).mean()),
        "meanWidth": float(((rows["p90"] - rows["p10"]) / rows["scale"]).mean()),
        "series": int(rows["series_id"].nunique()),
        "forecasts": len(rows),
    }
