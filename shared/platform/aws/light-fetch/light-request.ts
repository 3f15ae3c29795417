import type { LightHeaders } from './light-headers';
import { realFetchClass } from './real-fetch-classes';

/**
 * The request Hono's `app.fetch` reads, for an event whose body is already whole (API Gateway buffers it): url,
 * method and headers as the real Request would hold them, the body read back directly. What only undici has (a body
 * stream, Blob, FormData, signal, clone…) builds the real Request first and answers from it. Only `url`, `method`,
 * `headers` and the body readers are read on our routes (Hono's HonoRequest, our edge middleware).
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: LightHeaders;
  readonly #bytes: Uint8Array | null;
  #used = false;
  #real: Request | null = null;

  constructor(url: string, method: string, headers: LightHeaders, bytes: Uint8Array | null) {
    this.url = url;
    this.method = method;
    this.headers = headers;
    this.#bytes = bytes;
  }

  get [Symbol.toStringTag]() {
    return 'Request';
  }

  #materialise(): Request {
    if (this.#real) return this.#real;
    const RealRequest = realFetchClass('Request');
    this.#real = new RealRequest(this.url, { method: this.method, headers: [...this.headers], body: this.#bytes });
    return this.#real;
  }

  /** Null without a body, as a real Request's (bodyLimit asks); a stream (from the real Request) with one. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#bytes === null && !this.#real ? null : (this.#materialise().body as ReadableStream<Uint8Array> | null);
  }
  get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#used;
  }

  bytes(): Promise<Uint8Array> {
    if (this.#real) return (this.#real as Request & { bytes(): Promise<Uint8Array> }).bytes();
    if (this.#used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.#used = true;
    return Promise.resolve(new Uint8Array(this.#bytes ?? new Uint8Array(0)));
  }
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer as ArrayBuffer;
  }
  blob(): Promise<Blob> {
    return this.#materialise().blob();
  }
  formData(): Promise<FormData> {
    return this.#materialise().formData();
  }
  get signal(): AbortSignal {
    return this.#materialise().signal;
  }
  clone(): Request {
    return this.#materialise().clone();
  }
}
