import type { EffectLeases } from '../ports/effect-leases';

const keyOf = (docId: string, effectId: string) => `${docId}\u0000${effectId}`;

/** EffectLeases for a store one process owns: a map from effect to the instant its lease ends. */
export class InProcessEffectLeases implements EffectLeases {
  private readonly held = new Map<string, string>();

  hold(docId: string, effectIds: readonly string[], now: string, until: string): string[] {
    const taken: string[] = [];
    for (const id of effectIds) {
      const key = keyOf(docId, id);
      const end = this.held.get(key);
      if (end !== undefined && end > now) continue;
      this.held.set(key, until);
      taken.push(id);
    }
    return taken;
  }

  release(docId: string, effectIds: readonly string[]): void {
    for (const id of effectIds) this.held.delete(keyOf(docId, id));
  }

  /** Leases held now (tests: a dispatcher lets go of every lease it took). */
  get size(): number {
    return this.held.size;
  }
}
