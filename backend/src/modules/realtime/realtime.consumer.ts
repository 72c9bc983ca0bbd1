import type { Bill, Envelope } from '@spendcast/proto';
import { occurredAt, type ConsumerSql, type EventConsumer } from '../../platform/bus';
import type { RealtimeGateway } from './realtime.gateway';

interface Member {
  user_id: string;
  role: string;
  members_see_all_bills: boolean;
}

/**
 * Pushes bill and forecast events to this replica's sockets, to exactly the users allowed to see
 * them: a personal bill to its owner; a group bill to the group's admins, its creator and owner, and
 * to every member only when the group lets members see each other's bills.
 */
export function realtimeConsumer(gateway: RealtimeGateway): EventConsumer {
  return {
    name: 'realtime',
    topics: ['bill.created', 'bill.updated', 'bill.deleted', 'prediction.requested'],
    perReplica: true,
    async handle(envelope, sql) {
      const connected = gateway.connectedUsers();
      if (connected.size === 0) return;
      const message = describe(envelope);
      if (!message) return;
      const audience = message.groupId ? await groupAudience(sql, message.groupId, message.involved) : message.involved;
      gateway.send(
        [...audience].filter((userId) => connected.has(userId)),
        message.body,
      );
    },
  };
}

interface Described {
  groupId: string;
  /** Users who see the event whatever the group's setting. */
  involved: Set<string>;
  body: object;
}

function describe(envelope: Envelope): Described | undefined {
  const common = { type: envelope.type, eventId: envelope.eventId, occurredAt: occurredAt(envelope).toISOString() };
  const payload = envelope.payload;
  if (payload.case === 'predictionRequested') {
    const { groupId, userId, categoryIds } = payload.value;
    return { groupId, involved: new Set([userId].filter(Boolean)), body: { ...common, groupId: groupId || null, categoryIds } };
  }
  const bill = payload.case === 'billCreated' || payload.case === 'billUpdated' || payload.case === 'billDeleted' ? payload.value.bill : undefined;
  if (!bill) return undefined;
  return { groupId: bill.groupId, involved: new Set([bill.userId, bill.createdBy].filter(Boolean)), body: { ...common, groupId: bill.groupId || null, bill: billView(bill) } };
}

function billView(bill: Bill) {
  return {
    id: bill.billId,
    groupId: bill.groupId || null,
    ownerId: bill.userId,
    createdBy: bill.createdBy || null,
    version: bill.version,
    title: bill.title,
    amount: bill.amount,
    currency: bill.currency,
    spentOn: bill.spentOn,
    categoryId: bill.categoryId || null,
  };
}

async function groupAudience(sql: ConsumerSql, groupId: string, involved: Set<string>): Promise<Set<string>> {
  const { rows } = await sql.query<Member>(
    `SELECT m.user_id, m.role, g.members_see_all_bills FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.group_id = $1`,
    [groupId],
  );
  return new Set(rows.filter((member) => member.role === 'admin' || member.members_see_all_bills || involved.has(member.user_id)).map((member) => member.user_id));
}
