import type { OutboxDocument } from '../domain/outbox-document';
import type { Deps } from '../ports/deps';

/** A function fed by a table's change stream (DynamoDB Streams on AWS): each changed document, as committed. */
export interface ChangeConsumer<R = unknown> {
  name: string;
  handle(deps: Deps, doc: OutboxDocument): Promise<R>;
}

export const changeConsumer = <R>(name: string, handle: (deps: Deps, doc: OutboxDocument) => Promise<R>): ChangeConsumer<R> => ({
  name,
  handle,
});
