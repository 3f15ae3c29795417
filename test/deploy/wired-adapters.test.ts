import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adaptersReachedFrom, ROOT } from '../../scripts/generate-deploy-files';
import { notWired } from '../../shared/composition/adapter-factories';
import type { PaymentGateway } from '../../shared/ports/payments';

const handler = (name: string) => join(ROOT, 'functions', name, 'handler.ts');

describe('the adapters a deploy entry wires (scripts/generate-deploy-files.ts)', () => {
  it('are the ones its code reaches: sign-in the login and token issuer, a dispatcher payments and notices, a claim view none', () => {
    expect(adaptersReachedFrom([handler('auth-wechat')])).toEqual(['wechatLogin', 'tokenIssuer']);
    // Per module, not per function called: jwks shares sign-in-with-wechat.ts, so it wires the login too (more, never less).
    expect(adaptersReachedFrom([handler('jwks')])).toEqual(['wechatLogin', 'tokenIssuer']);
    expect(adaptersReachedFrom([handler('dispatch-notifications')])).toEqual(['payments', 'notifier']);
    expect(adaptersReachedFrom([handler('pay-gift')])).toEqual(['payments']);
    expect(adaptersReachedFrom([handler('view-claim')])).toEqual([]);
    expect(adaptersReachedFrom([handler('view-claim'), handler('auth-wechat')])).toEqual(['wechatLogin', 'tokenIssuer']);
  });

  it('an adapter left unwired can be read but not used: calling it fails, naming it', async () => {
    const payments = notWired<PaymentGateway>('payments');
    expect(() => payments.query('order-1')).toThrow(/payments: not wired into this function/);
    // Not a thenable: awaiting it (or a value holding it) does not call anything.
    await expect(Promise.resolve(payments)).resolves.toBe(payments);
  });
});
