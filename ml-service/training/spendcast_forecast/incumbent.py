"""The model serving now, loaded from its model directory (model.onnx + metadata.json) so the candidate's backtest
can score it on the same series and origins: comparing scores from two backtests on different data says nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime

from . import onnx_export
from .features import FEATURE_NAMES, FEATURE_SPEC_VERSION


@dataclass
class Incumbent:
    name: str
    version: str
    trained_until: dt.date
    # What serving reads from metadata.json: per interval the history from which the model answers, not the fallback.
    min_history: dict[str, int]
    # None when today's features cannot feed it or it cannot answer every backtest horizon; else the reason.
    not_comparable: str | None
    session: onnxruntime.InferenceSession | None
    input_name: str
    output_names: tuple[str, str, str]

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def predict_scaled(self, features: np.ndarray) -> np.ndarray:
        """[n, 3] scaled p10/p50/p90 from its graph, its conformal widening included."""
        return onnx_export.predict_scaled(self.session, features, self.input_name, self.output_names)


def load(directory: Path, horizon: int) -> Incumbent:
    """The model in `directory`, refused (not_comparable) as serving would refuse it: another feature spec, or
    fewer horizons than the backtest asks for."""
    metadata = json.loads((directory / "metadata.json").read_text())
    spec, names = metadata["featureSpecVersion"], metadata["featureNames"]
    if spec != FEATURE_SPEC_VERSION or names != FEATURE_NAMES:
        reason = f"it takes feature spec {spec} ({len(names)} features); this backtest computes spec {FEATURE_SPEC_VERSION}"
    elif metadata["maxHorizon"] < horizon:
        reason = f"it forecasts at most {metadata['maxHorizon']} periods ahead; the backtest scores horizons up to {horizon}"
    else:
        reason = None
    outputs = metadata["outputs"]
    return Incumbent(
        name=metadata["name"],
        version=metadata["version"],
        trained_until=dt.date.fromisoformat(metadata["trainingData"]["to"]),
        min_history={interval: metadata["minHistory"][interval] for interval in metadata["intervals"] if interval in metadata["minHistory"]},
        not_comparable=reason,
        session=None if reason else onnxruntime.InferenceSession(str(directory / "model.onnx"), providers=["CPUExecutionProvider"]),
        input_name=metadata["input"]["name"],
        output_names=(outputs["p10"], outputs["p50"], outputs["p90"]),
    )
