"""Train, backtest and export a model directory: model.onnx, metadata.json, report.md/json, backtest.png, PROVENANCE.md.

    python -m spendcast_forecast.train --out ../models/spendcast-forecast/<version>
    python -m spendcast_forecast.train --out <dir> --input-csv series.csv   # series exported from the product
    python -m spendcast_forecast.train --out <dir> --input-csv series.csv --incumbent <model dir>   # also score the serving model
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime

from . import backtest, data, incumbent, onnx_export, report
from .features import FEATURE_NAMES, FEATURE_SPEC_VERSION
from .model import MAX_HORIZON, ROUNDS, build_examples, fit
from .series import Series

DEFAULT_NAME = "spendcast-forecast"
SHARED_SOURCES = {
    "calderdale": "Calderdale Council procurement-card payments (UK, GBP), group level: council, service, expense type, service x type",
    "au-parliament": "Australian federal parliamentarians' expenses (AUD), person level: person total and person x category",
    "berka": "PKDD'99 Czech bank (Berka) sample, personal accounts' outgoing payments and withdrawals (cold start)",
}
PROVENANCE = """# Provenance

Trained by `ml-service/training` (`python -m spendcast_forecast.train`) on real, published data, read from
`shared/data/` beside the checkout and not copied into the repository. The model file holds only tree
ensembles fitted to scaled monthly and weekly sums; no transaction, supplier or person appears in it.

- **calderdale-pcard/**: Calderdale Council (UK) procurement-card payments, Oct 2014 .. Aug 2022, collected by
  ODI Leeds; UK council transparency data, normally Open Government Licence. Used: transactions dated
  2014-10-01 .. 2022-03-31 (later months are still filling in at publication).
- **au-parliament-expenses/**: Australian federal parliamentarians' itemised expenses per person, category and
  month, Jul 2010 .. Feb 2019, parsed from github.com/icacpls/icacpls.github.io (commit 09d83a4f), transcribed
  from the Department of Finance and IPEA reports (Australian Government public-sector information; the
  repository has no licence file).
- **berka-sample/**: PKDD'99 Discovery Challenge "Financial" (Berka) data, the first 49,102 transactions
  (1993-01 .. 1994-03); released for the challenge, redistribution terms not stated.

See each folder's SOURCE.txt in shared/data for the full provenance.
"""


def _log(message: str) -> None:
    print(f"[train] {message}", file=sys.stderr, flush=True)


def _data_window(series_list: list[Series]) -> tuple[str, str]:
    first = min(s.first_period for s in series_list)
    last = max(s.period(len(s) - 1) for s in series_list)
    return first.isoformat(), last.isoformat()


def _check_onnx(path: Path, model, features: np.ndarray) -> float:
    """Largest difference between the exported graph and the Python model on `features`; fails the run when
    they disagree beyond float32 rounding."""
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    difference = float(np.max(np.abs(onnx_export.predict_scaled(session, features) - model.predict_scaled(features))))
    if difference > 1e-3:
        raise RuntimeError(f"the ONNX export differs from LightGBM by {difference}")
    return difference


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m spendcast_forecast.train", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="model directory to write (created)")
    parser.add_argument("--input-csv", type=Path, help="series_id,interval,period,amount rows instead of the shared data")
    parser.add_argument("--data-dir", type=Path, default=data.DEFAULT_DATA_DIR, help="the shared data sets (default: %(default)s)")
    parser.add_argument("--name", default=DEFAULT_NAME)
    parser.add_argument("--version", default=dt.datetime.now(dt.UTC).strftime("%Y.%m.%d-%H%M"))
    parser.add_argument("--eval-series", type=int, default=100, help="monthly backtest series per source, for every method")
    parser.add_argument("--eval-series-weekly", type=int, default=60, help="weekly backtest series per source")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the anchors")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="boosting rounds per quantile")
    parser.add_argument("--incumbent", type=Path, help="the serving model's directory (model.onnx, metadata.json), backtested beside the candidate")
    args = parser.parse_args(argv)

    started = time.monotonic()
    series_list = data.csv_series(args.input_csv) if args.input_csv else data.shared_series(args.data_dir)
    _log(f"{len(series_list)} series")
    examples = build_examples(series_list)
    _log(f"{len(examples.target)} training rows ({time.monotonic() - started:.0f} s)")

    serving = incumbent.load(args.incumbent, backtest.HORIZON) if args.incumbent else None
    if serving and serving.not_comparable:
        _log(f"incumbent {serving.label} not scored: {serving.not_comparable}")
    per_source = {"month": args.eval_series, "week": args.eval_series_weekly}
    result = backtest.run(series_list, examples, per_source, args.jobs, args.rounds, _log, serving)
    model = fit(examples, rounds=args.rounds)
    model.widening = result.calibration["finalWidening"]

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / "model.onnx"
    onnx_export.save(model, onnx_path)
    difference = _check_onnx(onnx_path, model, examples.features[:: max(1, len(examples.target) // 20000)])
    _log(f"exported {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB, max ONNX difference {difference:.2e})")

    sources = sorted({s.source for s in series_list})
    first, last = _data_window(series_list)
    summary = report.as_json(result)
    metadata = {
        "name": args.name,
        "version": args.version,
        "createdAt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "featureSpecVersion": FEATURE_SPEC_VERSION,
        "featureNames": FEATURE_NAMES,
        "input": {"name": onnx_export.INPUT_NAME, "dtype": "float32", "shape": ["N", len(FEATURE_NAMES)]},
        "outputs": {name: name for name in onnx_export.OUTPUT_NAMES},
        "outputUnits": "multiples of the series scale (FEATURES.md); calibration applied; sort after unscaling",
        "intervals": sorted(result.min_history),
        "minHistory": result.min_history,
        "maxHorizon": MAX_HORIZON,
        "widening": model.widening,
        "trainingData": {
            "sources": [SHARED_SOURCES.get(source, source) for source in sources] if not args.input_csv else [f"CSV export {args.input_csv.name}"],
            "from": first,
            "to": last,
            "series": len(series_list),
            "rows": int(len(examples.target)),
        },
        "backtest": {key: summary[key] for key in ("protocol", "methods", "headline", "targets", "minHistory", "calibration", "incumbent")},
    }
    (args.out / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    (args.out / "report.json").write_text(json.dumps(summary, indent=2) + "\n")
    data_note = "Data: " + "; ".join(metadata["trainingData"]["sources"]) + f". {len(series_list)} series, {first} .. {last}."
    (args.out / "report.md").write_text(report.as_markdown(result, f"{args.name} {args.version}", data_note))
    report.chart(result, args.out / "backtest.png")
    if not args.input_csv:
        (args.out / "PROVENANCE.md").write_text(PROVENANCE)
    _log(f"done in {time.monotonic() - started:.0f} s: {args.out}")


if __name__ == "__main__":
    main()
