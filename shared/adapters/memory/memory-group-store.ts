import {
  GroupStoreCore,
  type GroupStoreCoreOptions,
  type PartRange,
  type PartRecord,
  type TimerHit,
  type TimerRange,
} from '../../store/group-store-core';

const keyOf = (pk: string, sk: string) => `${pk}\u0000${sk}`;

/**
 * In-process group parts (tests, LOCAL_STORE=memory). Records are copied in and out, as a real engine would. The
 * timer index is a map of entries moved with their record; a due query scans and sorts it (a test-sized store).
 */
export class MemoryGroupStore extends GroupStoreCore {
  private readonly records = new Map<string, PartRecord>();
  /** Timer entry key → the key of the record that owns it. */
  private readonly timers = new Map<string, string>();

  constructor(opts: GroupStoreCoreOptions = {}) {
    super(opts);
  }

  protected async readPart(pk: string, sk: string): Promise<PartRecord | null> {
    const r = this.records.get(keyOf(pk, sk));
    return r ? structuredClone(r) : null;
  }

  protected async insertPart(record: PartRecord): Promise<boolean> {
    const key = keyOf(record.pk, record.sk);
    if (this.records.has(key)) return false;
    this.write(key, undefined, record);
    return true;
  }

  protected async replacePart(record: PartRecord, expectedVersion: number): Promise<boolean> {
    const key = keyOf(record.pk, record.sk);
    const current = this.records.get(key);
    if (current?.version !== expectedVersion) return false;
    this.write(key, current, record);
    return true;
  }

  protected async queryParts(range: PartRange): Promise<PartRecord[]> {
    const lower = range.after ?? '';
    return [...this.records.values()]
      .filter((r) => r.pk === range.pk && r.sk.startsWith(range.prefix) && r.sk > lower)
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0))
      .slice(0, range.limit)
      .map((r) => structuredClone(r));
  }

  protected async queryTimer(range: TimerRange): Promise<TimerHit[]> {
    const lower = range.after ?? '';
    const hits: TimerHit[] = [];
    for (const recordKey of this.timers.values()) {
      const record = this.records.get(recordKey)!;
      const t = record.timer!;
      if (t.pk === range.pk && t.sk > lower && t.sk <= range.through && t.kinds.includes(range.kind))
        hits.push({ sk: t.sk, part: { pk: record.pk, sk: record.sk }, record: structuredClone(record) });
    }
    return hits.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0)).slice(0, range.limit);
  }

  private write(key: string, before: PartRecord | undefined, after: PartRecord): void {
    if (before?.timer) this.timers.delete(keyOf(before.timer.pk, before.timer.sk));
    if (after.timer) this.timers.set(keyOf(after.timer.pk, after.timer.sk), key);
    this.records.set(key, structuredClone(after));
  }
}
