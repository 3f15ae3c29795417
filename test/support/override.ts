/** `base` with some of its methods replaced; the others still run on `base` (class instances keep working). */
export function override<T extends object>(base: T, patch: Partial<T>): T {
  return new Proxy(base, {
    get(target, key) {
      if (key in patch) return patch[key as keyof T];
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
