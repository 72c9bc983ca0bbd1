"""The committed vectors (ml-service/test-vectors) are what this code and the shipped model produce today, so the
TypeScript tests that read them hold serving to the current training code."""

import json
import math
from pathlib import Path

import pytest

from spendcast_forecast.vectors import all_vectors

VECTORS = Path(__file__).resolve().parents[2] / "test-vectors"


def assert_same(actual, expected, where="", rel=1e-9):
    if isinstance(expected, dict):
        assert actual.keys() == expected.keys(), where
        for key in expected:
            assert_same(actual[key], expected[key], f"{where}.{key}", rel)
    elif isinstance(expected, list):
        assert len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{where}[{i}]", rel)
    elif isinstance(expected, float):
        assert math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-12), f"{where}: {actual} != {expected}"
    else:
        assert actual == expected, where


@pytest.fixture(scope="module")
def current():
    model = json.loads((VECTORS / "model-outputs.json").read_text())["model"]
    return all_vectors(VECTORS.parent / "models" / model["name"] / model["version"])


@pytest.mark.parametrize("name", ["features.json", "fallback.json", "decode.json", "model-outputs.json"])
def test_committed_vectors_are_up_to_date(current, name):
    # Model outputs pass through onnxruntime's float32 sums: equal to float32 precision only.
    assert_same(json.loads(json.dumps(current[name])), json.loads((VECTORS / name).read_text()), name, rel=1e-6 if name == "model-outputs.json" else 1e-9)
