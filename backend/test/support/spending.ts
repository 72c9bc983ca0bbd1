import type { Express } from 'express';
import request from 'supertest';
import { bearer, type GivenUser } from './given';

/** Helpers for tests about spending (insights, budgets): groups, categories and bills through the API. */

export async function groupOf(app: Express, user: GivenUser): Promise<string> {
  const response = await request(app).get('/api/v1/groups').set(bearer(user)).expect(200);
  return (response.body as { items: Array<{ id: string }> }).items[0]!.id;
}

export async function join(app: Express, admin: GivenUser, groupId: string, member: GivenUser): Promise<void> {
  const invite = await request(app).post(`/api/v1/groups/${groupId}/invites`).set(bearer(admin)).send({}).expect(201);
  await request(app).post(`/api/v1/invites/${encodeURIComponent(invite.body.token as string)}/accept`).set(bearer(member)).expect(200);
}

/** Category ids of a scope: the user's personal ones, or a group's. */
export async function categoriesOf(app: Express, user: GivenUser, groupId?: string): Promise<string[]> {
  const response = await request(app).get('/api/v1/categories').query(groupId ? { groupId } : {}).set(bearer(user)).expect(200);
  const items = (response.body as { items: Array<{ id: string; userId: string | null; groupId: string | null }> }).items;
  return items.filter((category) => (groupId ? category.groupId === groupId : category.userId === user.id)).map((category) => category.id);
}

export interface BillFields {
  title?: string;
  amount: string;
  spentAt?: string;
  timeZone?: string;
  categoryId?: string | null;
  tags?: string[];
  groupId?: string;
}

export interface CreatedBill {
  id: string;
  version: number;
  spentOn: string;
  baseAmount: string;
}

export async function createBill(app: Express, user: GivenUser, fields: BillFields): Promise<CreatedBill> {
  const response = await request(app)
    .post('/api/v1/bills')
    .set(bearer(user))
    .send({ title: 'Bill', spentAt: new Date().toISOString(), ...fields });
  if (response.status !== 201) throw new Error(`creating a bill answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as CreatedBill;
}

export async function changeBill(app: Express, user: GivenUser, bill: { id: string; version: number }, changes: Partial<BillFields>): Promise<CreatedBill> {
  const response = await request(app).patch(`/api/v1/bills/${bill.id}`).set(bearer(user)).set('If-Match', `"${bill.version}"`).send(changes);
  if (response.status !== 200) throw new Error(`changing a bill answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as CreatedBill;
}

export async function deleteBill(app: Express, user: GivenUser, id: string): Promise<void> {
  await request(app).delete(`/api/v1/bills/${id}`).set(bearer(user)).expect(204);
}

/** Minor units as the API writes euros: 1234n → "12.34". */
export function euros(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Today as YYYY-MM-DD in UTC (the test users' time zone), shifted by days. */
export function utcDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
