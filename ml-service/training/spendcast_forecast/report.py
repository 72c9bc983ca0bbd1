"""The backtest as JSON (for machines and metadata.json), Markdown (for people) and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from .backtest import HORIZON, INCUMBENT, MODEL, ORIGINS, WINDOW, BacktestResult  # noqa: E402
from .baselines import ANCHORS, MAX_MODEL_SEASON  # noqa: E402

MASE_TARGET_RATIO = 0.9
COVERAGE_TARGET = (0.75, 0.85)


def targets(result: BacktestResult) -> dict[str, dict[str, object]]:
    """Per interval: the model's mean MASE against the best anchor's, and whether the brief's targets hold."""
    checked = {}
    for interval, methods in result.headline.items():
        anchors = {method: methods[method]["maseMean"] for method in ANCHORS if method in methods}
        best = min(anchors, key=anchors.__getitem__)
        # None when the best anchor is perfect: nothing can be 10 % better than that.
        ratio = methods[MODEL]["maseMean"] / anchors[best] if anchors[best] > 0 else None
        coverage = methods[MODEL]["coverage"]
        checked[interval] = {
            "bestAnchor": best,
            "maseRatio": ratio,
            "maseTargetMet": ratio is not None and ratio <= MASE_TARGET_RATIO,
            "coverageTargetMet": COVERAGE_TARGET[0] <= coverage <= COVERAGE_TARGET[1],
        }
    return checked


def as_json(result: BacktestResult) -> dict[str, object]:
    return {
        "protocol": {
            "window": WINDOW,
            "origins": ORIGINS,
            "horizons": list(range(1, HORIZON + 1)),
            "interval": "p10..p90",
            "maseScale": "in-sample seasonal naive MAE before the test window",
            "widthUnit": "series MASE scale",
        },
        # The first interval's table (months when there are any), for metadata.json's `backtest.methods`.
        "methods": next(iter(result.headline.values()), {}),
        "headline": result.headline,
        "targets": targets(result),
        "modelAllEligible": result.model_all_eligible,
        "modelByHorizon": result.model_by_horizon,
        "shortHistory": result.short_history.to_dict(orient="records"),
        "minHistory": result.min_history,
        "widening": result.widening,
        "calibration": result.calibration,
        "coldStart": result.cold_start,
        "sample": result.sample,
        "seconds": result.seconds,
        "incumbent": result.incumbent,
    }


def _incumbent_note(incumbent: dict[str, object]) -> str:
    label = f"{incumbent['name']}@{incumbent['version']}"
    if not incumbent["comparable"]:
        return f"The incumbent, {label}, is not scored: {incumbent['reason']}."
    note = (
        f"`{INCUMBENT}` is {label}, the model serving when this one was trained, scored on the same series and origins as "
        "serving answers with it (its own minHistory, fallback and widening)."
    )
    if incumbent["trainedOnTestWindow"]:
        note += f" Its training data runs to {incumbent['trainedUntil']}, into the test window: there its score is partly in-sample, which flatters it."
    return note


def _table(methods: dict[str, dict[str, float]], incumbent: dict[str, object] | None) -> list[str]:
    names = {MODEL: f"**{MODEL}**", INCUMBENT: f"{INCUMBENT} ({incumbent['name']}@{incumbent['version']})" if incumbent else INCUMBENT}
    lines = ["| method | MASE mean | MASE median | WAPE | p10–p90 coverage | mean width | series | forecasts |", "|---|---|---|---|---|---|---|---|"]
    for method, m in sorted(methods.items(), key=lambda item: item[1]["maseMean"]):
        lines.append(
            f"| {names.get(method, method)} | {m['maseMean']:.3f} | {m['maseMedian']:.3f} | {m['wape']:.3f} | {m['coverage']:.3f} | {m['meanWidth']:.2f} | {m['series']} | {m['forecasts']} |"
        )
    return lines


