/** The compressions the local server offers, in its order of preference when the client rates them equally. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Picks the response's content coding from an Accept-Encoding header (RFC 9110 §12.5.3): the offered coding with the
 * highest quality above 0 (`*` rates any coding not named), the server's order breaking ties; no header, or nothing
 * acceptable, answers uncompressed (identity is always sent rather than 406).
 */
export function chooseEncoding(acceptEncoding: string | null | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const rated = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q\s*=\s*(.*?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    // A malformed weight rates the coding 0: better uncompressed than a coding the client may not decode.
    const quality = q === undefined ? 1 : /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q) ? Number(q) : 0;
    rated.set(name.trim(), quality);
  }
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const encoding of ENCODINGS) {
    const q = rated.get(encoding) ?? rated.get('*') ?? 0;
    if (q > bestQ) [best, bestQ] = [encoding, q];
  }
  return best;
}
