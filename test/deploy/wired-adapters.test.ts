import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adaptersReachedFrom, ROOT } from '../../scripts/generate-deploy-files';
import { notWired } from '../../shared/composition/adapter-factories';
import type { PaymentGateway } from '../../shared/ports/payments';

const handler = (name: string) => join(ROOT, 'functions', name, 'handler.ts');

describe('the adapters a deploy entry wires (scripts/generate-deploy-files.ts)', () => {
  it('are the ones its code reaches: sign-in the login and token issuer, a dispatcher fulfillment, payments and notices', () => {
    expect(adaptersReachedFrom([handler('auth-wechat')])).toEqual(['wechatLogin', 'tokenIssuer']);
    // Per function reached, not per module imported: jwks shares sign-in-with-wechat.ts but never signs anyone in;
    // reissue-claim-link imports the module that reconciles payments and never reconciles; the notification is read,
    // not paid. A profile is a shared value: no group store.
    expect(adaptersReachedFrom([handler('jwks')])).toEqual(['tokenIssuer']);
    expect(adaptersReachedFrom([handler('reissue-claim-link')])).toEqual(['claimLinks', 'groupStore']);
    expect(adaptersReachedFrom([handler('wechatpay-notify')])).toEqual(['claimLinks', 'paymentNotifications']);
    expect(adaptersReachedFrom([handler('dispatch-notifications')])).toEqual(['fulfillment', 'groupStore', 'payments', 'notifier']);
    expect(adaptersReachedFrom([handler('pay-gift')])).toEqual(['catalog', 'claimLinks', 'groupStore', 'payments']);
    expect(adaptersReachedFrom([handler('cancel-gift')])).toEqual(['claimLinks', 'groupStore', 'payments']);
    expect(adaptersReachedFrom([handler('view-claim')])).toEqual(['catalog', 'groupStore', 'limiter']);
    expect(adaptersReachedFrom([handler('preview-claim')])).toEqual(['groupStore', 'limiter']);
    expect(adaptersReachedFrom([handler('get-profile')])).toEqual([]);
    expect(adaptersReachedFrom([handler('view-claim'), handler('auth-wechat')])).toEqual([
      'catalog',
      'groupStore',
      'limiter',
      'wechatLogin',
      'tokenIssuer',
    ]);
  });

  it('an adapter left unwired can be read but not used: calling it fails, naming it', async () => {
    const payments = notWired<PaymentGateway>('payments');
    expect(() => payments.query('order-1')).toThrow(/payments: not wired into this function/);
    // Not a thenable: awaiting it (or a value holding it) does not call anything.
    await expect(Promise.resolve(payments)).resolves.toBe(payments);
  });
});
