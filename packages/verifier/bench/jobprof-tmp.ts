import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, fromHex, lengthPrefixed, toHex, utf8 } from '../src/bytes.ts';
import { decodeEntry } from '../src/entry.ts';
import { Point } from '../src/group.ts';
import { ballotBytes, runBallotJob, type BallotItem } from '../src/proof-jobs.ts';
import { makeBallot } from '../test/prover.ts';
const fixture = readFileSync(new URL('../test/fixtures/election-5-voters.record.jsonl', import.meta.url), 'utf8');
const entries = fixture.split('\n').filter((l) => l.startsWith('{"kind":"entry"')).map((l) => decodeEntry(fromBase64(JSON.parse(l).bytes)));
const defined = entries.find((e) => e.type === 'ElectionDefined')!.body as any;
const issuer = entries.find((e) => e.type === 'IssuerKeyPublished')!.body as any;
const fp = fromHex(defined.fingerprint);
const Khex = (entries.find((e) => e.type === 'ElectionKeyPublished')!.body as any).electionKey;
const K = Point.fromBytes(fromHex(Khex));
const contest = defined.manifest.contests[0];
const N = Number(process.argv[2] ?? 256);
let s = performance.now();
const items: BallotItem[] = Array.from({ length: N }, (_, i) => {
  const ballot = makeBallot(fp, K, contest, i % 5);
  const sk = ed25519.utils.randomSecretKey();
  const digest = sha256(ballotBytes(ballot));
  return { index: i, countable: true, trackingCode: toHex(digest), signature: toHex(ed25519.sign(lengthPrefixed(utf8('townhall/v1/ballot-signature'), fp, digest), sk)), credential: { ballotPublicKey: toHex(ed25519.getPublicKey(sk)), messagePrefix: '00'.repeat(32), signature: 'ab'.repeat(384) }, ballot };
});
console.log('made', N, 'ballots in', (performance.now() - s).toFixed(0), 'ms');
for (const withIssuer of [false, true]) {
  s = performance.now();
  const cpu = process.cpuUsage();
  const r = await runBallotJob({ context: { contests: defined.manifest.contests, fingerprint: defined.fingerprint, electionKey: Khex, issuerKeySpki: withIssuer ? issuer.publicKeySpki : null }, items });
  const ms = performance.now() - s;
  const c = process.cpuUsage(cpu);
  console.log(withIssuer ? 'with RSA' : 'no RSA', (ms / N).toFixed(2), 'ms/ballot wall', ((c.user + c.system) / 1000 / N).toFixed(2), 'ms/ballot cpu; failures', r.failures.length);
}
