import type { SharedValue, SharedValues } from '../../ports/shared-values';

/** In-process shared values (tests, LOCAL_STORE=memory): shared by whatever holds this instance. */
export class MemorySharedValues implements SharedValues {
  private readonly values = new Map<string, SharedValue>();

  async read(key: string): Promise<SharedValue | null> {
    const v = this.values.get(key);
    return v ? { ...v } : null;
  }

  async writeIf(key: string, value: string, expected: number | null): Promise<SharedValue | null> {
    const current = this.values.get(key)?.version ?? null;
    if (current !== expected) return null;
    const written = { value, version: (expected ?? 0) + 1 };
    this.values.set(key, written);
    return { ...written };
  }
}
