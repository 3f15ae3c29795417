/**
 * Node's own fetch classes (undici), reached without loading them before they are needed. Node defines `Response`,
 * `Headers` and `Request` on globalThis as getters that load undici (~20 ms) on first touch; the Lambda edge puts light
 * stand-ins there instead (install-light-fetch.ts) and keeps the original getters here, so a stand-in can still become
 * the real thing when something asks for what only undici has (a body stream, a Blob, …).
 */
export type FetchClassName = 'Response' | 'Headers' | 'Request';
type FetchClasses = { Response: typeof Response; Headers: typeof Headers; Request: typeof Request };

const originals = new Map<FetchClassName, PropertyDescriptor>();
const loaded = new Map<FetchClassName, unknown>();

/** Remembers Node's descriptor of a global fetch class before a stand-in replaces it. */
export function rememberOriginal(name: FetchClassName): void {
  if (originals.has(name)) return;
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  if (descriptor) originals.set(name, descriptor);
}

/** The original descriptors, to put back (tests). */
export function originalDescriptor(name: FetchClassName): PropertyDescriptor | undefined {
  return originals.get(name);
}

/** The real class; loads undici the first time if nothing has yet. Whatever is on globalThis stays there. */
export function realFetchClass<K extends FetchClassName>(name: K): FetchClasses[K] {
  const known = loaded.get(name);
  if (known) return known as FetchClasses[K];
  const original = originals.get(name);
  let value: unknown;
  if (original?.get) {
    // Node's getter replaces the global with the class it loaded: put back what is there now (the stand-in).
    const current = Object.getOwnPropertyDescriptor(globalThis, name);
    value = original.get.call(globalThis);
    if (current) Object.defineProperty(globalThis, name, current);
  } else value = original ? original.value : (globalThis as unknown as FetchClasses)[name];
  loaded.set(name, value);
  return value as FetchClasses[K];
}

/** Whether `x` is an instance of the real class, without loading undici for values that cannot be one. */
export function isRealInstance(name: FetchClassName, x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Object.prototype.toString.call(x) !== `[object ${name}]`) return false;
  return x instanceof (realFetchClass(name) as unknown as new () => object);
}
