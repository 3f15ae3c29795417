import { brotliDecompressSync } from 'node:zlib';

/** A value carried in a bundle as `{ brotli }` (its JSON, Brotli-compressed, in base64: scripts/generate-compact-data.ts). */
export interface CompressedJson {
  brotli: string;
}

/** The value back, decompressed and parsed (done once, on first use, by its readers). */
export const readCompressedJson = <T>(file: CompressedJson): T =>
  JSON.parse(brotliDecompressSync(Buffer.from(file.brotli, 'base64')).toString('utf8')) as T;
