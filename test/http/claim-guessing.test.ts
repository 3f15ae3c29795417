/** Token guessing is limited per caller: after 20 misses in 10 minutes every claim lookup answers 429. */
import { expect, it } from 'vitest';
import { sendGift, serverForFile } from '../support/http-harness';

const t = serverForFile();

it('stops a caller after 20 misses (even on a real link), leaves others alone, and lets them back after the window', async () => {
  const { token } = await sendGift(t, 'giver_g');
  const guesses = Array.from({ length: 20 }, (_, i) => `${token.split('.')[0]}.${String(i).padStart(32, 'x')}`);
  for (const g of guesses) expect((await t.api('GET', `/claims/${g}`, { as: 'guesser' })).status).toBe(404);

  const blocked = await t.api('GET', `/claims/${token}`, { as: 'guesser' });
  expect({ status: blocked.status, code: blocked.body.error.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  expect((await t.api('POST', `/claims/${token}/claim`, { as: 'guesser' })).status).toBe(429);
  expect((await t.api('GET', `/claims/${token}`, { as: 'honest_friend' })).status).toBe(200);

  t.clock.advanceSeconds(600);
  expect((await t.api('POST', `/claims/${token}/claim`, { as: 'guesser' })).status).toBe(200);
});
