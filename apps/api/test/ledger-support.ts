import { SIGNATURE_TYPE_ED25519, createSigner, formatVerifierKey } from '@townhall/ledger';

/** A fixed log seed so witnesses can be configured before the API starts. */
export const TEST_LOG_SEED = new Uint8Array(32).fill(42);
export const TEST_LOG_SEED_BASE64 = Buffer.from(TEST_LOG_SEED).toString('base64');
export const TEST_HOST = 'townhall.test';

/** The log key as a witness config line wants it (any name: prefix configs re-key it per origin). */
export const testLogVerifierKey = (name = 'townhall-log') => formatVerifierKey(createSigner(name, SIGNATURE_TYPE_ED25519, TEST_LOG_SEED));

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const ledgerEnv = (extra: Record<string, string> = {}) => ({
  TOWNHALL_SEED_DEMO: 'false',
  TOWNHALL_PUBLIC_URL: `http://${TEST_HOST}`,
  TOWNHALL_LOG_SIGNING_KEY: TEST_LOG_SEED_BASE64,
  TOWNHALL_CHECKPOINT_INTERVAL_MS: '0',
  TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000',
  TOWNHALL_LOCAL_WITNESSES: 'false',
  ...extra,
});
