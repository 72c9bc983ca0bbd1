"""One ONNX file for serving: input `features` float32 [N, F]; outputs `p10`, `p50`, `p90` float32 [N], scaled.

The three LightGBM regressors are converted separately (onnxmltools) and joined into one graph that shares the
input; the conformal widening is folded into the graph, so serving only unscales and sorts (FEATURES.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxmltools
from onnx import TensorProto, helper, numpy_helper
from onnxmltools.convert.common.data_types import FloatTensorType

from .features import FEATURE_NAMES
from .model import QuantileModel

INPUT_NAME = "features"
OUTPUT_NAMES = ("p10", "p50", "p90")
OPSET = 15
# What onnx 1.10 wrote for opset 15; onnxruntime-node 1.30 (serving) refuses IR versions above 13.
IR_VERSION = 8


def _regressor_model(booster, prefix: str) -> onnx.ModelProto:
    converted = onnxmltools.convert_lightgbm(
        booster,
        initial_types=[(INPUT_NAME, FloatTensorType([None, len(FEATURE_NAMES)]))],
        target_opset=OPSET,
        zipmap=False,
    )
    # Prefix every internal name so the three graphs can live side by side; the input stays shared.
    return onnx.compose.add_prefix(converted, prefix, rename_inputs=False)


def to_onnx(model: QuantileModel) -> onnx.ModelProto:
    nodes, initializers = [], [numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat_shape")]
    offsets = (-model.widening, 0.0, model.widening)
    outputs, opsets = [], {}
    for name, booster, offset in zip(OUTPUT_NAMES, model.boosters, offsets):
        converted = _regressor_model(booster, f"{name}_")
        opsets |= {opset.domain: opset.version for opset in converted.opset_import}
        graph = converted.graph
        nodes += graph.node
        initializers += graph.initializer
        initializers.append(numpy_helper.from_array(np.array(offset, dtype=np.float32), f"{name}_widening"))
        nodes += [
            helper.make_node("Add", [graph.output[0].name, f"{name}_widening"], [f"{name}_widened"]),
            helper.make_node("Reshape", [f"{name}_widened", "flat_shape"], [name]),
        ]
        outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N"]))
    graph = helper.make_graph(
        nodes,
        "spendcast_quantiles",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", len(FEATURE_NAMES)])],
        outputs,
        initializers,
    )
    exported = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid(domain, version) for domain, version in sorted(opsets.items())],
        producer_name="spendcast-training",
        ir_version=IR_VERSION,
    )
    onnx.checker.check_model(exported, full_check=True)
    return exported


def save(model: QuantileModel, path: Path) -> None:
    onnx.save_model(to_onnx(model), path)


def predict_scaled(session, features: np.ndarray, input_name: str = INPUT_NAME, output_names: tuple[str, ...] = OUTPUT_NAMES) -> np.ndarray:
    """[n, 3] scaled p10/p50/p90 from an exported graph (an onnxruntime session), as `QuantileModel.predict_scaled`."""
    return np.column_stack(session.run(list(output_names), {input_name: features}))
