import datetime as dt

import lightgbm as lgb
import numpy as np
import onnxruntime
import pytest

from spendcast_forecast import onnx_export
from spendcast_forecast.model import build_examples, conformal_widening, fit, float32_thresholds
from spendcast_forecast.series import Series


@pytest.fixture(scope="module")
def trained():
    rng = np.random.default_rng(3)
    series = [
        Series(f"s{i}", "month" if i % 3 else "week", dt.date(2019, 1, 1) if i % 3 else dt.date(2019, 1, 7), rng.gamma(2, 50 + i, 40), "test")
        for i in range(30)
    ]
    examples = build_examples(series, max_horizon=3)
    model = fit(examples, rounds=30)
    model.widening = 0.25
    return model, examples


def test_the_onnx_graph_returns_what_lightgbm_predicts_including_missing_values(trained, tmp_path):
    model, examples = trained
    path = tmp_path / "model.onnx"
    onnx_export.save(model, path)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["features"]
    assert [o.name for o in session.get_outputs()] == ["p10", "p50", "p90"]
    outputs = session.run(None, {"features": examples.features})
    assert all(output.shape == (len(examples.target),) for output in outputs)
    assert np.isnan(examples.features).any()
    np.testing.assert_allclose(np.column_stack(outputs), model.predict_scaled(examples.features), rtol=1e-4, atol=1e-5)


def test_the_widening_moves_p10_and_p90_apart_and_leaves_p50(trained):
    model, examples = trained
    raw = model.predict_raw(examples.features[:50])
    widened = model.predict_scaled(examples.features[:50])
    np.testing.assert_allclose(widened - raw, np.tile([-0.25, 0.0, 0.25], (50, 1)))


def test_forecasts_in_money_never_cross(trained):
    model, examples = trained
    model.widening = -5.0  # narrowed past zero width: p10 and p90 swap before sorting
    try:
        money = model.forecast(examples)
    finally:
        model.widening = 0.25
    assert (np.diff(money, axis=1) >= 0).all()


def test_conformal_widening_reaches_the_wanted_coverage():
    rng = np.random.default_rng(5)
    target = rng.normal(0, 1, 4000)
    raw = np.tile([-0.5, 0.0, 0.5], (4000, 1))  # covers ~38 % of a standard normal
    widening = conformal_widening(raw, target, coverage=0.8)
    covered = np.mean((target >= -0.5 - widening) & (target <= 0.5 + widening))
    assert widening == pytest.approx(1.2816 - 0.5, abs=0.06)
    assert covered == pytest.approx(0.8, abs=0.01)


def test_examples_cover_every_origin_and_horizon_with_observed_targets():
    series = Series("s", "month", dt.date(2020, 1, 1), np.arange(1.0, 6.0), "test")
    examples = build_examples([series], max_horizon=2)
    assert list(zip(examples.origin, examples.horizon)) == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2), (4, 1)]
    assert examples.target[0] == pytest.approx(2.0 / 1.0)  # next value over the scale of [1]
    assert examples.target_index.max() == 4


def test_float32_thresholds_keep_every_prediction_on_float32_inputs():
    rng = np.random.default_rng(11)
    features = rng.normal(0, 1, (3000, 4)).astype(np.float32)
    target = features[:, 0] * 2 + np.sin(features[:, 1] * 3) + rng.normal(0, 0.1, 3000)
    booster = lgb.train({"objective": "regression", "verbose": -1, "num_threads": 1}, lgb.Dataset(features, target), num_boost_round=40)
    np.testing.assert_array_equal(float32_thresholds(booster).predict(features), booster.predict(features))
