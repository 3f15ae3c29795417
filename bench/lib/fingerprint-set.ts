import { createHash } from 'node:crypto';

/**
 * A set of strings held as 64-bit fingerprints (the first 8 bytes of SHA-256) in one typed array, by open addressing:
 * a day's million keys without a million heap strings for every garbage collection to walk. Two distinct keys share
 * a fingerprint with odds of about n²/2⁶⁵ (4·10⁻⁸ at 1.2 million keys); such a pair reads as one key added twice, so
 * a count reconciled against it can show a repeat that was not one, never hide one that was.
 */
export class FingerprintSet {
  /** Pairs of 32-bit halves; (0, 0) marks an empty slot (a fingerprint of zeros is stored as (0, 1)). */
  private slots = new Uint32Array(2 * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it (or a key with its fingerprint) is already in. */
  add(key: string): boolean {
    const digest = createHash('sha256').update(key).digest();
    const hi = digest.readUInt32LE(0);
    const lo = digest.readUInt32LE(4) || (hi === 0 ? 1 : 0);
    // At most half full: probe runs stay short.
    if ((this.count + 1) * 4 > this.slots.length) this.grow();
    return this.insert(hi, lo);
  }

  private insert(hi: number, lo: number): boolean {
    const mask = this.slots.length / 2 - 1;
    for (let i = (lo ^ hi) & mask; ; i = (i + 1) & mask) {
      const h = this.slots[2 * i]!;
      const l = this.slots[2 * i + 1]!;
      if (h === 0 && l === 0) {
        this.slots[2 * i] = hi;
        this.slots[2 * i + 1] = lo;
        this.count++;
        return true;
      }
      if (h === hi && l === lo) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}
