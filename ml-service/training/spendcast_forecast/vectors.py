"""Test vectors that hold the TypeScript serving core to this package's numbers.

    python -m spendcast_forecast.vectors --model ../models/spendcast-forecast/<version> --out ../test-vectors

features.json: feature rows for varied series; decode.json and fallback.json: money out of raw outputs and
short histories; model-outputs.json: what onnxruntime returns for those rows with the shipped model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np
import onnxruntime

from .fallback import fallback_forecast
from .features import FEATURE_NAMES, FEATURE_SPEC_VERSION, feature_rows, series_scale
from .onnx_export import INPUT_NAME, OUTPUT_NAMES
from .quantiles import forecast_floor, to_money
from .series import Series

HORIZON = 6


def _series(name: str, interval: str, first: str, values) -> Series:
    return Series(name, interval, dt.date.fromisoformat(first), np.round(np.asarray(values, dtype=np.float64), 2), "vectors")


def cases() -> list[Series]:
    """Synthetic series (seeded) that reach every branch of FEATURES.md."""
    rng = np.random.default_rng(2024)
    seasonal = 800 + 300 * np.sin(np.arange(40) * 2 * np.pi / 12) + rng.normal(0, 60, 40)
    weekly = 120 + 40 * np.sin(np.arange(60) * 2 * np.pi / 52) + rng.normal(0, 15, 60)
    intermittent = np.where(rng.random(30) < 0.4, rng.gamma(2.0, 150.0, 30), 0.0)
    return [
        _series("one-value", "month", "2023-12-01", [42.5]),
        _series("three-months-over-new-year", "month", "2022-11-01", [120.0, 80.25, 95.1]),
        _series("all-zeros", "month", "2021-01-01", [0.0] * 8),
        _series("quiet-lately", "month", "2019-03-01", [500.0, 250.0] + [0.0] * 14),
        _series("refunds", "month", "2020-06-01", [300.0, -45.5, 120.0, 0.0, -10.0, 260.0, 75.0]),
        _series("seasonal-40-months", "month", "2016-09-01", seasonal),
        _series("intermittent-30-months", "month", "2018-02-01", intermittent),
        _series("weeks-into-iso-week-53", "week", "2020-11-02", weekly[:9]),
        _series("weeks-over-leap-day", "week", "2024-02-19", weekly[:5]),
        _series("sixty-weeks", "week", "2018-12-31", weekly),
    ]


def _json_row(row: np.ndarray) -> list[float | None]:
    return [None if np.isnan(value) else float(value) for value in row]


def _series_json(series: Series) -> dict[str, object]:
    return {"id": series.id, "interval": series.interval, "firstPeriod": series.first_period.isoformat(), "values": series.values.tolist()}


def _periods(series: Series, quantiles: np.ndarray) -> list[dict[str, object]]:
    return [
        {"period": series.period(len(series) - 1 + h).isoformat(), "p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}
        for h, q in enumerate(quantiles, start=1)
    ]


def features_vectors() -> dict[str, object]:
    return {
        "featureSpecVersion": FEATURE_SPEC_VERSION,
        "featureNames": FEATURE_NAMES,
        "cases": [
            {"series": _series_json(s), "horizon": HORIZON, "scale": series_scale(s.values), "rows": [_json_row(r) for r in feature_rows(s, HORIZON)]}
            for s in cases()
        ],
    }


def fallback_vectors() -> dict[str, object]:
    empty = _series("no-history", "week", "2024-12-30", [])
    found = []
    for series in [empty, *cases()]:
        method, quantiles = fallback_forecast(series.values, 3)
        found.append({"series": _series_json(series), "horizon": 3, "method": method, "periods": _periods(series, quantiles)})
    return {"cases": found}


def decode_vectors() -> dict[str, object]:
    """Raw outputs that cross and dip below zero, read at an offset into a batch, as serving reads them."""
    rng = np.random.default_rng(7)
    found = []
    for series in cases():
        horizon, offset = 3, int(rng.integers(0, 4))
        raw = rng.normal(1.0, 0.8, (offset + horizon + 2, 3)).astype(np.float32)
        own = raw[offset : offset + horizon]
        quantiles = to_money(own, series_scale(series.values), forecast_floor(series.values))
        found.append(
            {
                "series": _series_json(series),
                "horizon": horizon,
                "offset": offset,
                "raw": {name: raw[:, k].astype(np.float64).tolist() for k, name in enumerate(OUTPUT_NAMES)},
                "periods": _periods(series, quantiles),
            }
        )
    return {"cases": found}


def model_output_vectors(model_dir: Path) -> dict[str, object]:
    metadata = json.loads((model_dir / "metadata.json").read_text())
    session = onnxruntime.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    rows = np.concatenate([feature_rows(s, HORIZON) for s in cases()])
    outputs = session.run(list(OUTPUT_NAMES), {INPUT_NAME: rows})
    return {
        "model": {"name": metadata["name"], "version": metadata["version"]},
        "rows": [_json_row(r) for r in rows],
        "outputs": {name: values.astype(np.float64).tolist() for name, values in zip(OUTPUT_NAMES, outputs)},
    }


def all_vectors(model_dir: Path) -> dict[str, dict[str, object]]:
    return {
        "features.json": features_vectors(),
        "fallback.json": fallback_vectors(),
        "decode.json": decode_vectors(),
        "model-outputs.json": model_output_vectors(model_dir),
    }


def render(vectors: dict[str, object]) -> str:
    return json.dumps(vectors, indent=1) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m spendcast_forecast.vectors", description="Write the serving test vectors.")
    parser.add_argument("--model", type=Path, required=True, help="the shipped model directory")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, vectors in all_vectors(args.model).items():
        (args.out / name).write_text(render(vectors))


if __name__ == "__main__":
    main()
