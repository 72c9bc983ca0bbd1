"""Rolling-origin backtest of the global model against the anchors, and the choices it settles.

Per source (and interval) the data ends on one date. The test window is the last 14 periods: 12 origins, each
forecasting horizons 1-3. The model is trained on targets before the window. The 14 periods before it form the
validation window, where a model trained on still earlier targets settles the two serving choices: the shortest
history from which the model beats the fallback, and the conformal widening of its intervals.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import baselines
from .fallback import fallback_forecast
from .features import feature_rows, series_scale
from .incumbent import Incumbent
from .metrics import mase_scale, summarize
from .model import Examples, QuantileModel, conformal_widening, fit
from .periods import INTERVALS, Interval, periods_between, season_length
from .quantiles import forecast_floor, to_money
from .series import Series

ORIGINS = 12
HORIZON = 3
WINDOW = ORIGINS + HORIZON - 1
MODEL = "spendcast-lgbm"
FALLBACK = "fallback"
SERVED = "served"
# The model serving when the candidate was trained, scored on the candidate's series and origins.
INCUMBENT = "incumbent"
SHORT_HISTORIES: dict[Interval, tuple[int, ...]] = {"month": (1, 2, 3, 4, 6, 9, 12, 18, 24), "week": (1, 2, 4, 8, 13, 26, 52)}
# Sources made of short real histories: reported apart, as what new users get.
COLD_START_SOURCES = ("berka",)

Log = Callable[[str], None]


@dataclass
class BacktestResult:
    # interval -> method -> metrics, on the sampled series every method ran on
    headline: dict[str, dict[str, dict[str, float]]]
    # interval -> the global model on every eligible series, to show the sample is not a lucky draw
    model_all_eligible: dict[str, dict[str, float]]
    # interval -> horizon -> model metrics on the sample
    model_by_horizon: dict[str, dict[int, dict[str, float]]]
    # validation window: interval, length, method, metrics
    short_history: pd.DataFrame
    min_history: dict[str, int]
    widening: float
    # validation window coverage before and after widening, and test window rows the final widening came from
    calibration: dict[str, float]
    # short real histories (Berka): source/interval -> method -> metrics
    cold_start: dict[str, dict[str, dict[str, float]]]
    sample: dict[str, dict[str, int]]
    seconds: dict[str, float] = field(default_factory=dict)
    # Which model the incumbent rows are, whether it could be scored, and whether its training saw the test window.
    incumbent: dict[str, object] | None = None


class Folds:
    """Where each series' windows end: `back` = 0 is the test window, `back` = WINDOW the validation one."""

    def __init__(self, series_list: list[Series]):
        self.series_list = series_list
        self.ends: dict[tuple[str, str], dt.date] = {}
        for series in series_list:
            key = (series.source, series.interval)
            self.ends[key] = max(self.ends.get(key, series.period(len(series) - 1)), series.period(len(series) - 1))

    def window_end(self, series: Series, back: int) -> int:
        """Index in `series` of the window's last period (beyond the series when it stopped earlier)."""
        return periods_between(series.first_period, self.ends[(series.source, series.interval)], series.interval) - back

    def window_ends(self, back: int) -> np.ndarray:
        return np.array([self.window_end(series, back) for series in self.series_list])

    def training_mask(self, examples: Examples, back: int) -> np.ndarray:
        """Rows whose target comes before the window."""
        return examples.target_index <= (self.window_ends(back) - WINDOW)[examples.series_index]

    def window_mask(self, examples: Examples, back: int) -> np.ndarray:
        """Rows forecast from the window's origins at horizons 1..HORIZON, for series alive through the window."""
        end = self.window_ends(back)[examples.series_index]
        alive = (self.window_ends(back) <= np.array([len(s) - 1 for s in self.series_list]))[examples.series_index]
        first_origin = end - WINDOW + 1
        return alive & (examples.horizon <= HORIZON) & (examples.origin >= first_origin) & (examples.origin + HORIZON - 1 <= end)


def _mase_scales(series_list: list[Series], folds: Folds, back: int) -> np.ndarray:
    """Per series, the MASE scale of the history before the window (0 where undefined)."""
    return np.array(
        [mase_scale(s.values[: max(0, folds.window_end(s, back) - WINDOW + 1)], season_length(s.interval)) for s in series_list]
    )


