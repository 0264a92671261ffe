import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';

/** Secrets generated once per deployment and kept in `deployment_secret` (first writer wins). */
@Injectable()
export class DeploymentSecretsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async getOrCreate(name: string, size = 32): Promise<Uint8Array> {
    const prisma = this.database.prisma;
    const existing = await prisma.deploymentSecret.findUnique({ where: { name } });
    if (existing) return existing.value;
    await prisma.deploymentSecret.createMany({ data: [{ name, value: new Uint8Array(randomBytes(size)) }], skipDuplicates: true });
    return (await prisma.deploymentSecret.findUniqueOrThrow({ where: { name } })).value;
  }

  /** Every secret whose name starts with `prefix` (e.g. the numbered signing keys of a keyring). */
  async listByPrefix(prefix: string): Promise<{ name: string; value: Uint8Array }[]> {
    return this.database.prisma.deploymentSecret.findMany({ where: { name: { startsWith: prefix } }, select: { name: true, value: true } });
  }
}
