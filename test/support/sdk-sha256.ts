import { createHash, createHmac } from 'node:crypto';

/** What the SDK's hash interface is fed (@smithy/types SourceData). */
type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (d: SourceData) =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** The hash interface the AWS SDK's signer (@smithy/signature-v4) takes, over node:crypto, to check ours against it. */
export class SdkSha256 {
  private hash;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret ? createHmac('sha256', bytes(this.secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}
