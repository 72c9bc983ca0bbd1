import { Interval } from '@spendcast/proto';

/** A monthly (or weekly) spending history with a yearly pattern and a slow trend, like a real category. */
export function series(id: string, length = 36, interval = Interval.MONTH) {
  const season = interval === Interval.MONTH ? 12 : 52;
  const values = Array.from({ length }, (_, i) => Math.round((200 + 60 * Math.sin((2 * Math.PI * i) / season) + 2 * i + ((i * 37 + id.length * 11) % 17)) * 100) / 100);
  // 2024-01-01 is a Monday, so it starts both a month and an ISO week.
  return { id, interval, firstPeriod: '2024-01-01', values };
}
