// Benchmarks of part 2 of @townhall/crypto: issuer blind signing (node:crypto, 3072-bit), the
// client side of a credential, the trustee file KDF, and the tally: partial decryption,
// verification, Lagrange combination and baby-step giant-step for a 1,000,000-ballot election.
// Run: npx tsx bench/decryption-and-credentials.ts  (writes section `crypto-tally-credentials`).
import { markdownTable, writeBenchSection } from '../../../.ci/bench-report.ts';
import { runCeremony } from '../test/support/run-ceremony.ts';
import { encrypt, type Ciphertext } from '../src/elgamal/elgamal.ts';
import { G, createSeededRandom, multiplyPublic, randomScalar } from '../src/group.ts';
import {
  finalizeCredential,
  generateBallotKeyPair,
  importIssuerPublicKey,
  requestCredential,
  verifyCredential,
  type CredentialRequest,
} from '../src/credentials/index.ts';
import { createBlindSigner, generateIssuerKey } from '../src/credentials/signer-node.ts';
import { openTrusteeFile, sealTrusteeFile } from '../src/trustee-file/index.ts';
import {
  combinePartialDecryptions,
  computePartialDecryption,
  createDiscreteLogTable,
  verifyPartialDecryption,
} from '../src/decryption/index.ts';

const ms = (start: number) => performance.now() - start;
const fmt = (value: number, digits = 2) => value.toFixed(digits);

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, ms(start)];
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, ms(start)];
}

// ── Credentials ─────────────────────────────────────────────────────────────────────────────
const [issuerKey, keygenMs] = await timeAsync(() => generateIssuerKey(3072));
const signer = createBlindSigner(issuerKey);
const issuer = await importIssuerPublicKey(signer.publicKeySpki);
const fingerprint = new Uint8Array(32).fill(0xab);

const requests: CredentialRequest[] = [];
const [, blindTotalMs] = await timeAsync(async () => {
  for (let i = 0; i < 40; i++) requests.push(await requestCredential(issuer, fingerprint, generateBallotKeyPair().publicKey));
});
let signCount = 0;
const signStart = performance.now();
while (ms(signStart) < 3000) {
  signer.blindSign(requests[signCount % requests.length]!.blindedMessage);
  signCount++;
}
const signSeconds = ms(signStart) / 1000;
const answers = requests.map((r) => signer.blindSign(r.blindedMessage));
const [credentials, finalizeTotalMs] = await timeAsync(() =>
  Promise.all(requests.map((r, i) => finalizeCredential(issuer, r.pending, answers[i]!))),
);
const ballotKeys = requests.map((r) => r.pending.preparedMessage.subarray(32 + 22 + 32));
const [, verifyTotalMs] = await timeAsync(async () => {
  for (let i = 0; i < credentials.length; i++) {
    if (!(await verifyCredential(issuer, fingerprint, ballotKeys[i]!, credentials[i]!))) throw new Error('credential did not verify');
  }
});

// ── Trustee file with the default (strong) scrypt parameters ────────────────────────────────
const rng = createSeededRandom('bench-decryption-and-credentials');
const secrets = { identitySecretKey: randomScalar(rng), polynomialCoefficients: [randomScalar(rng), randomScalar(rng)], secretShare: randomScalar(rng) };
const [fileText, sealMs] = await timeAsync(() =>
  sealTrusteeFile({ electionFingerprint: fingerprint, trusteeIndex: 1, secrets, passphrase: 'bench passphrase' }),
);
const [, openMs] = await timeAsync(() => openTrusteeFile(fileText, 'bench passphrase'));

// ── Tally of 1,000,000 ballots, 5 options, 2-of-3 trustees ──────────────────────────────────
const parameters = { electionFingerprint: fingerprint, threshold: 2, trusteeCount: 3 };
const [ceremony, ceremonyMs] = time(() => runCeremony(parameters, rng));
const K = ceremony.electionKey.jointKey;
const counts = [412_345, 287_654, 150_000, 99_999, 50_002]; // one selection per ballot: Σ = 1,000,000
// The homomorphic sum of 1,000,000 ballots is Enc(count; Σr): formed directly here, since summing
// is measured by the batch benchmarks and is not what this section is about.
const aggregates: Ciphertext[] = counts.map((count) => encrypt(K, count, randomScalar(rng)));
const contexts = counts.map((_, option) => `tally/contest:mayor/option:${option}`);
const trustees = [1, 3];

