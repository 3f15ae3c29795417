/** The songli HTTP contract as the pages use it: JSON in and out, errors as { error: { code, message, issues } }. */
import type { Product as CatalogProduct } from '../../shared/domain/catalog';
import type { Address } from '../../shared/domain/gift';
import { currentToken } from './session';

// Shapes shared with the server's domain (type-only: nothing of the server is bundled into the pages).
export type { Address };
export type { Sku } from '../../shared/domain/catalog';

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

/** Where the API lives: same origin locally; a deploy sets VITE_API_BASE (e.g. https://xxx/songli). */
export const API_BASE: string = import.meta.env.VITE_API_BASE ?? '';

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const token = currentToken();
  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络不可用');
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'UNKNOWN', json?.error?.message ?? res.statusText, json?.error?.issues ?? []);
  return json as T;
}


/** A product as GET /products lists it: the catalog's shape plus the 支持送礼物 flag. */
export type Product = CatalogProduct & { giftable: boolean };
export interface Progress {
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  lastError: string | null;
}
export interface Shipment {
  status: 'shipped' | 'delivered';
  carrier: string | null;
  trackingNumber: string | null;
}
export interface GiverGift {
  id: string;
  status: string;
  product: { id: string; title: string };
  sku: { id: string; attrs: Record<string, string> };
  priceFen: number;
  message: string | null;
  expiresAt: string | null;
  recipient: { claimed: true; addressProvided: boolean } | null;
  handoff: Progress | null;
  shipment: Shipment | null;
  refund: (Progress & { amountFen: number; reason: string }) | null;
  claimToken?: string | null;
}
export interface ClaimCard {
  id: string;
  status: string;
  viewer: 'recipient' | 'giver' | 'guest';
  claimedBySomeoneElse: boolean;
  product: { id: string; title: string };
  sku: { id: string; attrs: Record<string, string> };
  alternatives: Array<{ skuId: string; attrs: Record<string, string>; inStock: boolean }>;
  message: string | null;
  expiresAt: string | null;
  address: Address | null;
  shipment: Shipment | null;
}
