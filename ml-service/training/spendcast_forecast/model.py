"""The global model: one LightGBM quantile regressor per quantile over every series, on scaled targets.

Intervals are widened by a conformal offset (in units of the series scale) measured on a later, unseen fold,
so p10..p90 covers about 80 % of outcomes in practice, not only in the training loss.

The p50 regressor weighs each row by how much its error counts in MASE, the backtest's measure: the target is in
units of the series scale (mean |v| of the last 12 periods), MASE divides the same error by the in-sample
seasonal-naive MAE of the history, so a row's pinball loss times scale / that MAE (of the history up to the row's
origin, nothing later) is its share of the series' MASE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np

from .features import FEATURE_NAMES, feature_rows, series_scale
from .metrics import mase_scale
from .periods import season_length
from .quantiles import forecast_floor, to_money
from .series import Series

QUANTILES = (0.1, 0.5, 0.9)
TARGET_COVERAGE = 0.8
MAX_HORIZON = 6

# Small leaves and strong regularisation: per-series noise is large and many series are short.
LGBM_PARAMS: dict[str, object] = {
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 100,
    "bagging_fraction": 0.7,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "lambda_l2": 1.0,
    "verbose": -1,
    # One thread: on a shared 2-core machine LightGBM's OpenMP threads spin-wait and run ~25x slower.
    "num_threads": 1,
}
ROUNDS = 400
# Rows drawn for each fit: more adds minutes on 2 cores and little accuracy (neighbouring origins of one series
# are nearly the same row).
MAX_TRAINING_ROWS = 400_000
# Bounds of the p50 row weights (scale / MASE scale) before they are brought to mean 1: a history whose seasonal
# naive forecast was nearly perfect would otherwise outweigh thousands of rows.
MASE_WEIGHT_BOUNDS = (0.1, 10.0)


@dataclass
class Examples:
    """Model rows with the scaled target and, per row, where the forecast sits in which series."""

    features: np.ndarray
    target: np.ndarray
    scale: np.ndarray
    series_index: np.ndarray
    origin: np.ndarray  # history length when forecasting
    horizon: np.ndarray
    floor: np.ndarray  # quantiles.forecast_floor of the history
    mase_scale: np.ndarray  # metrics.mase_scale of the history: what MASE would divide this row's error by

    @property
    def target_index(self) -> np.ndarray:
        return self.origin - 1 + self.horizon

    def subset(self, mask: np.ndarray) -> Examples:
        return Examples(*(getattr(self, name)[mask] for name in self.__dataclass_fields__))


def build_examples(series_list: list[Series], max_horizon: int = MAX_HORIZON) -> Examples:
    """Every forecast the data allows: from each history length, each horizon whose target was observed."""
    features, target, scale, index, origin, horizon, floor, mase = [], [], [], [], [], [], [], []
    for i, series in enumerate(series_list):
        season = season_length(series.interval)
        for length in range(1, len(series)):
            usable = min(max_horizon, len(series) - length)
            history = series.head(length)
            s = series_scale(history.values)
            features.append(feature_rows(history, usable))
            target.append(series.values[length : length + usable] / s)
            scale += [s] * usable
            index += [i] * usable
            origin += [length] * usable
            horizon += range(1, usable + 1)
            floor += [forecast_floor(history.values)] * usable
            mase += [mase_scale(history.values, season)] * usable
    return Examples(
        features=np.concatenate(features) if features else np.empty((0, len(FEATURE_NAMES)), dtype=np.float32),
        target=np.concatenate(target) if target else np.empty(0),
        scale=np.asarray(scale, dtype=np.float64),
        series_index=np.asarray(index, dtype=np.int64),
        origin=np.asarray(origin, dtype=np.int64),
        horizon=np.asarray(horizon, dtype=np.int64),
        floor=np.asarray(floor, dtype=np.float64),
        mase_scale=np.asarray(mase, dtype=np.float64),
    )


def mase_weights(examples: Examples) -> np.ndarray:
    """Per row, scale / MASE scale (1 where the MASE scale is 0), bounded, then scaled to mean 1."""
    defined = examples.mase_scale > 0
    weights = np.ones(len(examples.target))
    weights[defined] = examples.scale[defined] / examples.mase_scale[defined]
    weights = np.clip(weights, *MASE_WEIGHT_BOUNDS)
    return weights / weights.mean() if len(weights) else weights


@dataclass
class QuantileModel:
    boosters: list[lgb.Booster]
    # Taken from p10 and added to p90, in units of the series scale.
    widening: float = 0.0

    def predict_raw(self, features: np.ndarray) -> np.ndarray:
        """[n, 3] scaled p10/p50/p90 as the regressors give them, before widening."""
        return np.column_stack([booster.predict(features) for booster in self.boosters])

    def predict_scaled(self, features: np.ndarray) -> np.ndarray:
        """[n, 3] scaled p10/p50/p90 as the exported ONNX graph computes them (not yet sorted)."""
        return self.predict_raw(features) + np.array([-self.widening, 0.0, self.widening])

    def forecast(self, examples: Examples) -> np.ndarray:
        """[n, 3] p10/p50/p90 in money, as serving returns them."""
        return to_money(self.predict_scaled(examples.features), examples.scale, examples.floor)


def fit(training: Examples, seed: int = 7, rounds: int = ROUNDS, max_rows: int = MAX_TRAINING_ROWS) -> QuantileModel:
    if len(training.target) > max_rows:
        drawn = np.random.default_rng(seed).choice(len(training.target), size=max_rows, replace=False)
        training = training.subset(np.sort(drawn))
    plain = lgb.Dataset(training.features, training.target, feature_name=FEATURE_NAMES, free_raw_data=False)
    # Only the median is scored by MASE. Coverage counts rows unweighted: weighted p10 and p90 drift off those
    # quantiles (on the validation windows they lowered coverage to 0.75).
    weighted = lgb.Dataset(training.features, training.target, weight=mase_weights(training), feature_name=FEATURE_NAMES, free_raw_data=False)
    boosters = []
    for alpha in QUANTILES:
        params = {**LGBM_PARAMS, "objective": "quantile", "alpha": alpha, "seed": seed}
        dataset = weighted if alpha == 0.5 else plain
        boosters.append(float32_thresholds(lgb.train(params, dataset, num_boost_round=rounds)))
    return QuantileModel(boosters)


def _float32_threshold(text: str) -> str:
    threshold = float(text)
    rounded = np.float32(threshold)
    if rounded > threshold:
        rounded = np.nextafter(rounded, np.float32(-np.inf))
    return repr(float(rounded))


def float32_thresholds(booster: lgb.Booster) -> lgb.Booster:
    """The same trees with each split threshold moved down to the largest float32 not above it.

    LightGBM keeps thresholds as doubles; ONNX tree ensembles keep float32. Rounded to nearest, a threshold can
    land on the far side of a float32 feature value and send that row down the other branch (off by a whole
    leaf). For float32 inputs, `x <= t` holds exactly when `x <= largest float32 <= t`, so after this the
    booster and its ONNX export take the same branch on every row.
    """
    text = re.sub(
        r"^threshold=(.*)$",
        lambda line: "threshold=" + " ".join(_float32_threshold(value) for value in line.group(1).split()),
        booster.model_to_string(),
        flags=re.MULTILINE,
    )
    # The byte sizes of the trees changed; without them LightGBM parses the trees one after another.
    return lgb.Booster(model_str=re.sub(r"^tree_sizes=.*\n", "", text, flags=re.MULTILINE))


def conformal_widening(raw: np.ndarray, target: np.ndarray, coverage: float = TARGET_COVERAGE) -> float:
    """Split-conformal offset (conformalised quantile regression) that makes [p10 - w, p90 + w] cover `coverage`
    of the given out-of-sample rows; negative when the raw intervals are too wide, 0 without rows."""
    if len(target) == 0:
        return 0.0
    scores = np.maximum(raw[:, 0] - target, target - raw[:, 2])
    level = min(1.0, np.ceil((len(scores) + 1) * coverage) / len(scores))
    return float(np.quantile(scores, level))