const [partials, partialMs] = time(() =>
  trustees.map((i) => aggregates.map((c, option) => computePartialDecryption(fingerprint, i, ceremony.secretShares[i - 1]!, c, contexts[option]!, rng))),
);
const [, verifyPartialMs] = time(() =>
  trustees.forEach((i, t) =>
    aggregates.forEach((c, option) => {
      if (!verifyPartialDecryption(fingerprint, ceremony.electionKey.verificationShares[i - 1]!, c, partials[t]![option]!, contexts[option]!)) {
        throw new Error('partial decryption did not verify');
      }
    }),
  ),
);
const [points, combineMs] = time(() => aggregates.map((c, option) => combinePartialDecryptions(c, partials.map((p) => p[option]!), 2)));

/** Median of `runs` timings of fn (after one warm-up run): the machine is shared, so single runs are noisy. */
function medianMs(fn: () => unknown, runs = 5): number {
  fn();
  const samples = Array.from({ length: runs }, () => time(fn)[1]).sort((a, b) => a - b);
  return samples[Math.floor(runs / 2)]!;
}

const tableRows: (string | number)[][] = [];
for (const [maxValue, babySteps] of [
  [1_000_000, undefined],
  [1_000_000, 65_536],
  [10_000_000, undefined],
  [10_000_000, 65_536],
] as const) {
  const [table, firstBuildMs] = time(() => createDiscreteLogTable({ maxValue, babySteps }));
  const buildMs = Math.min(firstBuildMs, medianMs(() => createDiscreteLogTable({ maxValue, babySteps }), 3));
  const found = points.map((p) => table.solve(p));
  if (found.join() !== counts.join()) throw new Error(`wrong counts ${found.join()}`);
  const solveMs = points.reduce((sum, p) => sum + medianMs(() => table.solve(p)), 0) / points.length;
  const worst = multiplyPublic(G, BigInt(maxValue));
  const worstMs = medianMs(() => table.solve(worst));
  let slots = 2;
  while (slots < 2 * table.babySteps) slots *= 2;
  tableRows.push([
    maxValue.toLocaleString('en'),
    table.babySteps.toLocaleString('en'),
    fmt(buildMs, 0),
    fmt(solveMs, 2),
    fmt(worstMs, 2),
    `${(slots * 8) / 1024} KiB`,
  ]);
}

const markdown = [
  '### Credentials (RFC 9474 RSABSSA-SHA384-PSS-Randomized, 3072-bit)',
  '',
  markdownTable(
    ['operation', 'where', 'result'],
    [
      ['issuer blind signing (privateDecrypt, no padding, + public-key fault check)', 'server, node:crypto', `**${fmt(signCount / signSeconds, 0)} signatures/s** (${fmt((signSeconds * 1000) / signCount, 2)} ms each, ${signCount} signed, 1 core)`],
      ['issuer key generation', 'server, node:crypto', `${fmt(keygenMs, 0)} ms`],
      ['request (fresh Ed25519 key + prepare + blind)', 'client, blindrsa-ts on WebCrypto', `${fmt(blindTotalMs / requests.length, 2)} ms each`],
      ['finalize (unblind + RSA-PSS verify)', 'client', `${fmt(finalizeTotalMs / requests.length, 2)} ms each (${requests.length} in parallel)`],
      ['verify a credential', 'anyone', `${fmt(verifyTotalMs / credentials.length, 2)} ms each`],
    ],
  ),
  '',
  '### Trustee key-share file (scrypt N = 2^17, r = 8, p = 1 — 128 MiB; XChaCha20-Poly1305)',
  '',
  markdownTable(['operation', 'time'], [['seal', `${fmt(sealMs, 0)} ms`], ['open', `${fmt(openMs, 0)} ms`]]),
  '',
  '### Tally of a 1,000,000-ballot election (5 options, counts up to 412,345; 2-of-3 trustees, trustees 1 and 3 decrypt)',
  '',
  'The aggregates are formed directly as Enc(count; R) — what the homomorphic sum of 1,000,000 ballots is.',
  '',
  markdownTable(
    ['step', 'time'],
    [
      ['key ceremony, 2-of-3 (all three trustees, in one process)', `${fmt(ceremonyMs, 0)} ms`],
      ['partial decryption with proof (per trustee, per option)', `${fmt(partialMs / (trustees.length * counts.length), 2)} ms`],
      ['verify a partial decryption (per trustee, per option)', `${fmt(verifyPartialMs / (trustees.length * counts.length), 2)} ms`],
      ['Lagrange combination of 2 partials (per option)', `${fmt(combineMs / counts.length, 2)} ms`],
    ],
  ),
  '',
  'Baby-step giant-step (table built once, reused for every count; solve = mean over the 5 counts of the median of 5 runs; worst = median time for v = max value; memory = the hash table\'s typed arrays):',
  '',
  markdownTable(['max value', 'baby steps m', 'table build (ms)', 'solve per count (ms)', 'worst case solve (ms)', 'table memory'], tableRows),
].join('\n');

writeBenchSection('crypto-tally-credentials', 'Crypto: tally decryption and credentials', markdown);
console.log(markdown);
