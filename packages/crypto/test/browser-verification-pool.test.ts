// The browser Web Worker verification pool, run for real: the page bundled by Vite imports
// `@townhall/crypto/workers/verify-worker.browser` and verifies a batch on two module workers in
// headless Chromium. Skipped where no Chromium is installed (set CHROMIUM_PATH to point at one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_ORDER, createSeededRandom, encryptBallot, pointToHex, serializeBallot, toHex } from '../src/index.ts';
import { isChromiumAvailable, openCryptoPage, type CryptoBrowserPage } from '../bench/browser/harness.ts';
import { choices, electionKey, fingerprint, manifest } from './ballot-fixtures.ts';

const rng = createSeededRandom('browser pool test');
const wire = Array.from({ length: 8 }, () => serializeBallot(encryptBallot(manifest, choices, electionKey, fingerprint, rng).ballot));

/** Adds 1 to the response of branch 0 of contest 1, selection 2: still canonical, the equations fail. */
function withForgedResponse(ballot: (typeof wire)[number]): (typeof wire)[number] {
  const copy = structuredClone(ballot);
  const selection = copy.contests[1]!.selections[2]!;
  const responseHex = selection.proof.slice(3 * 64, 4 * 64);
  let response = 0n;
  for (let i = 31; i >= 0; i--) response = (response << 8n) | BigInt(parseInt(responseHex.slice(2 * i, 2 * i + 2), 16));
  response = (response + 1n) % GROUP_ORDER;
  const bytes = new Uint8Array(32).map((_, i) => Number((response >> BigInt(8 * i)) & 0xffn));
  selection.proof = selection.proof.slice(0, 3 * 64) + toHex(bytes) + selection.proof.slice(4 * 64);
  return copy;
}

describe.skipIf(!isChromiumAvailable)('verification pool on Web Workers in headless Chromium', () => {
  let page: CryptoBrowserPage;
  beforeAll(async () => {
    page = await openCryptoPage();
  }, 60_000);
  afterAll(() => page?.close());

  it('verifies a batch on two module workers and names the one forged ballot and its failing equation', async () => {
    const ballots = wire.slice();
    ballots[6] = withForgedResponse(wire[6]!);
    const outcome = await page.call(
      'verifyWithWorkers',
      { manifest, ballots, electionKey: pointToHex(electionKey), fingerprint: toHex(fingerprint) },
      2,
    );
    expect(outcome.isValid).toBe(false);
    expect(outcome.invalid).toEqual([{ index: 6, code: 'INVALID_PROOF', field: 'ballot.contests[1].selections[2].proof.branches[0]:G' }]);
  }, 30_000);
});
