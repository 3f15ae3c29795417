/** The songli HTTP contract as the pages use it: JSON in and out, errors as { error: { code, message, issues } }. */
import { currentToken } from './session';

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

export interface Sku {
  id: string;
  attrs: Record<string, string>;
  priceFen: number;
  stock: number;
}
export interface Product {
  id: string;
  title: string;
  category: string;
  giftable: boolean;
  skus: Sku[];
}
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
export interface Address {
  name: string;
  phone: string;
  regionCode: string;
  province: string;
  city: string;
  district: string;
  detail: string;
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
