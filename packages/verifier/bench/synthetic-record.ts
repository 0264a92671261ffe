/**
 * A synthetic stress record for the verifier's scale work while no simulated election of that size
 * exists: the fixture election's definition, ceremony and keys, then N credentials and N ballots made
 * by copying the fixture's (fresh pseudonyms, fresh Ed25519 ballot keys and signatures, the same
 * ciphertexts and proofs), checkpoints signed with the fixture's test log key. Every ballot costs the
 * verifier the full work (decoding, proofs in the MSM, signatures, RSA), but the record is NOT valid:
 * copied ciphertexts and tracking codes, credentials the issuer never signed, no cosignatures, no
 * passkeys for the new pseudonyms, a tally of other ballots. For throughput and memory only.
 *
 *   npx tsx bench/synthetic-record.ts <ballots> <output.jsonl>
 */
import { createWriteStream } from 'node:fs';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, fromHex, lengthPrefixed, toBase64, toHex, utf8 } from '../src/bytes.ts';
import { canonicalJson } from '../src/jcs.ts';
import { leafHash, MerkleFrontier } from '../src/merkle.ts';
import { ballotBytes } from '../src/proof-jobs.ts';
import { decoded, entryLines, loadLines } from '../test/tamper-support.ts';

const N = Number(process.argv[2] ?? 1000);
const output = process.argv[3] ?? `/tmp/townhall-synthetic-${N}.jsonl`;
const LOG_SECRET = new Uint8Array(32).fill(42); // the fixture's test log key (test/fixtures/README.md)

const lines = loadLines();
const entries = entryLines(lines).map((l) => ({ line: l, entry: decoded(l) }));
const of = (type: string) => entries.filter((e) => e.entry.type === type);
const fp = fromHex((of('ElectionDefined')[0]!.entry.body as { fingerprint: string }).fingerprint);

const out = createWriteStream(output);
const write = (object: unknown) => (out.write(`${JSON.stringify(object)}\n`) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve())));
const frontier = new MerkleFrontier();
let previous: Uint8Array = new Uint8Array(32);
let count = 0;
const checkpoints: string[] = [];
const origin = lines.find((l) => l.kind === 'keys')!.electionLog.origin as string;
const logLine = lines.find((l) => l.kind === 'checkpoint')!.note.split('\n\n')[1].split('\n')[0] as string;
const keyId = fromBase64(logLine.split(' ')[2]!).subarray(0, 4);

function checkpoint(): void {
  const text = `${origin}\n${count}\n${toBase64(frontier.root())}\n`;
  checkpoints.push(`${text}\n${logLine.split(' ').slice(0, 2).join(' ')} ${toBase64(concatBytes(keyId, ed25519.sign(utf8(text), LOG_SECRET)))}\n`);
}

async function append(template: Uint8Array, body: unknown): Promise<void> {
  const text = utf8(canonicalJson(body));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, text.length, false);
  const bytes = concatBytes(template.subarray(0, 18), previous, length, text);
  previous = leafHash(bytes);
  frontier.push(previous);
  await write({ kind: 'entry', index: String(count++), bytes: toBase64(bytes) });
  if (count % 5000 === 0) checkpoint();
}

await write(lines[0]);
await write(lines.find((l) => l.kind === 'keys'));
for (const { entry } of entries.filter((e) => ['LogCreated', 'ElectionDefined', 'TrusteeCommitted', 'TrusteeShareSent', 'ElectionKeyPublished', 'IssuerKeyPublished', 'ElectionOpened'].includes(e.entry.type))) {
  await append(entry.bytes, entry.body);
}
const credentials = of('CredentialIssued');
for (let i = 0; i < N; i++) {
  const { entry } = credentials[i % credentials.length]!;
  await append(entry.bytes, { ...entry.body, pseudonym: toHex(randomBytes(32)) });
}
const ballots = of('BallotCast');
for (let i = 0; i < N; i++) {
  const { entry } = ballots[i % ballots.length]!;
  const body = structuredClone(entry.body) as { ballot: Parameters<typeof ballotBytes>[0]; credential: { ballotPublicKey: string }; signature: string; trackingCode: string };
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const digest = sha256(ballotBytes(body.ballot));
  body.credential.ballotPublicKey = toHex(raw);
  body.signature = toHex(sign(null, lengthPrefixed(utf8('townhall/v1/ballot-signature'), fp, digest), privateKey));
  await append(entry.bytes, body);
  if (i % 10_000 === 0) process.stderr.write(`${i} ballots\n`);
}
for (const type of ['ElectionClosed', 'TallyComputed', 'PartialDecryption', 'ResultPublished']) for (const { entry } of of(type)) await append(entry.bytes, entry.body);
if (count % 5000 !== 0) checkpoint();
for (const note of checkpoints) await write({ kind: 'checkpoint', note });
const registry = lines.filter((l) => l.kind === 'registry-checkpoint' || l.kind === 'registry-entry');
for (const line of registry) await write(line);
await write({ kind: 'end', entries: String(count), checkpoints: checkpoints.length, registryEntries: registry.filter((l) => l.kind === 'registry-entry').length });
out.end();
process.stderr.write(`${output}: ${count} entries\n`);
