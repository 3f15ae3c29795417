/**
 * What a Lambda refuses to start without: the tokens' https issuer everywhere, what its own function requires, and
 * well-formed settings of the adapters it wires.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AwsConfig, awsConfig } from '../../shared/config/aws-config';
import { readConfig } from '../../shared/config/read-config';
import {
  loginSettingsIssues,
  noticeSettingsIssues,
  paymentSettingsIssues,
  type SettingsCheck,
  tokenIssuerSettingsIssues,
} from '../../shared/config/wechat-settings';

const BASE = {
  GIFTS_TABLE: 'songli-gifts-test',
  PARTS_TABLE: 'songli-parts-test',
  FULFILLMENT_WEBHOOK_URL: 'https://merchant.example.cn/fulfillment',
  FULFILLMENT_WEBHOOK_SECRET: 'fixture_secret_0123456789',
  DEMO_MERCHANT: 'true',
  AUTH_JWT_ISSUER: 'https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com',
  CLAIM_LINK_SECRET: 'fixture_claim_link_secret_0123456789', // from SSM on a real deploy
};
const problems = (env: Record<string, string>, schema: typeof AwsConfig = AwsConfig) => {
  try {
    readConfig(schema, env);
    return [];
  } catch (e) {
    return (e as Error).message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  }
};

describe('the AWS configuration', () => {
  it('starts with the issuer serverless.yml sets', () => {
    expect(problems(BASE)).toEqual([]);
    expect(readConfig(AwsConfig, BASE).AUTH_JWT_ISSUER).toBe(BASE.AUTH_JWT_ISSUER); // byte for byte: no slash added
  });

  it('names AUTH_JWT_ISSUER when it is missing or not https (the JWT authorizer only trusts https issuers)', () => {
    const { AUTH_JWT_ISSUER: _, ...without } = BASE;
    expect(problems(without)).toEqual([expect.stringMatching(/^AUTH_JWT_ISSUER: required/)]);
    expect(problems({ ...BASE, AUTH_JWT_ISSUER: 'http://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_ISSUER: required/),
    ]);
  });

  it('names every setting the function requires (REQUIRED_SETTINGS) that is missing, and starts once all are there', () => {
    const required = { ...BASE, REQUIRED_SETTINGS: 'AUTH_JWT_PRIVATE_KEY,WECHAT_APPID,WECHAT_APP_SECRET' };
    expect(problems(required)).toEqual([
      'AUTH_JWT_PRIVATE_KEY: required by this function (REQUIRED_SETTINGS)',
      'WECHAT_APPID: required by this function (REQUIRED_SETTINGS)',
      'WECHAT_APP_SECRET: required by this function (REQUIRED_SETTINGS)',
    ]);
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const complete = { ...required, AUTH_JWT_PRIVATE_KEY: key, WECHAT_APPID: 'wx0123456789abcdef', WECHAT_APP_SECRET: 'ab'.repeat(16) };
    expect(problems(complete)).toEqual([]);
    expect(problems({ ...BASE, REQUIRED_SETTINGS: 'NOT_A_SETTING' })).toEqual([
      'NOT_A_SETTING: required by this function (REQUIRED_SETTINGS)',
    ]);
  });

  it('checks the settings an adapter reads only where the function wires it: a broken one stops those, not the others', () => {
    const broken = {
      ...BASE,
      WECHATPAY_PRIVATE_KEY: 'not a key',
      WECHAT_TEMPLATE_GIFT_CLAIMED: 'TPL_CLAIMED_01:thing1=amount',
      AUTH_JWT_PRIVATE_KEY: 'not a key either',
      WECHAT_APPID: 'wx0123456789abcdef',
    };
    const paymentProblem = 'WECHATPAY_PRIVATE_KEY: must be an RSA private key (≥ 2048 bits) in PEM';
    const templateProblem = 'WECHAT_TEMPLATE_GIFT_CLAIMED: thing1=amount: gift_claimed notices carry no amount';
    const tokenProblem = 'AUTH_JWT_PRIVATE_KEY: must be an RSA private key (≥ 2048 bits) in PEM';
    const withChecks = (...checks: SettingsCheck[]) => problems(broken, awsConfig(checks) as typeof AwsConfig);
    // A claim view wires no adapter: none of these settings is read there, so none stops it.
    expect(withChecks()).toEqual([]);
    expect(withChecks(paymentSettingsIssues)).toEqual([paymentProblem]);
    expect(withChecks(noticeSettingsIssues)).toEqual(
      expect.arrayContaining([templateProblem, 'WECHAT_APP_SECRET: required to send subscription notices']),
    );
    expect(withChecks(tokenIssuerSettingsIssues)).toEqual([tokenProblem]);
    expect(withChecks(loginSettingsIssues)).toEqual(['WECHAT_APP_SECRET: required with WECHAT_APPID']);
    // Two adapters needing one setting name it once; every adapter's checks together find every problem.
    const all = problems(broken);
    expect(all).toEqual(expect.arrayContaining([paymentProblem, templateProblem, tokenProblem]));
    expect(all.filter((p) => p === 'WECHAT_APP_SECRET: required with WECHAT_APPID')).toHaveLength(1);
  });
});