def _rows(method: str, series_list: list[Series], index, origin, horizon, quantiles: np.ndarray, scales: np.ndarray) -> pd.DataFrame:
    index, origin, horizon = (np.asarray(a) for a in (index, origin, horizon))
    return pd.DataFrame(
        {
            "method": method,
            "series_id": index,
            "origin": origin,
            "horizon": horizon,
            "y": [series_list[i].values[o - 1 + h] for i, o, h in zip(index, origin, horizon)],
            "p10": quantiles[:, 0],
            "p50": quantiles[:, 1],
            "p90": quantiles[:, 2],
            "scale": scales[index],
        }
    )


def evaluation_series(series_list: list[Series], folds: Folds, scales: np.ndarray, interval: Interval) -> list[int]:
    """Series alive at the end of their source, with two seasons of history before the test window and spending
    in at least a quarter of the periods of the last one (a series runs to its source's end even after its
    spending stopped for good; forecasting zeros for it proves nothing)."""
    season = season_length(interval)
    return [
        i
        for i, s in enumerate(series_list)
        if s.interval == interval
        and folds.window_end(s, 0) == len(s) - 1
        and len(s) - WINDOW >= 2 * season
        and scales[i] > 0
        and np.count_nonzero(s.values[-WINDOW - season : -WINDOW]) >= season / 4
    ]


def sample_series(eligible: list[int], series_list: list[Series], per_source: int, seed: int) -> list[int]:
    """Up to `per_source` series from each source, so group- and person-level series weigh alike."""
    rng = np.random.default_rng(seed)
    chosen: list[int] = []
    for source in sorted({series_list[i].source for i in eligible}):
        candidates = [i for i in eligible if series_list[i].source == source]
        chosen += sorted(rng.choice(candidates, size=min(per_source, len(candidates)), replace=False).tolist())
    return chosen


def _anchor_rows(series_list: list[Series], chosen: list[int], scales: np.ndarray, jobs: int, log: Log) -> pd.DataFrame:
    """The anchors over the test window of the chosen series (all alive at their source's end)."""
    histories = [series_list[i] for i in chosen]
    started = time.monotonic()
    rolling = baselines.statsforecast_rolling(histories, ORIGINS, HORIZON, jobs)
    log(f"  statsforecast anchors on {len(chosen)} series: {time.monotonic() - started:.0f} s")
    frames = [
        _rows(method, series_list, np.array(chosen)[group["history"]], group["origin"], group["horizon"], group[["p10", "p50", "p90"]].to_numpy(), scales)
        for method, group in rolling.groupby("method")
    ]
    started = time.monotonic()
    tasks = [(i, origin) for i in chosen for origin in range(len(series_list[i]) - WINDOW, len(series_list[i]) - HORIZON + 1)]
    prophet = baselines.prophet_forecasts([series_list[i].head(origin) for i, origin in tasks], HORIZON, jobs)
    log(f"  Prophet on {len(tasks)} histories: {time.monotonic() - started:.0f} s")
    index, origin = (np.repeat([t[k] for t in tasks], HORIZON) for k in (0, 1))
    horizon = np.tile(np.arange(1, HORIZON + 1), len(tasks))
    frames.append(_rows(baselines.PROPHET, series_list, index, origin, horizon, prophet.reshape(-1, 3), scales))
    return pd.concat(frames)


def _model_rows(model: QuantileModel, examples: Examples, series_list: list[Series], scales: np.ndarray) -> pd.DataFrame:
    return _rows(MODEL, series_list, examples.series_index, examples.origin, examples.horizon, model.forecast(examples), scales)


def short_history_study(model: QuantileModel, series_list: list[Series], window: Examples, scales: np.ndarray) -> pd.DataFrame:
    """Model and fallback from the last L periods only, at the window's origins of series with a known MASE
    scale: how short a history the model still beats the fallback on."""
    cases, features, fallbacks = [], [], []
    for i, origin in sorted(set(zip(window.series_index.tolist(), window.origin.tolist()))):
        series = series_list[i]
        if scales[i] <= 0:
            continue
        for length in SHORT_HISTORIES[series.interval]:
            if length > origin:
                continue
            history = series.window(origin - length, origin)
            features.append(feature_rows(history, HORIZON))
            fallbacks.append(fallback_forecast(history.values, HORIZON)[1])
            cases.append((i, origin, length, series_scale(history.values), forecast_floor(history.values)))
    if not cases:
        return pd.DataFrame(columns=["interval", "length", "method"])
    index, origin, length, history_scale, floor = (np.repeat([c[k] for c in cases], HORIZON) for k in range(5))
    horizon = np.tile(np.arange(1, HORIZON + 1), len(cases))
    modelled = to_money(model.predict_scaled(np.concatenate(features)), history_scale, floor)
    frames = []
    for method, quantiles in ((MODEL, modelled), (FALLBACK, np.concatenate(fallbacks))):
        rows = _rows(method, series_list, index, origin, horizon, quantiles, scales)
        frames.append(rows.assign(length=length, interval=[series_list[i].interval for i in index]))
    rows = pd.concat(frames)
    return pd.DataFrame(
        [{"interval": interval, "length": int(length), "method": method, **summarize(group)} for (interval, length, method), group in rows.groupby(["interval", "length", "method"])]
    )


