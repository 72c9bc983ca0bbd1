// Group ledgers for the bills benchmarks. People, the group, its members and the category lookup go
// through the API as a client would; the bills themselves are bulk-loaded as the database owner from
// the real Calderdale card payments (bench/lib/calderdale.mts), with what the API would have stored.
// The rules (refunds, dates, categories, triggers) are documented in bench/README.md.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { log } from '../../scripts/lib/util.mts';
import type { BenchContext } from './benchmark.mts';
import { calderdale, categoryOf, type Payment } from './calderdale.mts';
import type { HttpClient } from './http.mts';
import { round } from './stats.mts';

export const TIME_ZONE = 'Europe/London';
export const MEMBERS = 10;
const PASSWORD = 'correct horse battery staple';
/** Access tokens live at most 15 minutes; a session refreshes well before. */
const REFRESH_AFTER_MS = 10 * 60_000;

/** The ledger sizes of the read benchmarks; BENCH_LEDGER_SIZES=2000,20000 makes a quick run while developing. */
export function ledgerSizes(): number[] {
  const sizes = (process.env.BENCH_LEDGER_SIZES ?? '10000,100000,1000000').split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error('BENCH_LEDGER_SIZES: comma-separated bill counts');
  return sizes;
}

export async function call<T = Record<string, unknown>>(url: string, method: string, path: string, options: { token?: string; body?: unknown; expect?: number } = {}): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (response.status !== (options.expect ?? 200)) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** A signed-in person; `token()` is a valid access token (refreshed when old). */
export class Session {
  private issuedAt = Date.now();
  private readonly url: string;
  readonly userId: string;
  private tokens: { accessToken: string; refreshToken: string };

  constructor(url: string, userId: string, tokens: { accessToken: string; refreshToken: string }) {
    this.url = url;
    this.userId = userId;
    this.tokens = tokens;
  }

  static async register(url: string): Promise<Session> {
    const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
    const tokens = await call<{ accessToken: string; refreshToken: string }>(url, 'POST', '/api/v1/auth/register', { body: { email, password: PASSWORD }, expect: 201 });
    const me = await call<{ id: string }>(url, 'GET', '/api/v1/me', { token: tokens.accessToken });
    return new Session(url, me.id, tokens);
  }

  async token(): Promise<string> {
    if (Date.now() - this.issuedAt > REFRESH_AFTER_MS) await this.refresh();
    return this.tokens.accessToken;
  }

  /** New tokens (also needed after onboarding: the access token carries it). */
  async refresh(): Promise<void> {
    this.tokens = await call(this.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: this.tokens.refreshToken } });
    this.issuedAt = Date.now();
  }

  async onboard(start: Record<string, unknown>): Promise<{ groupId: string | null }> {
    const username = `b_${randomBytes(8).toString('hex')}`;
    const result = await call<{ groupId: string | null }>(this.url, 'POST', '/api/v1/me/onboarding', {
      token: this.tokens.accessToken,
      body: { username, firstName: 'Bench', lastName: 'Member', birthday: '1980-01-01', start, settings: { timeZone: TIME_ZONE } },
      expect: 201,
    });
    await this.refresh();
    return result;
  }
}

/** A group made through the API: an admin who created it (GBP, London time) and members who joined by invite. */
export interface Group {
  id: string;
  /** members[0] is the admin, who sees every bill of the group. */
  members: Session[];
  /** Category name → id, as GET /api/v1/categories?groupId= lists them. */
  categories: Record<string, string>;
}

export async function createGroup(url: string, name: string, size = MEMBERS): Promise<Group> {
  const admin = await Session.register(url);
  const { groupId } = await admin.onboard({ mode: 'create', groupName: name, baseCurrency: 'GBP' });
  if (!groupId) throw new Error('onboarding made no group');
  const invite = await call<{ token: string }>(url, 'POST', `/api/v1/groups/${groupId}/invites`, { token: await admin.token(), body: { maxUses: size - 1 }, expect: 201 });
  const members = [admin];
  for (let i = 1; i < size; i++) {
    const member = await Session.register(url);
    await member.onboard({ mode: 'join', inviteToken: invite.token });
    members.push(member);
  }
  const { items } = await call<{ items: Array<{ id: string; name: string }> }>(url, 'GET', `/api/v1/categories?groupId=${groupId}`, { token: await admin.token() });
  return { id: groupId, members, categories: Object.fromEntries(items.map((category) => [category.name, category.id])) };
}

