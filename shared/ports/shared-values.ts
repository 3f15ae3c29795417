/**
 * Small values every instance of a target shares through its store (WeChat's access token, which only one instance
 * should fetch at a time). Each write names the version it replaces, so two instances racing to replace the same
 * value cannot both win: the loser reads what the winner wrote.
 */
export interface SharedValue {
  value: string;
  /** 1 for the first write of a key, one more on every write after. */
  version: number;
}

export interface SharedValues {
  /** The value under `key`, read consistently (a write that returned is seen), or null. */
  read(key: string): Promise<SharedValue | null>;
  /**
   * Writes `value` under `key` if its version is still `expected` (null: the key is absent). Returns what was
   * written, or null when another write got there first (nothing changed).
   */
  writeIf(key: string, value: string, expected: number | null): Promise<SharedValue | null>;
}
