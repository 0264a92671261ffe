import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.ts';

@Injectable()
export class CouncilRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** The deployment's council (one per deployment for now) with its districts and roll sizes. */
  async findCurrent() {
    const council = await this.database.prisma.council.findFirst({
      orderBy: { createdAt: 'asc' },
      include: {
        districts: { orderBy: { name: 'asc' }, include: { _count: { select: { electors: true } } } },
      },
    });
    return council;
  }
}
