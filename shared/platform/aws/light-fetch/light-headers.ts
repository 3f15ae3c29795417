import { isRealInstance } from './real-fetch-classes';

type HeadersInput = Iterable<readonly [string, string]> | Record<string, string> | undefined | null;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** WebIDL ByteString: every code unit ≤ 0xFF, else TypeError (what undici throws). */
function byteString(value: unknown, what: string): string {
  const s = String(value);
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 0xff) throw new TypeError(`Headers: ${what} is not a ByteString (character ${i} is above 255)`);
  return s;
}

function headerName(name: unknown): string {
  const s = byteString(name, 'a header name');
  if (!TOKEN.test(s)) throw new TypeError(`Headers: invalid header name "${s}"`);
  return s.toLowerCase();
}

function headerValue(value: unknown, name: string): string {
  const s = byteString(value, `the value of ${name}`).replace(HTTP_WHITESPACE, '');
  if (/[\0\r\n]/.test(s)) throw new TypeError(`Headers: invalid value for ${name}`);
  return s;
}

/**
 * The fetch `Headers` class as the Lambda edge needs it, without undici: names case-insensitive (kept lower-cased),
 * values normalised and validated as undici does, iteration sorted by name with each Set-Cookie on its own, other
 * repeated names joined with ", ". Guards (immutable request headers) are not modelled: nothing here freezes headers.
 */
export class LightHeaders {
  readonly #map = new Map<string, string[]>();

  constructor(init?: HeadersInput | Headers) {
    if (init === undefined || init === null) return;
    if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError('Headers: init must be an object');
    if (Symbol.iterator in (init as object)) {
      for (const pair of init as Iterable<readonly string[]>) {
        const entry = [...pair];
        if (entry.length !== 2) throw new TypeError('Headers: each header must be a [name, value] pair');
        this.append(entry[0]!, entry[1]!);
      }
    } else for (const key of Object.keys(init)) this.append(key, (init as Record<string, string>)[key]!);
  }

  static [Symbol.hasInstance](x: unknown): boolean {
    return (typeof x === 'object' && x !== null && #map in x) || isRealInstance('Headers', x);
  }

  get [Symbol.toStringTag]() {
    return 'Headers';
  }

  append(name: string, value: string): void {
    const key = headerName(name);
    const v = headerValue(value, key);
    const values = this.#map.get(key);
    if (values) values.push(v);
    else this.#map.set(key, [v]);
  }

  set(name: string, value: string): void {
    const key = headerName(name);
    this.#map.set(key, [headerValue(value, key)]);
  }

  delete(name: string): void {
    this.#map.delete(headerName(name));
  }

  has(name: string): boolean {
    return this.#map.has(headerName(name));
  }

  get(name: string): string | null {
    return this.#map.get(headerName(name))?.join(', ') ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.#map.get('set-cookie') ?? [])];
  }

  *entries(): Generator<[string, string], undefined> {
    for (const key of [...this.#map.keys()].sort()) {
      const values = this.#map.get(key);
      if (!values) continue;
      if (key === 'set-cookie') for (const v of values) yield [key, v];
      else yield [key, values.join(', ')];
    }
    return undefined;
  }

  *keys(): Generator<string, undefined> {
    for (const [key] of this.entries()) yield key;
    return undefined;
  }

  *values(): Generator<string, undefined> {
    for (const [, value] of this.entries()) yield value;
    return undefined;
  }

  [Symbol.iterator](): Generator<[string, string], undefined> {
    return this.entries();
  }

  forEach(callback: (value: string, key: string, parent: LightHeaders) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
