import type { EffectLeases } from '../ports/effect-leases';

/**
 * EffectLeases for a store one process owns: per document, a map from effect to the instant its lease ends. Keyed by the
 * ids themselves (strings the documents already hold, hashed once), not by a `<doc>\0<effect>` string built, flattened
 * and hashed at every hold and again at every release.
 */
export class InProcessEffectLeases implements EffectLeases {
  private readonly held = new Map<string, Map<string, string>>();
  private count = 0;

  hold(docId: string, effectIds: readonly string[], now: string, until: string): string[] {
    const taken: string[] = [];
    let doc = this.held.get(docId);
    for (const id of effectIds) {
      const end = doc?.get(id);
      if (end !== undefined && end > now) continue;
      if (!doc) {
        doc = new Map();
        this.held.set(docId, doc);
      }
      if (end === undefined) this.count++;
      doc.set(id, until);
      taken.push(id);
    }
    return taken;
  }

  release(docId: string, effectIds: readonly string[]): void {
    const doc = this.held.get(docId);
    if (!doc) return;
    for (const id of effectIds) if (doc.delete(id)) this.count--;
    if (doc.size === 0) this.held.delete(docId);
  }

  /** Leases held now (tests: a dispatcher lets go of every lease it took). */
  get size(): number {
    return this.count;
  }
}
