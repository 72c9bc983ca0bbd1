"""The whole command on a small product export: train, backtest against every anchor and the serving model, export, report."""

import json
from pathlib import Path

import numpy as np
import onnxruntime

from spendcast_forecast import train
from spendcast_forecast.features import FEATURE_NAMES

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "spendcast-forecast" / "2026.12.03"


def test_training_on_a_csv_export_writes_a_servable_model_directory(tmp_path):
    rng = np.random.default_rng(9)
    lines = ["series_id,interval,period,amount"]
    for k in range(6):
        for month in range(40):
            amount = 200 + 80 * np.sin(2 * np.pi * month / 12) + rng.normal(0, 20) + 10 * k
            lines.append(f"team-{k},month,{2020 + month // 12}-{month % 12 + 1:02d}-01,{amount:.2f}")
    export = tmp_path / "series.csv"
    export.write_text("\n".join(lines) + "\n")
    out = tmp_path / "model"

    train.main(["--out", str(out), "--input-csv", str(export), "--version", "test", "--eval-series", "2", "--jobs", "1", "--rounds", "20", "--incumbent", str(SHIPPED)])

    assert {p.name for p in out.iterdir()} == {"model.onnx", "metadata.json", "report.md", "report.json", "backtest.png"}
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["featureNames"] == FEATURE_NAMES and metadata["intervals"] == ["month"]
    assert metadata["trainingData"]["series"] == 6
    assert set(metadata["backtest"]["methods"]) == {"spendcast-lgbm", "incumbent", "seasonal-naive", "naive", "auto-ets", "auto-arima", "prophet"}
    # The shipped model's data runs to 2022-03-21; this export's test window starts 2022-03-01.
    assert metadata["backtest"]["incumbent"] == {
        "name": "spendcast-forecast",
        "version": "2026.12.03",
        "comparable": True,
        "reason": None,
        "trainedUntil": "2022-03-21",
        "trainedOnTestWindow": True,
    }
    methods = metadata["backtest"]["methods"]
    assert methods["incumbent"]["forecasts"] == methods["spendcast-lgbm"]["forecasts"]
    assert "incumbent (spendcast-forecast@2026.12.03)" in (out / "report.md").read_text()
    session = onnxruntime.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    outputs = session.run(None, {"features": np.zeros((2, len(FEATURE_NAMES)), dtype=np.float32)})
    assert [o.shape for o in outputs] == [(2,), (2,), (2,)]
