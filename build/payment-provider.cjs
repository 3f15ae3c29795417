// Which payment provider an AWS deploy bundle carries. A deployed function runs the one provider its deploy names
// (serverless.yml: PAYMENT_PROVIDER: ${env:PAYMENT_PROVIDER, 'wechatpay'}), and `serverless deploy` builds the bundles in
// that same environment, so the build reads the same variable with the same default and esbuild leaves the other
// provider out (WeChat Pay ~13 KB, the dev provider ~4 KB): shared/composition/adapter-factories.ts compares
// SONGLI_BUNDLED_PAYMENT_PROVIDER inline, and refuses, naming both, a provider its bundle was built without.
// Any other value (empty, a typo the config will refuse) keeps both. CloudBase bundles keep both: its CLI takes the
// settings from .env, which the build does not read.
const PROVIDERS = ['wechatpay', 'dev'];

/**
 * esbuild `define` for a deploy's PAYMENT_PROVIDER (unset = serverless.yml's default, wechatpay); `undefined` keeps both
 * providers, and is still defined so the minifier drops the checks (a bundle without the name would test it at run time).
 */
function paymentProviderDefine(value = 'wechatpay') {
  return { SONGLI_BUNDLED_PAYMENT_PROVIDER: PROVIDERS.includes(value) ? JSON.stringify(value) : 'undefined' };
}

/** Both providers: CloudBase bundles. */
const BOTH_PAYMENT_PROVIDERS = { SONGLI_BUNDLED_PAYMENT_PROVIDER: 'undefined' };

module.exports = { paymentProviderDefine, BOTH_PAYMENT_PROVIDERS };