/** The calendar day of an instant in a time zone (as the bills service computes spent_on). */
export function localDay(instant: Date, timeZone = TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

const DAY_MS = 86_400_000;

/**
 * Bill `index` of a replay of `count` bills: the file's rows in order, then again one year earlier,
 * and so on; the whole replay is shifted by whole days so that its newest bill is today. Local times
 * are spread over 07:00–21:00 London time.
 */
export function replay(count: number, today = localDay(new Date())) {
  const { rows, newestDay } = calderdale();
  const shiftDays = Math.round((Date.parse(today) - Date.parse(newestDay(count))) / DAY_MS);
  return {
    shiftDays,
    at(index: number): Payment & { pass: number; ord: number; spentOn: string; spentAt: Date; category: string } {
      const ord = index % rows.length;
      const pass = Math.floor(index / rows.length);
      const row = rows[ord]!;
      const shifted = new Date(Date.parse(row.day) + shiftDays * DAY_MS);
      shifted.setUTCFullYear(shifted.getUTCFullYear() - pass);
      // 29 February a year back is 1 March in Date arithmetic; PostgreSQL (the bulk path) says 28 February.
      if (shifted.getUTCDate() !== new Date(Date.parse(row.day) + shiftDays * DAY_MS).getUTCDate()) shifted.setUTCDate(0);
      const spentOn = shifted.toISOString().slice(0, 10);
      return { ...row, pass, ord, spentOn, spentAt: londonInstant(spentOn, minuteOfDay(ord)), category: categoryOf(row.expenseType) };
    },
  };
}

const minuteOfDay = (ord: number) => 7 * 60 + ((ord * 7919) % (14 * 60));

/** The instant of a London wall-clock time (no DST gap between 07:00 and 21:00). */
function londonInstant(day: string, minute: number): Date {
  const wall = Date.parse(`${day}T00:00:00Z`) + minute * 60_000;
  const offsetHours = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: 'numeric', hourCycle: 'h23' }).format(new Date(wall))) - new Date(wall).getUTCHours();
  return new Date(wall - ((offsetHours + 24) % 24) * 3_600_000);
}

export interface Ledger {
  size: number;
  group: Group;
  seeding: { seconds: number; billsPerSecond: number };
}

/**
 * Loads `count` replayed bills into the group as the owner, one transaction per pass over the file,
 * created by the members in turn. Row triggers fire as for any insert (the audit log, the spend rollup).
 */
