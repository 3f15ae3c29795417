/**
 * DynamoDB attribute values to and from plain JavaScript values, as @aws-sdk/util-dynamodb's convertToAttr and
 * convertToNative do it with the options the document layer uses (dynamodb-document.ts): the same types, the same
 * refusals and messages. ~1.5 KB of a bundle instead of the package's ~4.8 KB (its NumberValue and options are not
 * used); test/aws/attribute-values.test.ts holds the two side by side.
 */
type Attr = Record<string, unknown>;

export interface MarshallOptions {
  removeUndefinedValues?: boolean;
}

const UNDEFINED_VALUE = 'Pass options.removeUndefinedValues=true to remove undefined values from map/array/set.';
const BINARY_TYPES = new Set([
  'ArrayBuffer',
  'Blob',
  'Buffer',
  'DataView',
  'File',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

// biome-ignore lint/suspicious/noExplicitAny: any value may be stored
type Any = any;
const typeName = (data: Any): string | undefined => data?.constructor?.name;
const isBinary = (data: Any) => BINARY_TYPES.has(typeName(data) as string);

function numberAttr(num: Any): string {
  const text = num.toString();
  if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') throw new Error(`Special numeric value ${text} is not allowed`);
  const n = Number(num);
  const beyond =
    n > Number.MAX_SAFE_INTEGER
      ? 'greater than Number.MAX_SAFE_INTEGER'
      : n < Number.MIN_SAFE_INTEGER
        ? 'lesser than Number.MIN_SAFE_INTEGER'
        : '';
  if (beyond) throw new Error(`Number ${text} is ${beyond}. Use NumberValue from @aws-sdk/lib-dynamodb.`);
  return text;
}

function mapAttr(entries: Iterable<[string, unknown]>, options: MarshallOptions): Attr {
  const map: Attr = {};
  for (const [key, value] of entries) {
    if (typeof value !== 'function' && (value !== undefined || !options.removeUndefinedValues)) map[key] = toAttr(value, options);
  }
  return { M: map };
}

function* enumerable(data: Any): Iterable<[string, unknown]> {
  for (const key in data) yield [key, data[key]];
}

function setAttr(set: Set<Any>, options: MarshallOptions): Attr {
  const values = [...set].filter((v) => v !== undefined || !options.removeUndefinedValues);
  if (values.includes(undefined)) throw new Error(UNDEFINED_VALUE);
  if (values.length === 0) throw new Error('Pass a non-empty set, or options.convertEmptyValues=true.');
  const first = values[0];
  if (typeof first === 'number') return { NS: values.map(numberAttr) };
  if (typeof first === 'bigint') return { NS: values.map((v) => v.toString()) };
  if (typeof first === 'string') return { SS: values.map((v) => v.toString()) };
  if (isBinary(first)) return { BS: values };
  throw new Error('Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.');
}

/** One value as an attribute value (convertToAttr). */
export function toAttr(data: Any, options: MarshallOptions = {}): Attr {
  if (data === undefined) throw new Error(UNDEFINED_VALUE);
  if (data === null) return { NULL: true };
  if (Array.isArray(data)) {
    const items = data.filter((i) => typeof i !== 'function' && (!options.removeUndefinedValues || i !== undefined));
    return { L: items.map((i) => toAttr(i, options)) };
  }
  const type = typeName(data);
  if (type === 'Set') return setAttr(data, options);
  if (type === 'Map') return mapAttr(data, options);
  if (type === 'Object' || (!data.constructor && typeof data === 'object')) return mapAttr(enumerable(data), options);
  if (isBinary(data)) return { B: data };
  if (typeof data === 'boolean' || type === 'Boolean') return { BOOL: data.valueOf() };
  if (typeof data === 'number' || type === 'Number') return { N: numberAttr(data) };
  if (typeof data === 'bigint') return { N: data.toString() };
  if (typeof data === 'string' || type === 'String') return { S: data.toString() };
  throw new Error(
    `Unsupported type passed: ${data}. Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.`,
  );
}

function toNumber(text: string): number | bigint {
  const num = Number(text);
  if ((num > Number.MAX_SAFE_INTEGER || num < Number.MIN_SAFE_INTEGER) && Number.isFinite(num)) {
    try {
      return BigInt(text);
    } catch {
      throw new Error(`${text} can't be converted to BigInt. Set options.wrapNumbers to get string value.`);
    }
  }
  return num;
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
      case 'N':
        return toNumber(value);
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
      case 'NS':
        return new Set(value.map(toNumber));
      case 'BS':
      case 'SS':
        return new Set(value);
      default:
        throw new Error(`Unsupported type passed: ${key}`);
    }
  }
  throw new Error(`No value defined: ${JSON.stringify(data)}`);
}
