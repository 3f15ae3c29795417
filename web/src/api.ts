/**
 * The songli HTTP contract as the pages use it: JSON in and out, errors as { error: { code, message, issues } }.
 * Response types come from the contract's own schemas (shared/schemas/responses.ts), the ones the server's answers
 * are checked against: type-only imports, so nothing of the server is bundled into the pages.
 */
import type * as z from 'zod/mini';
import type { Address } from '../../shared/domain/gift';
import type { OperationResponses } from '../../shared/http/operation-responses';
import type { operations } from '../../shared/http/operations';
import type {
  CatalogProduct,
  ClaimCard,
  ClaimPreview,
  GiverGift,
  GiverGiftWithLink,
  ReceivedGift,
  ReceivedGiftsBody,
  SentGiftsBody,
  Shipment,
} from '../../shared/schemas/responses';
import { API_BASE } from './config';
import { reportNetwork } from './network-status';
import { currentToken } from './session';

export type { Address, ClaimCard, ClaimPreview, GiverGift, GiverGiftWithLink, ReceivedGift, Shipment };
/** A product as GET /products lists it: the catalog's shape plus the 支持送礼物 flag. */
export type Product = CatalogProduct;
export type Sku = CatalogProduct['skus'][number];

/** The success body of a contract operation, e.g. `ResponseOf<'payGift'>`. */
export type ResponseOf<K extends keyof typeof operations> = z.output<OperationResponses[K]>;
/** GET /gifts answers either list (`ResponseOf<'listGifts'>`): these are its answers to ?role=sent and ?role=received. */
export type SentGifts = z.output<typeof SentGiftsBody>;
export type ReceivedGifts = z.output<typeof ReceivedGiftsBody>;

export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

/** The server could not be reached at all (no answer, not an error answer). */
export const isNetworkError = (e: unknown): boolean => e instanceof ApiError && e.code === 'NETWORK';

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const token = currentToken();
  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    // Said where it failed: inline next to an action, and by the offline banner when a page cannot load (use-load.ts).
    throw new ApiError(0, 'NETWORK', '网络不可用');
  }
  reportNetwork(true);
  let json: ({ error?: { code?: string; message?: string; issues?: ApiIssue[] } } & Record<string, unknown>) | null = null;
  try {
    const text = await res.text();
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page, a cut-off body: not the API's answer.
    if (res.ok) throw new ApiError(res.status, 'BAD_RESPONSE', 'unreadable answer');
  }
  if (!res.ok)
    throw new ApiError(res.status, json?.error?.code ?? 'UNKNOWN', json?.error?.message ?? res.statusText, json?.error?.issues ?? []);
  return json as unknown as T;
}
