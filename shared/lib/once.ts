/** Runs `init` once per process (a warm function instance) and again only after a failed attempt; concurrent first calls share it. */
export function once<T>(init: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= init().catch((e) => {
      pending = null;
      throw e;
    });
    return pending;
  };
}