def choose_min_history(study: pd.DataFrame, interval: str) -> int:
    """The shortest studied length from which the model's mean MASE beats the fallback's at every longer studied
    length; the longest candidate length when nothing could be studied or the model loses at the longest."""
    lengths = SHORT_HISTORIES[interval]  # type: ignore[index]
    studied = study[study["interval"] == interval]
    if studied.empty:
        return lengths[-1]
    mase = studied.pivot(index="length", columns="method", values="maseMean")
    chosen = lengths[-1]
    for length in sorted(mase.index, reverse=True):
        if mase.loc[length, MODEL] >= mase.loc[length, FALLBACK]:
            break
        chosen = length
    return int(chosen)


def _fallback(window: Examples, series_list: list[Series]) -> np.ndarray:
    return np.array([fallback_forecast(series_list[i].values[:o], h)[1][h - 1] for i, o, h in zip(window.series_index, window.origin, window.horizon)])


def _served(modelled: np.ndarray, fallback: np.ndarray, window: Examples, series_list: list[Series], min_history: dict[str, int]) -> np.ndarray:
    """What serving answers: the model from `min_history` on, the fallback before (and for an interval without one)."""
    uses_model = window.origin >= np.array([min_history.get(series_list[i].interval, np.inf) for i in window.series_index])
    return np.where(uses_model[:, None], modelled, fallback)


def _served_rows(model: QuantileModel, window: Examples, series_list: list[Series], min_history: dict[str, int], scales: np.ndarray) -> pd.DataFrame:
    fallback = _fallback(window, series_list)
    served = _served(model.forecast(window), fallback, window, series_list, min_history)
    return pd.concat(
        [
            _rows(SERVED, series_list, window.series_index, window.origin, window.horizon, served, scales),
            _rows(FALLBACK, series_list, window.series_index, window.origin, window.horizon, fallback, scales),
        ]
    )


def incumbent_rows(incumbent: Incumbent, window: Examples, series_list: list[Series], scales: np.ndarray) -> pd.DataFrame:
    """The incumbent on the candidate's rows as serving answers with it: its own minHistory, fallback and widening."""
    modelled = to_money(incumbent.predict_scaled(window.features), window.scale, window.floor)
    served = _served(modelled, _fallback(window, series_list), window, series_list, incumbent.min_history)
    return _rows(INCUMBENT, series_list, window.series_index, window.origin, window.horizon, served, scales)


def _describe(incumbent: Incumbent, series_list: list[Series], folds: Folds) -> dict[str, object]:
    test_from = min(s.period(folds.window_end(s, 0) - WINDOW + 1) for s in series_list)
    return {
        "name": incumbent.name,
        "version": incumbent.version,
        "comparable": incumbent.not_comparable is None,
        "reason": incumbent.not_comparable,
        "trainedUntil": incumbent.trained_until.isoformat(),
        # Then its score is partly in-sample, flattering it against the candidate's out-of-sample one.
        "trainedOnTestWindow": incumbent.trained_until >= test_from,
    }


@dataclass
class _Validation:
    min_history: dict[str, int]
    widening: float
    coverage_raw: float | None
    coverage_widened: float | None
    study: pd.DataFrame


def _validate(series_list: list[Series], examples: Examples, folds: Folds, intervals: list[Interval], rounds: int, seed: int) -> _Validation:
    """The serving choices, settled on the validation window by a model trained before it."""
    model = fit(examples.subset(folds.training_mask(examples, WINDOW)), seed, rounds)
    window = examples.subset(folds.window_mask(examples, WINDOW))
    study = short_history_study(model, series_list, window, _mase_scales(series_list, folds, WINDOW))
    min_history = {interval: choose_min_history(study, interval) for interval in intervals}
    calibrating = _served_by_model(window, series_list, min_history)
    raw = model.predict_raw(calibrating.features)
    widening = conformal_widening(raw, calibrating.target)
    return _Validation(min_history, widening, _coverage(raw, calibrating.target), _coverage(raw + [-widening, 0, widening], calibrating.target), study)


