'use strict';
// What deploy bundles carry in place of safe-stable-stringify (~7.6 KB minified; build/esbuild-plugins.cjs). pino calls
// it only after JSON.stringify threw on a line (a circular reference, a BigInt), through `configure({ maximumDepth,
// maximumBreadth })` and a one-argument call. This is that call with safe-stable-stringify's defaults (keys sorted,
// "[Circular]", BigInt as a number, "[Object]"/"[Array]" past the depth, "... N items not stringified" past the breadth).
// test/deploy/safe-stringify-stub.test.ts compares it with the package on such values.
const items = (n) => (n === 1 ? '1 item' : `${n} items`);

function configure({ maximumDepth = Number.POSITIVE_INFINITY, maximumBreadth = Number.POSITIVE_INFINITY } = {}) {
  function str(key, value, stack) {
    if (typeof value === 'object' && value !== null && typeof value.toJSON === 'function') {
      value = value.toJSON(key);
      if (typeof value !== 'object' || value === null) return str(key, value, stack);
    }
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
        return Number.isFinite(value) ? String(value) : 'null';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'bigint':
        return String(value);
      case 'object':
        break;
      default:
        return undefined;
    }
    if (value === null) return 'null';
    if (stack.includes(value)) return '"[Circular]"';
    const parts = [];
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      if (maximumDepth < stack.length + 1) return '"[Array]"';
      stack.push(value);
      const n = Math.min(value.length, maximumBreadth);
      for (let i = 0; i < n; i++) parts.push(str(String(i), value[i], stack) ?? 'null');
      if (value.length - 1 > maximumBreadth) parts.push(`"... ${items(value.length - maximumBreadth - 1)} not stringified"`);
      stack.pop();
      return `[${parts.join(',')}]`;
    }
    let keys = Object.keys(value);
    const total = keys.length;
    if (total === 0) return '{}';
    if (maximumDepth < stack.length + 1) return '"[Object]"';
    let most = Math.min(total, maximumBreadth);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView) && value.length > 0) {
      const n = Math.min(value.length, maximumBreadth);
      for (let i = 0; i < n; i++) parts.push(`"${i}":${value[i]}`);
      keys = keys.slice(value.length);
      most -= value.length;
    }
    keys.sort();
    stack.push(value);
    for (let i = 0; i < most; i++) {
      const s = str(keys[i], value[keys[i]], stack);
      if (s !== undefined) parts.push(`${JSON.stringify(keys[i])}:${s}`);
    }
    if (total > maximumBreadth) parts.push(`"...":"${items(total - maximumBreadth)} not stringified"`);
    stack.pop();
    return `{${parts.join(',')}}`;
  }
  return (value) => str('', value, []);
}

module.exports = { configure };
