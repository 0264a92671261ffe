import { Inject, Injectable } from '@nestjs/common';
import type { CouncilSummary } from '@townhall/protocol';
import { AppError } from '../common/app-error.ts';
import { CouncilRepository } from './council.repository.ts';

@Injectable()
export class CouncilService {
  constructor(@Inject(CouncilRepository) private readonly councils: CouncilRepository) {}

  async summary(): Promise<CouncilSummary> {
    const council = await this.councils.findCurrent();
    if (!council) {
      throw new AppError('NOT_FOUND', 'No council has been set up on this deployment yet.');
    }
    const districts = council.districts.map((d) => ({ code: d.code, name: d.name, electorCount: d._count.electors }));
    return {
      name: council.name,
      electorCount: districts.reduce((sum, d) => sum + d.electorCount, 0),
      districts,
    };
  }
}
