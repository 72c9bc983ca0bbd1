import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';

describe(`exchange rates (${flavor})`, () => {
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let groupId: string;

  beforeAll(async () => {
    product = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    ({ admin, member, groupId } = await given(product.app).groupWithMember('Travellers'));
  });

  afterAll(() => product.close());

  const upload = (user: GivenUser, rates: object[], query: Record<string, string> = { groupId }) =>
    request(product.app).put('/api/v1/exchange-rates').set(bearer(user)).query(query).send({ rates });

  it('converts a foreign-currency group bill with the newest uploaded rate on or before its day', async () => {
    await upload(admin, [
      { currency: 'USD', validOn: '2026-11-01', rate: '0.90' },
      { currency: 'USD', validOn: '2026-11-15', rate: '0.95' },
    ]).expect(200);

    const early = await given(product.app).bill(member, { groupId, currency: 'USD', amount: '100.00', spentAt: '2026-11-10T12:00:00Z' });
    const late = await given(product.app).bill(member, { groupId, currency: 'USD', amount: '100.00', spentAt: '2026-11-20T12:00:00Z' });

    expect([early.baseAmount, early.exchangeRate, late.baseAmount, late.exchangeRate]).toEqual(['90.00', '0.9', '95.00', '0.95']);
  });

  it('replaces a day’s rate when uploaded again and lists the scope’s rates', async () => {
    await upload(admin, [{ currency: 'CHF', validOn: '2026-10-01', rate: '1.05' }]).expect(200);
    const listed = await upload(admin, [{ currency: 'CHF', validOn: '2026-10-01', rate: '1.07' }]);

    expect(listed.body.items.filter((rate: { currency: string }) => rate.currency === 'CHF')).toEqual([{ currency: 'CHF', baseCurrency: 'EUR', validOn: '2026-10-01', rate: '1.07' }]);
  });

  it('lets only admins upload group rates, and everyone their personal ones', async () => {
    expect((await upload(member, [{ currency: 'USD', validOn: '2026-11-01', rate: '1' }])).status).toBe(403);
    expect((await upload(member, [{ currency: 'USD', validOn: '2026-11-01', rate: '0.91' }], {})).status).toBe(200);
  });

  it('refuses zero, negative and malformed rates with 400', async () => {
    const response = await upload(admin, [{ currency: 'USD', validOn: '2026-13-01', rate: '0' }, { currency: 'usd', validOn: '2026-11-01', rate: '-1' }]);
    expect(response.status).toBe(400);
  });
});
