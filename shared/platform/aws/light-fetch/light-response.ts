import { LightHeaders } from './light-headers';
import { isRealInstance, realFetchClass } from './real-fetch-classes';

type BodyInit = NonNullable<ConstructorParameters<typeof Response>[0]>;
type LightBody = string | Uint8Array | null;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The fetch `Response` as Hono's Context builds it (`new Response(text | null, { status, headers })`) without undici:
 * status, headers and a text or byte body are kept as given and read back directly. Anything only undici has (a body
 * stream, Blob, FormData, clone) turns it into a real Response first, as does any other kind of body; from then on
 * every member answers from the real one. Construction validates what undici validates (status range, a body on a
 * null-body status, the reason phrase) with the same error types.
 */
export class LightResponse {
  #status: number;
  #statusText: string;
  #headers: LightHeaders;
  #body: LightBody;
  #used = false;
  #real: Response | null = null;
  #realInit: [BodyInit | null, ResponseInit] | null = null;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    const status = init?.status === undefined ? 200 : Number(init.status);
    if (!Number.isInteger(status) || status < 200 || status > 599)
      throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    const statusText = init?.statusText === undefined ? '' : String(init.statusText);
    if (!REASON_PHRASE.test(statusText)) throw new TypeError('Invalid statusText');
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = new LightHeaders(init?.headers as ConstructorParameters<typeof LightHeaders>[0]);
    this.#body = null;
    if (body === undefined || body === null) return;
    if (NULL_BODY_STATUSES.has(status)) throw new TypeError(`Response constructor: Invalid response status code ${status}`);
    if (typeof body === 'string') {
      this.#body = body;
      if (!this.#headers.has('content-type')) this.#headers.set('content-type', 'text/plain;charset=UTF-8');
    } else if (body instanceof Uint8Array) this.#body = new Uint8Array(body);
    else if (body instanceof ArrayBuffer) this.#body = new Uint8Array(body.slice(0));
    // Streams, Blobs, FormData, URLSearchParams…: undici's own handling (content type, length, streaming).
    else this.#realInit = [body, { status, statusText, headers: init?.headers }];
  }

  static [Symbol.hasInstance](x: unknown): boolean {
    return (typeof x === 'object' && x !== null && #body in x) || isRealInstance('Response', x);
  }

  static json(data: unknown, init?: ResponseInit): Response {
    return realFetchClass('Response').json(data, init);
  }

  static error(): Response {
    return realFetchClass('Response').error();
  }

  static redirect(url: string | URL, status?: number): Response {
    return realFetchClass('Response').redirect(url, status as 301);
  }

  get [Symbol.toStringTag]() {
    return 'Response';
  }

  /** The real Response this stands for, built once; from then on it answers for this one. */
  #materialise(): Response {
    if (this.#real) return this.#real;
    const RealResponse = realFetchClass('Response');
    const [body, init] = this.#realInit ?? [this.#body as BodyInit | null, { status: this.#status, statusText: this.#statusText }];
    this.#real = new RealResponse(body, { ...init, headers: [...this.#headers] });
    return this.#real;
  }

  get status() {
    return this.#real ? this.#real.status : this.#status;
  }
  get statusText() {
    return this.#real ? this.#real.statusText : this.#statusText;
  }
  get ok() {
    return this.status >= 200 && this.status <= 299;
  }
  get headers(): Headers {
    return this.#real || this.#realInit ? this.#materialise().headers : (this.#headers as unknown as Headers);
  }
  get type(): Response['type'] {
    return this.#real ? this.#real.type : 'default';
  }
  get url() {
    return this.#real ? this.#real.url : '';
  }
  get redirected() {
    return this.#real ? this.#real.redirected : false;
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.#materialise().body as ReadableStream<Uint8Array> | null;
  }
  get bodyUsed() {
    return this.#real ? this.#real.bodyUsed : this.#used;
  }

  #take(): LightBody {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#body;
  }

  text(): Promise<string> {
    if (this.#real || this.#realInit) return this.#materialise().text();
    try {
      const body = this.#take();
      return Promise.resolve(typeof body === 'string' ? body : body === null ? '' : new TextDecoder().decode(body));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#real || this.#realInit) return (this.#materialise() as Response & { bytes(): Promise<Uint8Array<ArrayBuffer>> }).bytes();
    try {
      const body = this.#take();
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body ?? new Uint8Array(0));
      return Promise.resolve(bytes as Uint8Array<ArrayBuffer>);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }
  blob(): Promise<Blob> {
    return this.#materialise().blob();
  }
  formData(): Promise<FormData> {
    return this.#materialise().formData();
  }
  clone(): Response {
    return this.#materialise().clone();
  }
}
