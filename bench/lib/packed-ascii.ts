/**
 * Fixed-width ASCII strings (ids, claim tokens) packed in one buffer: a day replay's millions of them held without
 * millions of heap objects, which every garbage collection of a long run would otherwise have to walk.
 */
export class PackedAscii {
  private readonly bytes: Buffer;

  constructor(
    readonly count: number,
    readonly width: number,
  ) {
    this.bytes = Buffer.alloc(count * width);
  }

  set(i: number, s: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`index ${i} outside 0..${this.count - 1}`);
    if (s.length !== this.width || !/^[\x21-\x7e]*$/.test(s)) throw new Error(`"${s}" is not ${this.width} printable ASCII characters`);
    this.bytes.write(s, i * this.width, 'latin1');
  }

  /** The string set at `i`, or undefined if none was. */
  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`index ${i} outside 0..${this.count - 1}`);
    return this.bytes[i * this.width] === 0 ? undefined : this.bytes.toString('latin1', i * this.width, (i + 1) * this.width);
  }
}
