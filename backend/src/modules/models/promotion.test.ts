import type { TrainingReport } from './artifacts';
import { beatsIncumbent, meanMase } from './promotion';

const scores = (maseMean: number) => ({ maseMean, maseMedian: maseMean, wape: 0.5, coverage: 0.8, meanWidth: 2.5, series: 100, forecasts: 3600 });

/** A report whose headline table scores the model at `maseMean` and an anchor at 1.0. */
function report(maseMean: number | undefined): TrainingReport {
  const methods = { 'auto-ets': scores(1), ...(maseMean === undefined ? {} : { 'spendcast-lgbm': scores(maseMean) }) };
  return { methods, headline: { month: methods }, modelByHorizon: {} };
}

describe('meanMase', () => {
  it("reads the model's mean MASE from the headline table, not an anchor's", () => {
    expect(meanMase(report(0.84))).toBe(0.84);
  });

  it('is undefined when the backtest scored no series with the model', () => {
    expect(meanMase(report(undefined))).toBeUndefined();
    expect(meanMase({ methods: {}, headline: {}, modelByHorizon: {} })).toBeUndefined();
  });
});

describe('beatsIncumbent', () => {
  it('promotes a candidate with a lower mean MASE than the incumbent', () => {
    expect(beatsIncumbent(report(0.8), report(0.84))).toBe(true);
  });

  it('keeps the incumbent when the candidate is worse or only as good', () => {
    expect(beatsIncumbent(report(0.9), report(0.84))).toBe(false);
    expect(beatsIncumbent(report(0.84), report(0.84))).toBe(false);
  });

  it('promotes any scored candidate when there is nothing to compare with', () => {
    expect(beatsIncumbent(report(3), undefined)).toBe(true);
    expect(beatsIncumbent(report(3), report(undefined))).toBe(true);
  });

  it('never promotes a candidate the backtest could not score', () => {
    expect(beatsIncumbent(report(undefined), undefined)).toBe(false);
    expect(beatsIncumbent(report(undefined), report(0.84))).toBe(false);
  });
});