def _served_by_model(window: Examples, series_list: list[Series], min_history: dict[str, int]) -> Examples:
    return window.subset(window.origin >= np.array([min_history[series_list[i].interval] for i in window.series_index]))


def run(
    series_list: list[Series], examples: Examples, per_source: dict[str, int], jobs: int, rounds: int, log: Log, incumbent: Incumbent | None = None, seed: int = 7
) -> BacktestResult:
    folds = Folds(series_list)
    intervals = [interval for interval in INTERVALS if any(s.interval == interval for s in series_list)]
    seconds: dict[str, float] = {}

    started = time.monotonic()
    validation = _validate(series_list, examples, folds, intervals, rounds, seed)
    seconds["validation"] = time.monotonic() - started
    log(f"validation window: min history {validation.min_history}, widening {validation.widening:.4f} ({seconds['validation']:.0f} s)")

    started = time.monotonic()
    model = fit(examples.subset(folds.training_mask(examples, 0)), seed, rounds)
    model.widening = validation.widening
    test = examples.subset(folds.window_mask(examples, 0))
    scales = _mase_scales(series_list, folds, 0)
    seconds["test model"] = time.monotonic() - started

    headline, all_eligible, by_horizon, sample = {}, {}, {}, {}
    for interval in intervals:
        eligible = evaluation_series(series_list, folds, scales, interval)
        if not eligible:
            continue
        chosen = sample_series(eligible, series_list, per_source[interval], seed)
        sample[interval] = {source: sum(series_list[i].source == source for i in chosen) for source in sorted({series_list[i].source for i in chosen})}
        model_rows = _model_rows(model, test.subset(np.isin(test.series_index, eligible)), series_list, scales)
        all_eligible[interval] = summarize(model_rows)
        started = time.monotonic()
        rows = pd.concat([model_rows[model_rows["series_id"].isin(chosen)], _anchor_rows(series_list, chosen, scales, jobs, log)])
        seconds[f"anchors ({interval})"] = time.monotonic() - started
        if incumbent and incumbent.not_comparable is None:
            rows = pd.concat([rows, incumbent_rows(incumbent, test.subset(np.isin(test.series_index, chosen)), series_list, scales)])
        headline[interval] = {method: summarize(group) for method, group in rows.groupby("method")}
        chosen_model = rows[rows["method"] == MODEL]
        by_horizon[interval] = {int(h): summarize(group) for h, group in chosen_model.groupby("horizon")}

    # Calibration for the shipped model: the test window is out of sample for the model trained before it.
    final_rows = _served_by_model(test, series_list, validation.min_history)
    calibration = {
        "validationCoverageRaw": validation.coverage_raw,
        "validationCoverageWidened": validation.coverage_widened,
        "testCoverageWidened": _coverage(model.predict_scaled(final_rows.features), final_rows.target),
        "finalWidening": conformal_widening(model.predict_raw(final_rows.features), final_rows.target),
    }

    cold_start = {}
    level = np.array([np.mean(np.abs(s.values)) for s in series_list])
    for source in COLD_START_SOURCES:
        for interval in intervals:
            short = test.subset(np.array([series_list[i].source == source and series_list[i].interval == interval for i in test.series_index]))
            if len(short.target):
                rows = _served_rows(model, short, series_list, validation.min_history, level)
                cold_start[f"{source}/{interval}"] = {method: summarize(group) for method, group in rows.groupby("method")}

    return BacktestResult(
        headline,
        all_eligible,
        by_horizon,
        validation.study,
        validation.min_history,
        validation.widening,
        calibration,
        cold_start,
        sample,
        seconds,
        _describe(incumbent, series_list, folds) if incumbent else None,
    )


def _coverage(quantiles: np.ndarray, target: np.ndarray) -> float | None:
    """Share of targets between p10 and p90 (in either order); None without rows."""
    if len(target) == 0:
        return None
    low, high = np.minimum(quantiles[:, 0], quantiles[:, 2]), np.maximum(quantiles[:, 0], quantiles[:, 2])
    return float(np.mean((target >= low) & (target <= high)))
