import { GroupStoreCore, type PartRange, type PartRecord } from '../../store/group-store-core';

const keyOf = (pk: string, sk: string) => `${pk}\u0000${sk}`;

/** In-process group parts (tests, LOCAL_STORE=memory). Records are copied in and out, as a real engine would. */
export class MemoryGroupStore extends GroupStoreCore {
  private readonly records = new Map<string, PartRecord>();

  protected async readPart(pk: string, sk: string): Promise<PartRecord | null> {
    const r = this.records.get(keyOf(pk, sk));
    return r ? structuredClone(r) : null;
  }

  protected async insertPart(record: PartRecord): Promise<boolean> {
    const key = keyOf(record.pk, record.sk);
    if (this.records.has(key)) return false;
    this.records.set(key, structuredClone(record));
    return true;
  }

  protected async replacePart(record: PartRecord, expectedVersion: number): Promise<boolean> {
    const key = keyOf(record.pk, record.sk);
    if (this.records.get(key)?.version !== expectedVersion) return false;
    this.records.set(key, structuredClone(record));
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
}
