import type { TrainingReport } from './artifacts';
import { meanMase, promotionVerdict } from './promotion';

const scores = (maseMean: number) => ({ maseMean, maseMedian: maseMean, wape: 0.5, coverage: 0.8, meanWidth: 2.5, series: 100, forecasts: 3600 });
const SERVING = { name: 'spendcast-forecast', version: '2026.11.25' };

/**
 * A candidate's report: its headline table scores the model at `model`, an anchor at 1.0, and the
 * incumbent (SERVING unless `scored` names another) at `incumbent` on the same series.
 */
function report(model: number | undefined, incumbent?: number, scored: Partial<NonNullable<TrainingReport['incumbent']>> = {}): TrainingReport {
  const methods = {
    'auto-ets': scores(1),
    ...(model === undefined ? {} : { 'spendcast-lgbm': scores(model) }),
    ...(incumbent === undefined ? {} : { incumbent: scores(incumbent) }),
  };
  return {
    methods,
    headline: { month: methods },
    modelByHorizon: {},
    incumbent: { ...SERVING, comparable: incumbent !== undefined, reason: incumbent === undefined ? 'it takes feature spec 0' : null, ...scored },
  };
}

describe('meanMase', () => {
  it("reads the model's mean MASE from the headline table, not an anchor's or the incumbent's", () => {
    expect(meanMase(report(0.84, 0.9))).toBe(0.84);
    expect(meanMase(report(0.84, 0.9), 'incumbent')).toBe(0.9);
  });

  it('is undefined when the backtest scored no series with the model', () => {
    expect(meanMase(report(undefined))).toBeUndefined();
    expect(meanMase({ methods: {}, headline: {}, modelByHorizon: {} })).toBeUndefined();
  });
});

describe('promotionVerdict', () => {
  it('promotes a candidate that beats the serving model on the same series, however hard they are', () => {
    // Product series a retrain scores 4.83 on, where the shipped model scores worse still.
    expect(promotionVerdict(report(4.83, 5.1), SERVING)).toEqual({
      promote: true,
      reason: 'it beats the serving model: mean MASE 4.830 against 5.100 for spendcast-forecast@2026.11.25 on the same series',
    });
  });

  it('keeps the serving model when the candidate is worse or only as good on the same series', () => {
    expect(promotionVerdict(report(0.9, 0.84), SERVING)).toMatchObject({ promote: false, reason: expect.stringContaining('does not beat') });
    expect(promotionVerdict(report(0.84, 0.84), SERVING).promote).toBe(false);
  });

  it("does not promote when the report scored another version than the one serving now (promoted while it trained)", () => {
    expect(promotionVerdict(report(0.5, 0.9, { version: '2026.12.01' }), SERVING)).toEqual({
      promote: false,
      reason: "the candidate's backtest did not score the serving model spendcast-forecast@2026.11.25 (it scored spendcast-forecast@2026.12.01)",
    });
  });

  it('does not promote on a report without an incumbent, whatever its own score', () => {
    const { incumbent: _, ...unscored } = report(0.1);
    expect(promotionVerdict(unscored, SERVING)).toMatchObject({ promote: false, reason: expect.stringContaining('it scored no incumbent') });
  });

  it('does not promote when the serving model could not be scored on the candidate\'s series, saying why', () => {
    expect(promotionVerdict(report(0.1), SERVING)).toEqual({
      promote: false,
      reason: "the serving model spendcast-forecast@2026.11.25 could not be scored on the candidate's series: it takes feature spec 0",
    });
  });

  it('promotes any scored candidate when no model serves', () => {
    expect(promotionVerdict(report(3), undefined)).toMatchObject({ promote: true });
  });

  it('never promotes a candidate the backtest could not score', () => {
    expect(promotionVerdict(report(undefined), undefined).promote).toBe(false);
    expect(promotionVerdict(report(undefined, 0.84), SERVING).promote).toBe(false);
  });
});
