/** Claim cards written as JSON once: exactly what JSON.stringify writes, and never a stale copy. */
import { describe, expect, it } from 'vitest';
import { knownBodyBytes } from '../../shared/http/known-body-bytes';
import { sameJson, settledView } from '../../shared/use-cases/serialized-views';
import { jsonOfView } from '../../shared/use-cases/view-json';

const deepFrozen = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFrozen(x);
    Object.freeze(v);
  }
  return v;
};

describe('sameJson', () => {
  it('is true only where JSON.stringify would write the same bytes', () => {
    const a = deepFrozen({ a: 1, b: [1, { c: '中' }], d: null, e: undefined });
    expect(sameJson(structuredClone(a), { a: 1, b: [1, { c: '中' }], d: null, e: undefined })).toBe(true);
    expect(sameJson(structuredClone(a), { b: [1, { c: '中' }], a: 1, d: null, e: undefined })).toBe(false); // key order
    expect(sameJson(structuredClone(a), { a: 1, b: [1, { c: '中' }], d: null })).toBe(false);
    expect(sameJson(structuredClone(a), { a: 1, b: [1, { c: '中', x: 1 }], d: null, e: undefined })).toBe(false);
    expect(sameJson({ n: Number.NaN }, { n: Number.NaN })).toBe(false); // never equal: written afresh
    expect(sameJson({ t: new Date(0) }, { t: new Date(0) })).toBe(false); // not plain data
    expect(sameJson([1, 2], [1, 2, 3])).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
  });
});

describe('settledView', () => {
  const doc = deepFrozen({ id: 'g1', address: { city: '北京' } });
  const catalogAttrs = { 颜色: '雾霾蓝' }; // the catalog's own object, not frozen
  const viewOf = (status: string, attrs: object = catalogAttrs) => ({ id: 'g1', status, address: doc.address, alternatives: [{ attrs }] });

  it('answers the same snapshot for an equal view, with JSON.stringify bytes, and a new one once the view changes', () => {
    const first = settledView(doc, viewOf('sent'));
    expect(jsonOfView(first)).toBe(JSON.stringify(viewOf('sent')));
    expect(new TextDecoder().decode(knownBodyBytes({ gift: first }))).toBe(JSON.stringify({ gift: viewOf('sent') }));
    expect(knownBodyBytes({ gift: first })).toBe(knownBodyBytes({ gift: first })); // encoded once
    expect(new TextDecoder().decode(knownBodyBytes({ card: first }))).toBe(JSON.stringify({ card: viewOf('sent') }));
    expect(settledView(doc, viewOf('sent'))).toBe(first);
    const claimed = settledView(doc, viewOf('claimed'));
    expect(claimed).not.toBe(first);
    expect(jsonOfView(claimed)).toBe(JSON.stringify(viewOf('claimed')));
  });

  it('copies what it does not own: the catalog object stays writable, and a change to it is seen', () => {
    const attrs = { 颜色: '雾霾蓝' };
    const d = deepFrozen({ id: 'g2' });
    const first = settledView(d, viewOf('sent', attrs));
    expect(Object.isFrozen(attrs)).toBe(false);
    attrs.颜色 = '燕麦灰';
    const next = settledView(d, viewOf('sent', attrs));
    expect(next).not.toBe(first);
    expect(jsonOfView(next)).toContain('燕麦灰');
  });

  it('remembers nothing for a document that is not frozen (a store that parses every read afresh)', () => {
    const view = viewOf('sent');
    expect(settledView({ id: 'g3' }, view)).toBe(view);
    expect(jsonOfView(view)).toBeUndefined();
    expect(knownBodyBytes({ gift: view })).toBeUndefined();
  });
});
