import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EnvelopeSchema, type Envelope } from '@spendcast/proto';

/** Bumped with an incompatible payload change; consumers refuse envelopes of versions they do not know. */
export const SCHEMA_VERSION = 1;

/** The payload of an event: one case of the envelope's oneof, e.g. `{ case: 'billCreated', value: … }`. */
export type EventPayload = Exclude<MessageInitShape<typeof EnvelopeSchema>['payload'], { case: undefined } | undefined>;
export type EventKind = EventPayload['case'];

/** Each kind of event travels on its own topic (DESIGN.md: Events). */
export const TOPICS = {
  billCreated: 'bill.created',
  billUpdated: 'bill.updated',
  billDeleted: 'bill.deleted',
  userJoined: 'user.joined',
  userDeleted: 'user.deleted',
  predictionRequested: 'prediction.requested',
  modelRegistered: 'model.registered',
  budgetThresholdCrossed: 'budget.threshold_crossed',
} as const satisfies Record<EventKind, string>;

export type Topic = (typeof TOPICS)[EventKind];
export const ALL_TOPICS = Object.values(TOPICS);

export interface DomainEvent {
  /** The group id, or the user id for personal scope: events of one scope stay in order. */
  scopeKey: string;
  payload: EventPayload;
}

export interface SealedEvent {
  eventId: string;
  topic: Topic;
  scopeKey: string;
  occurredAt: Date;
  bytes: Uint8Array;
}

export function seal(event: DomainEvent, meta: { eventId: string; occurredAt: Date; correlationId?: string }): SealedEvent {
  const topic = TOPICS[event.payload.case];
  const envelope = create(EnvelopeSchema, {
    eventId: meta.eventId,
    type: topic,
    occurredAt: timestampFromDate(meta.occurredAt),
    scopeKey: event.scopeKey,
    correlationId: meta.correlationId ?? '',
    schemaVersion: SCHEMA_VERSION,
    payload: event.payload,
  });
  return { eventId: meta.eventId, topic, scopeKey: event.scopeKey, occurredAt: meta.occurredAt, bytes: toBinary(EnvelopeSchema, envelope) };
}

export class UnreadableEvent extends Error {}

/** Decodes an envelope; refuses one that is not an envelope of a version this code knows. */
export function open(bytes: Uint8Array): Envelope {
  let envelope: Envelope;
  try {
    envelope = fromBinary(EnvelopeSchema, bytes);
  } catch (error) {
    throw new UnreadableEvent(`not an event envelope: ${(error as Error).message}`);
  }
  if (envelope.schemaVersion !== SCHEMA_VERSION) throw new UnreadableEvent(`event ${envelope.eventId} has schema version ${envelope.schemaVersion}; this build reads ${SCHEMA_VERSION}`);
  if (!envelope.eventId || envelope.payload.case === undefined) throw new UnreadableEvent('the envelope has no event id or no payload');
  return envelope;
}

export function occurredAt(envelope: Envelope): Date {
  return envelope.occurredAt ? timestampDate(envelope.occurredAt) : new Date(0);
}
