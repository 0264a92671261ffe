import { finished } from 'node:stream/promises';
import { ledgerEntry } from '../ledger/ledger-entry.ts';
import type { Readable, Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { computeRoot, encodeHex, hashLeaf } from '@townhall/ledger';
import type { ElectorListResponse, PollCardsPreview, RollImportApplied, RollImportPreview } from '@townhall/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { AppError } from '../common/app-error.ts';
import { LedgerService, REGISTRY_LOG, type TransactionClient } from '../ledger/ledger.module.ts';
import { IdentityKeys, generateActivationCode } from '../identity/identity-keys.ts';
import { IdentityRepository } from '../identity/identity.repository.ts';
import { passkeyRevokedEntry } from '../identity/registry-entries.ts';
import { isDatabaseUnavailable } from '../database/database-unavailable.ts';
import { parseRollCsv, type RollCharset } from './roll-csv.ts';
import { RollRepository } from './roll.repository.ts';
import { writePollCards, type PollCard } from './poll-cards.ts';

/** A roll file may be large (100,000 electors is about 8 MB); this bounds what one upload can make us read. */
export const MAX_ROLL_BYTES = 64 * 1024 * 1024;
const PAGE_SIZE = 50;

const noSuchImport = () => new AppError('NOT_FOUND', 'There is no such roll import.');
const noSuchElector = () => new AppError('NOT_FOUND', 'There is no elector with that number on the roll.');

/**
 * The RFC 9162 root over the sorted elector pseudonyms (leaf = SHA-256(0x00 ‖ 32-byte pseudonym)):
 * what RollCommitted commits to, so a resident can later be shown their pseudonym is on the roll.
 */
export function pseudonymRoot(pseudonyms: string[]): string {
  const leaves = pseudonyms.map((p) => Buffer.from(p, 'hex')).sort(Buffer.compare).map((b) => hashLeaf(new Uint8Array(b)));
  return encodeHex(computeRoot(leaves));
}

@Injectable()
export class RollService {
  constructor(
    @Inject(RollRepository) private readonly roll: RollRepository,
    @Inject(IdentityRepository) private readonly identity: IdentityRepository,
    @Inject(IdentityKeys) private readonly keys: IdentityKeys,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async #council() {
    const council = await this.roll.currentCouncil();
    if (!council) throw new AppError('NOT_FOUND', 'No council has been set up on this deployment yet.');
    return council;
  }

  /**
   * Validates and stages a roll file. Rows are staged in batches as they stream in; if any problem is
   * found the staged rows are deleted and ROLL_INVALID lists the problems: the roll is never touched.
   */
  async stageImport(body: Readable, staffId: string | null, charset: RollCharset = 'auto'): Promise<RollImportPreview> {
    try {
      return await this.#stageImport(body, staffId, charset);
    } finally {
      // Whatever the answer, the rest of the upload is read and dropped first (as body-parser does),
      // so the client gets the answer instead of a connection stuck mid-upload.
      await drain(body);
    }
  }

  async #stageImport(body: Readable, staffId: string | null, charset: RollCharset): Promise<RollImportPreview> {
    const council = await this.#council();
    const districtCodes = new Set(council.districts.map((d) => d.code));
    const staged = await this.roll.createImport({ councilId: council.id, createdById: staffId, baseImportId: await this.roll.latestAppliedImportId(council.id) });
    let result;
    try {
      result = await parseRollCsv(body, {
        districtCodes,
        charset,
        maxBytes: MAX_ROLL_BYTES,
        onRows: (rows) => this.roll.insertImportRows(staged.id, rows),
      });
    } catch (error) {
      await this.roll.deleteImport(staged.id);
      if ((error as { code?: string }).code === 'ROLL_TOO_LARGE') throw rollTooLarge();
      if (error instanceof AppError || isDatabaseUnavailable(error)) throw error;
      // The client went away mid-upload: nobody is waiting for the answer, and it is not a bug.
      if (body.readableAborted) throw new AppError('VALIDATION_FAILED', 'The upload stopped before the whole file arrived. Upload it again.');
      // A bug: the log gets what failed and where, never the message, which may quote a roll value
      // (a database error quotes the row it refused).
      const { name, code } = error as { name?: string; code?: unknown };
      const stack = typeof (error as Error).stack === 'string' ? (error as Error).stack!.split('\n').slice(1).join('\n') : undefined;
      throw new AppError('INTERNAL', 'Something went wrong on our side. Please try again later.', {
        logMessage: `roll import failed: ${name ?? 'error'}${typeof code === 'string' ? ` ${code}` : ''} (message withheld: it may quote the roll)${stack ? `\n${stack}` : ''}`,
      });
    }
    if (result.problemCount > 0) {
      await this.roll.deleteImport(staged.id);
      const more = result.problemCount - result.problems.length;
      throw new AppError(
        'ROLL_INVALID',
        `The roll file has ${result.problemCount} problem${result.problemCount === 1 ? '' : 's'}${more > 0 ? ` (the first ${result.problems.length} are listed)` : ''}. Nothing was imported; correct the file and upload it again.`,
        { issues: result.problems.map((p) => ({ path: `${p.line}.${p.column}`, message: p.message })) },
      );
    }
    await this.roll.markPending(staged.id, result.rowCount);
    return this.preview(staged.id);
  }

  async preview(importId: string): Promise<RollImportPreview> {
    const staged = await this.roll.findImport(importId);
    if (!staged || staged.status === 'staging') throw noSuchImport();
    const empty = { additions: [], removals: [], moves: [], updates: [] };
    const diff =
      staged.status === 'pending'
        ? await this.roll.diff(staged.id, staged.councilId)
        : { counts: { additions: 0, removals: 0, moves: 0, updates: 0 }, samples: empty };
    const change = (r: { elector_number: string; name: string; from_district: string | null; to_district: string | null }) => ({
      electorNumber: r.elector_number,
      name: r.name,
      fromDistrict: r.from_district,
      toDistrict: r.to_district,
    });
    const { additions, moves, updates } = diff.counts;
    return {
      importId: staged.id,
      status: staged.status as RollImportPreview['status'],
      createdAt: staged.createdAt.toISOString(),
      rowCount: staged.rowCount,
      counts: { ...diff.counts, unchanged: staged.status === 'pending' ? staged.rowCount - additions - moves - updates : 0 },
      samples: {
        additions: diff.samples.additions.map(change),
        removals: diff.samples.removals.map(change),
        moves: diff.samples.moves.map(change),
        updates: diff.samples.updates.map(change),
      },
    };
  }

  /**
   * Applies a pending import in one transaction with its ledger entries: removed electors' passkeys
   * are revoked (PasskeyRevoked each), the roll is updated set-wise, and RollCommitted records the
   * per-district counts and the pseudonym root of the roll as it now stands.
   */
  async apply(importId: string): Promise<RollImportApplied> {
    const staged = await this.roll.findImport(importId);
    if (!staged || staged.status === 'staging') throw noSuchImport();
    if (staged.status !== 'pending') throw new AppError('CONFLICT', 'This import was applied already, or another import was applied after it. Upload the file again to see a fresh preview.');
    const councilId = staged.councilId;
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      if (!(await this.roll.claimPending(tx, importId))) throw new AppError('CONFLICT', 'This import was applied already, or another import was applied after it.');
      const removeIds = await this.roll.electorsMissingFrom(tx, importId, councilId);
      const revoked = await this.identity.revokePasskeysOf(tx, removeIds, new Date());
      // Entries: one PasskeyRevoked per revoked passkey (nextIndex, nextIndex + 1, …), then RollCommitted.
      await this.identity.setRevokedIndex(tx, revoked.map((p) => p.id), nextIndex);
      await this.roll.applyImport(tx, importId, councilId, removeIds);
      const ledgerIndex = nextIndex + BigInt(revoked.length);
      await this.roll.finishImport(tx, importId, councilId, ledgerIndex);
      const committed = await this.#rollCommitted(tx, councilId);
      const entries = [
        ...revoked.map((p) => passkeyRevokedEntry(this.keys.pseudonym(p.electorNumber), p.credentialId, 'removed-from-roll')),
        committed.entry,
      ];
      return { entries, result: { ...committed, revoked: revoked.length, ledgerIndex } };
    });
    const { ledgerIndex } = result;
    return {
      importId,
      electorCount: result.electorCount,
      districts: result.districts.map((d) => ({ code: d.code, electorCount: d.electors })),
      pseudonymRoot: result.root,
      ledgerIndex: ledgerIndex.toString(),
      passkeysRevoked: result.revoked,
    };
  }

  /** The RollCommitted entry for the roll as it stands inside `tx`: per-district counts and the pseudonym root. */
  async #rollCommitted(tx: TransactionClient, councilId: string) {
    const districts = await this.roll.districtCounts(tx, councilId);
    const numbers = await this.roll.electorNumbers(tx, councilId);
    const root = pseudonymRoot(numbers.map((n) => this.keys.pseudonym(n)));
    const entry = ledgerEntry('RollCommitted', {
      electorCount: numbers.length,
      districts: Object.fromEntries(districts.map((d) => [d.code, d.electors])),
      pseudonymRoot: root,
      pseudonymTree: 'rfc9162-sha256-sorted-hmac-sha256',
    });
    return { entry, electorCount: numbers.length, districts, root };
  }

  /**
   * Commits the roll as it stands when it was never imported (the demo council's seeded roll), so
   * elections on it have the RollCommitted that observers check eligibility against. Does nothing
   * when the registry already holds one.
   */
  async commitSeededRoll(): Promise<void> {
    if (await this.roll.hasRollCommitted()) return;
    const council = await this.#council();
    await this.ledger.append(REGISTRY_LOG, async (tx) => ({ entries: [(await this.#rollCommitted(tx, council.id)).entry], result: undefined }));
  }

  async listElectors(filter: { district?: string; q?: string; page: number }): Promise<ElectorListResponse> {
    const council = await this.#council();
    const { total, electors } = await this.roll.listElectors(council.id, filter, (filter.page - 1) * PAGE_SIZE, PAGE_SIZE);
    return {
      page: filter.page,
      pageSize: PAGE_SIZE,
      total,
      electors: electors.map((e) => ({
        electorNumber: e.electorNumber,
        givenName: e.givenName,
        familyName: e.familyName,
        postcode: e.postcode,
        districtCode: e.district.code,
        cardIssuedAt: e.activationCode?.issuedAt.toISOString() ?? null,
        enrolled: e.passkeys.length > 0,
        activePasskeys: e.passkeys.filter((p) => !p.revokedAt && !p.suspendedAt).length,
      })),
    };
  }

  /**
   * Issues new cards to every elector of the district without a live passkey and writes the letters.
   * Codes are stored only hashed, so printing is issuing: earlier unused codes stop working.
   */
  /** What issuing a district's letters would do (asked before it is done). */
  async pollCardsPreview(districtCode: string): Promise<PollCardsPreview> {
    const council = await this.#council();
    const district = council.districts.find((d) => d.code === districtCode.toUpperCase());
    if (!district) throw new AppError('NOT_FOUND', 'There is no district with that code.');
    return { district: district.code, ...(await this.roll.pollCardCounts(district.id)) };
  }

  async writeDistrictCards(districtCode: string, out: Writable): Promise<{ cards: number }> {
    const council = await this.#council();
    const district = council.districts.find((d) => d.code === districtCode.toUpperCase());
    if (!district) throw new AppError('NOT_FOUND', 'There is no district with that code.');
    const electors = await this.roll.electorsNeedingCards(district.id);
    const cards: PollCard[] = [];
    const codes: { electorId: string; codeHash: Uint8Array }[] = [];
    for (const e of electors) {
      const code = generateActivationCode();
      codes.push({ electorId: e.id, codeHash: this.keys.activationCodeHash(code) });
      cards.push({ givenName: e.givenName, familyName: e.familyName, addressLine: e.addressLine, postcode: e.postcode, electorNumber: e.electorNumber, districtName: e.district.name, activationCode: code });
    }
    await this.identity.transaction((tx) => this.roll.replaceActivationCodes(tx, codes));
    await writePollCards(out, cards, { councilName: council.name, publicUrl: this.config.publicUrl });
    return { cards: cards.length };
  }

  /**
   * A lost card: a new code (the old one stops working), the elector's passkeys revoked (one
   * PasskeyRevoked each) and their sessions ended, in one transaction; then the letter.
   */
  async reissueCard(electorNumber: string): Promise<{ card: PollCard; revoked: number }> {
    const council = await this.#council();
    const elector = await this.roll.findElector(council.id, electorNumber.toUpperCase());
    if (!elector) throw noSuchElector();
    const code = generateActivationCode();
    const pseudonym = this.keys.pseudonym(elector.electorNumber);
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      await this.roll.replaceActivationCodes(tx, [{ electorId: elector.id, codeHash: this.keys.activationCodeHash(code) }]);
      const revoked = await this.identity.revokePasskeysOf(tx, [elector.id], new Date());
      await this.identity.setRevokedIndex(tx, revoked.map((p) => p.id), nextIndex);
      await this.identity.deleteSessionsOf(tx, { electorId: elector.id });
      return { entries: revoked.map((p) => passkeyRevokedEntry(pseudonym, p.credentialId, 'card-reissued')), result: revoked.map((p) => p.id) };
    });
    return {
      card: {
        givenName: elector.givenName,
        familyName: elector.familyName,
        addressLine: elector.addressLine,
        postcode: elector.postcode,
        electorNumber: elector.electorNumber,
        districtName: elector.district.name,
        activationCode: code,
      },
      revoked: result.length,
    };
  }

  writeCards(out: Writable, cards: PollCard[]): Promise<void> {
    return this.#council().then((council) => writePollCards(out, cards, { councilName: council.name, publicUrl: this.config.publicUrl }));
  }
}

export const rollTooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `The roll file is larger than ${MAX_ROLL_BYTES / 1024 / 1024} MiB.`);

/** Reads what is left of a request body and drops it; resolves when it has ended (or failed). */
export async function drain(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return;
  body.unpipe();
  body.resume();
  await finished(body).catch(() => undefined);
}
