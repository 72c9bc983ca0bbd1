import { randomUUID } from 'node:crypto';
import type { Envelope } from '@spendcast/proto';
import { appendToOutbox, seal, type ConsumerSql, type EventConsumer } from '../../platform/bus';
import type { ScopedAnswers } from '../../platform/cache';
import type { ServingModel } from './serving-model';

/**
 * Asks for fresh forecasts when bills change (`prediction.requested`, written to the outbox in the
 * same transaction that records the bill events as processed, so each change asks exactly once).
 * Changes delivered together ask once per scope, for all their categories: a burst of bills in a
 * group is one request, not one per bill. Cached answers are retired by the writing replica right
 * after its commit (a BillChangeListener) and, for the other replicas, by `cachedAnswersConsumer`.
 */
export function insightsConsumer(): EventConsumer {
  const handleBatch = async (envelopes: Envelope[], sql: ConsumerSql) => {
    const requests = new Map<string, { groupId: string; userId: string; categoryIds: Set<string>; correlationId: string }>();
    for (const envelope of envelopes) {
      const change = billChange(envelope);
      if (!change) continue;
      const scopeKey = change.groupId ?? change.userId ?? '';
      const request = requests.get(scopeKey) ?? { groupId: change.groupId ?? '', userId: change.userId ?? '', categoryIds: new Set(), correlationId: envelope.correlationId };
      for (const id of change.categoryIds) if (id !== null) request.categoryIds.add(id);
      requests.set(scopeKey, request);
    }
    const occurredAt = new Date();
    await appendToOutbox(
      sql,
      ...[...requests].map(([scopeKey, { correlationId, categoryIds, ...scope }]) =>
        seal({ scopeKey, payload: { case: 'predictionRequested', value: { ...scope, categoryIds: [...categoryIds] } } }, { eventId: randomUUID(), occurredAt, correlationId }),
      ),
    );
  };
  return {
    name: 'insights',
    topics: ['bill.created', 'bill.updated', 'bill.deleted'],
    handle: (envelope, sql) => handleBatch([envelope], sql),
    handleBatch,
  };
}

/**
 * Retires the changed scope's cached answers on every replica. The writing replica already did so at
 * commit, which with Redis reaches all of them; without Redis each replica keeps its own in-memory
 * cache, and this is how the others hear of the change. Only for that case: a retirement arriving
 * after the fact also discards answers computed since the commit.
 */
export function cachedAnswersConsumer(answers: ScopedAnswers): EventConsumer {
  return {
    name: 'cached-answers',
    topics: ['bill.created', 'bill.updated', 'bill.deleted'],
    perReplica: true,
    async handle(envelope) {
      const change = billChange(envelope);
      if (change) await answers.retire(change);
    },
  };
}

/**
 * Keeps this replica's record of the serving forecast model, which cached forecasts are keyed by.
 * Per replica: without Redis each keeps its own record, and with Redis writing it twice is harmless.
 */
export function servingModelConsumer(servingModel: ServingModel): EventConsumer {
  return {
    name: 'serving-model',
    topics: ['model.registered'],
    perReplica: true,
    async handle({ payload }) {
      if (payload.case === 'modelRegistered' && payload.value.status === 'active') await servingModel.announce(payload.value);
    },
  };
}

function billChange(envelope: Envelope) {
  const { payload } = envelope;
  if (payload.case !== 'billCreated' && payload.case !== 'billUpdated' && payload.case !== 'billDeleted') return undefined;
  const bills = [payload.value.bill, payload.case === 'billUpdated' ? payload.value.previous : undefined].filter((bill) => bill !== undefined);
  const first = bills[0];
  if (!first) return undefined;
  return {
    groupId: first.groupId || null,
    userId: first.groupId ? null : first.userId,
    categoryIds: [...new Set(bills.map((bill) => bill.categoryId || null))],
    days: [...new Set(bills.map((bill) => bill.spentOn))],
  };
}
