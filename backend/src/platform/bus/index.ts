export { Outbox } from './outbox';
export type { DomainEvent, EventPublisher } from './outbox';
export { OutboxEntity } from './outbox.entity';
