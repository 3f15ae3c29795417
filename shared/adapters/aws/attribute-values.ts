/**
 * DynamoDB attribute values to and from plain JavaScript values, for what songli stores: JSON values (safe numbers
 * only), bytes (the compressed documents) and string sets (timer kinds). On those, exactly what @aws-sdk/util-dynamodb's
 * convertToAttr and convertToNative do with the options the document layer uses (dynamodb-document.ts); anything else
 * (a Map, a Date, a bigint, a number or binary set, a class instance) is refused naming its type, where the package
 * would store it one way or another. ~1.5 KB of every DynamoDB function instead of ~2.8 KB for the package's whole range;
 * test/aws/attribute-values.test.ts holds the two side by side.
 */
type Attr = Record<string, unknown>;

export interface MarshallOptions {
  removeUndefinedValues?: boolean;
}

const UNDEFINED_VALUE = 'Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.';

// biome-ignore lint/suspicious/noExplicitAny: any value may be offered
type Any = any;

const refuse = (what: string): never => {
  throw new Error(`songli stores JSON values, bytes and string sets in DynamoDB, not ${what}`);
};

function numberAttr(n: number): string {
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) refuse(`the number ${n}`);
  return n.toString();
}

/** Entries kept as the package keeps them: functions dropped, undefined dropped with the option, else refused. */
const kept = (value: unknown, options: MarshallOptions) =>
  typeof value !== 'function' && (value !== undefined || !options.removeUndefinedValues);

/** One value as an attribute value (convertToAttr). */
export function toAttr(data: Any, options: MarshallOptions = {}): Attr {
  if (data === undefined) throw new Error(UNDEFINED_VALUE);
  if (data === null) return { NULL: true };
  if (typeof data === 'string') return { S: data };
  if (typeof data === 'number') return { N: numberAttr(data) };
  if (typeof data === 'boolean') return { BOOL: data };
  if (Array.isArray(data)) return { L: data.filter((v) => kept(v, options)).map((v) => toAttr(v, options)) };
  if (data instanceof Uint8Array) return { B: data };
  const proto = typeof data === 'object' ? Object.getPrototypeOf(data) : undefined;
  if (proto === Object.prototype || proto === null) {
    const map: Attr = {};
    for (const key in data) if (kept(data[key], options)) map[key] = toAttr(data[key], options);
    return { M: map };
  }
  if (data instanceof Set) {
    const values = [...data].filter((v) => v !== undefined || !options.removeUndefinedValues);
    if (values.includes(undefined)) throw new Error(UNDEFINED_VALUE);
    if (values.length === 0 || values.some((v) => typeof v !== 'string')) refuse('this set');
    return { SS: values };
  }
  return refuse(`a ${data.constructor?.name ?? typeof data}`);
}

/** One attribute value as a plain value (convertToNative). */
export function fromAttr(data: Attr): unknown {
  for (const [key, value] of Object.entries(data) as [string, Any][]) {
    if (value === undefined) continue;
    switch (key) {
      case 'NULL':
        return null;
      case 'BOOL':
        return Boolean(value);
      case 'N': {
        const n = Number(value);
        return Number.isSafeInteger(Math.trunc(n)) ? n : refuse(`the number ${value}`);
      }
      case 'B':
      case 'S':
        return value;
      case 'L':
        return value.map(fromAttr);
      case 'M': {
        const out: Attr = {};
        for (const [k, v] of Object.entries(value)) out[k] = fromAttr(v as Attr);
        return out;
      }
      case 'SS':
        return new Set(value);
      default:
        return refuse(`a ${key} attribute`);
    }
  }
  throw new Error(`No value defined: ${JSON.stringify(data)}`);
}
