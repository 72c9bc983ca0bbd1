"""The serving model scored in the candidate's backtest: same rows, as serving answers with it."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from spendcast_forecast import backtest, incumbent, onnx_export
from spendcast_forecast.backtest import HORIZON, INCUMBENT, MODEL, Folds
from spendcast_forecast.features import FEATURE_NAMES, FEATURE_SPEC_VERSION
from spendcast_forecast.model import build_examples, fit
from spendcast_forecast.series import Series

ROUNDS = 20


def toy_series() -> list[Series]:
    rng = np.random.default_rng(9)
    months = np.arange(40)
    return [Series(f"team-{k}", "month", dt.date(2020, 1, 1), 200 + 80 * np.sin(2 * np.pi * months / 12) + rng.normal(0, 20, 40) + 10 * k, "export") for k in range(6)]


def save_model_directory(model, directory, min_history, **metadata):
    directory.mkdir()
    onnx_export.save(model, directory / "model.onnx")
    (directory / "metadata.json").write_text(
        json.dumps(
            {
                "name": "spendcast-forecast",
                "version": "old",
                "featureSpecVersion": FEATURE_SPEC_VERSION,
                "featureNames": FEATURE_NAMES,
                "input": {"name": onnx_export.INPUT_NAME},
                "outputs": {name: name for name in onnx_export.OUTPUT_NAMES},
                "intervals": sorted(min_history),
                "minHistory": min_history,
                "maxHorizon": 6,
                "trainingData": {"to": "2022-12-01"},
                **metadata,
            }
        )
    )
    return directory


@pytest.fixture(scope="module", autouse=True)
def no_anchors():
    """statsforecast and Prophet take minutes and have no part in the incumbent's rows."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backtest, "_anchor_rows", lambda *args: pd.DataFrame())
        yield


def run(series, examples, serving=None):
    return backtest.run(series, examples, {"month": 6}, jobs=1, rounds=ROUNDS, log=lambda _: None, incumbent=serving)


def test_the_candidates_own_test_model_scored_as_the_incumbent_reproduces_the_candidates_row(tmp_path):
    series = toy_series()
    examples = build_examples(series)
    candidate = run(series, examples)
    # The model `run` scores in the test window, rebuilt and exported as a registry would store it.
    model = fit(examples.subset(Folds(series).training_mask(examples, 0)), rounds=ROUNDS)
    model.widening = candidate.widening
    directory = save_model_directory(model, tmp_path / "old", candidate.min_history)

    result = run(series, examples, incumbent.load(directory, HORIZON))

    scored, expected = result.headline["month"][INCUMBENT], result.headline["month"][MODEL]
    assert expected == candidate.headline["month"][MODEL]
    assert scored.keys() == expected.keys() and scored["forecasts"] == expected["forecasts"] == 6 * 12 * HORIZON
    for key in scored:
        assert scored[key] == pytest.approx(expected[key], rel=1e-5)
    assert result.incumbent == {"name": "spendcast-forecast", "version": "old", "comparable": True, "reason": None, "trainedUntil": "2022-12-01", "trainedOnTestWindow": True}


def test_the_incumbent_answers_with_the_fallback_before_its_own_min_history_as_serving_does(tmp_path):
    series = toy_series()
    examples = build_examples(series)
    model = fit(examples, rounds=ROUNDS)
    window = examples.subset(Folds(series).window_mask(examples, 0))
    scales = np.ones(len(series))
    first_origin = window.origin.min()
    directory = save_model_directory(model, tmp_path / "old", {"month": int(first_origin) + 1})

    rows = backtest.incumbent_rows(incumbent.load(directory, HORIZON), window, series, scales)

    served = rows[["p10", "p50", "p90"]].to_numpy()
    short = window.origin == first_origin
    assert short.any() and (~short).any()
    np.testing.assert_array_equal(served[short], backtest._fallback(window, series)[short])
    np.testing.assert_allclose(served[~short], model.forecast(window)[~short], rtol=1e-5)


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        ({"featureSpecVersion": FEATURE_SPEC_VERSION + 1}, f"feature spec {FEATURE_SPEC_VERSION + 1}"),
        ({"featureNames": FEATURE_NAMES[:-1]}, f"({len(FEATURE_NAMES) - 1} features)"),
        ({"maxHorizon": HORIZON - 1}, f"at most {HORIZON - 1} periods ahead"),
    ],
)
def test_an_incumbent_todays_features_cannot_feed_is_recorded_as_not_comparable_not_scored(tmp_path, metadata, reason):
    series = toy_series()
    examples = build_examples(series)
    directory = save_model_directory(fit(examples, rounds=5), tmp_path / "old", {"month": 3}, **metadata)

    serving = incumbent.load(directory, HORIZON)
    result = run(series, examples, serving)

    assert reason in serving.not_comparable and serving.session is None
    assert INCUMBENT not in result.headline["month"]
    assert result.incumbent["comparable"] is False and result.incumbent["reason"] == serving.not_comparable
