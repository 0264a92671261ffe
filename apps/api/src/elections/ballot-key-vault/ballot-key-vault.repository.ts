import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database.ts';

export interface VaultRow {
  version: number;
  credentialId: Uint8Array;
  salt: Uint8Array;
  wrappedKey: Uint8Array;
}

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

/** The ballot-key vault's one table (docs/protocol/key-ceremony-and-credentials.md §6.3). */
@Injectable()
export class BallotKeyVaultRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async find(electionId: string, electorId: string): Promise<VaultRow | null> {
    return this.database.prisma.ballotKeyVault.findUnique({
      where: { electionId_electorId: { electionId, electorId } },
      select: { version: true, credentialId: true, salt: true, wrappedKey: true },
    });
  }

  /** One record per elector and election: a later one replaces the earlier. */
  async store(electionId: string, electorId: string, row: VaultRow): Promise<void> {
    const data = { version: row.version, credentialId: bytes(row.credentialId), salt: bytes(row.salt), wrappedKey: bytes(row.wrappedKey) };
    await this.database.prisma.ballotKeyVault.upsert({
      where: { electionId_electorId: { electionId, electorId } },
      create: { electionId, electorId, ...data },
      update: { ...data, storedAt: new Date() },
    });
  }
}