export async function loadBills(ownerUrl: string, group: Group, count: number): Promise<{ seconds: number; billsPerSecond: number }> {
  const { rows } = calderdale();
  const { shiftDays } = replay(count);
  const started = performance.now();
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`CREATE TEMP TABLE calderdale (ord int PRIMARY KEY, day date, title text, amount_minor bigint, payee text, notes text, category text)`);
    await client.query(
      `INSERT INTO calderdale SELECT * FROM unnest($1::int[], $2::date[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[])`,
      [rows.map((_, ord) => ord), rows.map((row) => row.day), rows.map((row) => row.supplier), rows.map((row) => row.amountMinor), rows.map((row) => row.merchantCategory || null), rows.map((row) => row.expenseArea || null), rows.map((row) => categoryOf(row.expenseType))],
    );
    const categoryNames = Object.keys(group.categories);
    const missing = [...new Set(rows.map((row) => categoryOf(row.expenseType)))].filter((name) => !group.categories[name]);
    if (missing.length > 0) throw new Error(`the group has no categories ${missing.join(', ')}`);
    for (let pass = 0; pass * rows.length < count; pass++) {
      const passStarted = performance.now();
      await client.query('BEGIN');
      // What BillsService.create stores for a GBP bill in a GBP group without a split, given the user's time zone.
      const inserted = await client.query(
        `INSERT INTO bills (id, group_id, created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, category_id, tags, payee, notes, split_kind, version)
         SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + ($3::bigint + c.ord) % array_length($2::uuid[], 1)],
                c.title, c.amount_minor, 'GBP', 1, c.amount_minor,
                (d.spent_on + make_interval(mins => 420 + (c.ord * 7919) % 840)) AT TIME ZONE $4, $4, d.spent_on,
                k.id, '{}', c.payee, c.notes, NULL, 1
           FROM calderdale c
           CROSS JOIN LATERAL (SELECT ((c.day + $5::int) - make_interval(years => $6))::date AS spent_on) d
           JOIN unnest($7::text[], $8::uuid[]) AS k(name, id) ON k.name = c.category
          WHERE c.ord < $9
          ORDER BY c.ord`,
        [group.id, group.members.map((member) => member.userId), pass * rows.length, TIME_ZONE, shiftDays, pass, categoryNames, categoryNames.map((name) => group.categories[name]), count - pass * rows.length],
      );
      await client.query('COMMIT');
      log(`  pass ${pass}: ${inserted.rowCount} bills in ${round((performance.now() - passStarted) / 1000, 1)} s`);
    }
  } finally {
    await client.end();
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds: round(seconds, 1), billsPerSecond: round(count / seconds, 0) };
}

/** What autovacuum would get to eventually: fresh statistics and visibility maps for bills and what its triggers write. */
async function vacuum(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relname IN ('bills', 'spend_daily', 'audit_logs') AND relkind = 'r'`);
    for (const { name } of rows) await client.query(`VACUUM (ANALYZE) ${name}`);
  } finally {
    await client.end();
  }
}

const ledgers = new Map<string, Promise<Ledger[]>>();

/**
 * One group per size, all in the bench database's one bills table (as tenants of one deployment),
 * seeded once per run and shared by the benchmarks that read them.
 */
export function seededLedgers({ product, database }: BenchContext, sizes = ledgerSizes()): Promise<Ledger[]> {
  const key = `${database.ownerUrl} ${sizes.join(',')}`;
  let pending = ledgers.get(key);
  if (!pending) {
    pending = (async () => {
      const seeded: Ledger[] = [];
      for (const size of sizes) {
        log(`seeding a ledger of ${size} bills`);
        const group = await createGroup(product.url, `Calderdale ${size}`);
        seeded.push({ size, group, seeding: await loadBills(database.ownerUrl, group, size) });
        log(`  ${size} bills in ${seeded.at(-1)!.seeding.seconds} s`);
      }
      const started = performance.now();
      await vacuum(database.ownerUrl);
      log(`VACUUM (ANALYZE) in ${round((performance.now() - started) / 1000, 1)} s`);
      return seeded;
    })();
    ledgers.set(key, pending);
  }
  return pending;
}

/**
 * Changes the notes of one of the group's bills on each call: a bill change like any other, which
 * retires the group's cached answers (aggregates, totals). For measuring answers uncached.
 */
export async function billChanger(url: string, client: HttpClient, group: Group, label: string): Promise<(index: number) => Promise<void>> {
  const token = await group.members[0]!.token();
  const { items } = await call<{ items: Array<{ id: string; version: number }> }>(url, 'GET', `/api/v1/bills?groupId=${group.id}&limit=1`, { token });
  let { id, version } = items[0]!;
  return async (index) => {
    const response = await client.request('PATCH', `/api/v1/bills/${id}`, { token: await group.members[0]!.token(), body: JSON.stringify({ notes: `${label} ${index}` }), ifMatch: `"${version}"` });
    if (response.status !== 200) throw new Error(`PATCH /api/v1/bills/${id}: ${response.status} ${response.body.slice(0, 200)}`);
    version = (JSON.parse(response.body) as { version: number }).version;
  };
}