def as_markdown(result: BacktestResult, title: str, data_note: str) -> str:
    checked = targets(result)
    lines = [
        f"# Backtest: {title}",
        "",
        data_note,
        "",
        f"Rolling origin over the last {WINDOW} periods of each source: {ORIGINS} origins, horizons 1–{HORIZON} from each. "
        "The global model is trained once on targets before the window; the statsforecast anchors are fitted at the first "
        "origin and rolled forward with each new observation; Prophet is refitted at every origin. MASE divides by the "
        "in-sample seasonal-naive MAE before the window; WAPE is pooled; width is p90 − p10 in units of that MASE scale. "
        f"Weekly ETS and ARIMA are non-seasonal (statsforecast's ETS takes seasons ≤ {MAX_MODEL_SEASON}; a 52-week "
        "seasonal ARIMA takes minutes per fit); the weekly seasonal naive uses 52 weeks.",
        "",
        "Prophet and ARIMA are too slow on 2 cores for every series, so every method runs on the same seeded sample "
        f"of eligible series (alive at the end of their source, two years of history before the window, spending in at least a "
        f"quarter of its last year's periods): {json.dumps(result.sample)}.",
    ]
    if result.incumbent:
        lines += ["", _incumbent_note(result.incumbent)]
    for interval, methods in result.headline.items():
        check = checked[interval]
        lines += [
            "",
            f"## {interval}ly series",
            "",
            *_table(methods, result.incumbent),
            "",
            f"Model MASE / best anchor ({check['bestAnchor']}): **{check['maseRatio'] or float('nan'):.3f}** (target ≤ {MASE_TARGET_RATIO}: "
            f"{'met' if check['maseTargetMet'] else 'not met'}); coverage target {COVERAGE_TARGET[0]}–{COVERAGE_TARGET[1]}: "
            f"{'met' if check['coverageTargetMet'] else 'not met'}.",
        ]
        every = result.model_all_eligible[interval]
        lines.append(
            f"On all {every['series']} eligible {interval}ly series the model scores MASE mean {every['maseMean']:.3f}, "
            f"median {every['maseMedian']:.3f}, WAPE {every['wape']:.3f}, coverage {every['coverage']:.3f}."
        )
        by_h = result.model_by_horizon[interval]
        lines.append("By horizon (model, sample): " + ", ".join(f"h{h} MASE {m['maseMean']:.3f} / coverage {m['coverage']:.3f}" for h, m in by_h.items()) + ".")
    lines += [
        "",
        "## Short histories and calibration (validation window, the 14 periods before the test window)",
        "",
        "Each history is cut to its last L periods; the model serves from the shortest L where its mean MASE beats the "
        f"fallback's at every longer L: **minHistory {json.dumps(result.min_history)}**.",
        "",
        "| interval | L | model MASE | fallback MASE | model coverage | fallback coverage |",
        "|---|---|---|---|---|---|",
    ]
    study = result.short_history
    for (interval, length), group in study.groupby(["interval", "length"]):
        by = group.set_index("method")
        lines.append(
            f"| {interval} | {length} | {by.loc[MODEL, 'maseMean']:.3f} | {by.loc['fallback', 'maseMean']:.3f} | "
            f"{by.loc[MODEL, 'coverage']:.3f} | {by.loc['fallback', 'coverage']:.3f} |"
        )
    c = {key: "n/a" if value is None else f"{value:.3f}" for key, value in result.calibration.items()}
    lines += [
        "",
        f"Conformal widening (scaled units): {result.widening:.4f} on the validation window, raw coverage "
        f"{c['validationCoverageRaw']} → {c['validationCoverageWidened']}; on the test window it gives "
        f"{c['testCoverageWidened']}. The shipped model, trained on everything, uses the widening measured on the test "
        f"window: {result.calibration['finalWidening']:.4f}.",
        "",
        "## Cold start (Berka accounts, at most 15 months of history)",
        "",
        "`served` is what the product answers (the model from minHistory on, the fallback before). MASE is not "
        "meaningful on these histories; width is in units of each account's mean monthly (weekly) outflow.",
        "",
        "| series | method | WAPE | coverage | mean width | forecasts |",
        "|---|---|---|---|---|---|",
    ]
    for name, methods in result.cold_start.items():
        for method, m in methods.items():
            lines.append(f"| {name} | {method} | {m['wape']:.3f} | {m['coverage']:.3f} | {m['meanWidth']:.2f} | {m['forecasts']} |")
    lines += ["", "Runtime: " + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in result.seconds.items()) + ".", ""]
    return "\n".join(lines)


def chart(result: BacktestResult, path: Path) -> None:
    intervals = list(result.headline)
    figure, axes = plt.subplots(len(intervals), 2, figsize=(11, 3.6 * len(intervals)), squeeze=False)
    for row, interval in enumerate(intervals):
        methods = sorted(result.headline[interval].items(), key=lambda item: item[1]["maseMean"])
        names = [name for name, _ in methods]
        colours = [{MODEL: "tab:orange", INCUMBENT: "tab:grey"}.get(name, "tab:blue") for name in names]
        mase, coverage = axes[row]
        mase.barh(names, [m["maseMean"] for _, m in methods], color=colours)
        mase.invert_yaxis()
        mase.set_title(f"{interval}ly: mean MASE (lower is better)")
        coverage.barh(names, [m["coverage"] for _, m in methods], color=colours)
        coverage.invert_yaxis()
        coverage.axvspan(*COVERAGE_TARGET, color="tab:green", alpha=0.15)
        coverage.axvline(0.8, color="tab:green", linewidth=1)
        coverage.set_xlim(0, 1)
        coverage.set_title(f"{interval}ly: p10–p90 coverage (target 0.75–0.85)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
