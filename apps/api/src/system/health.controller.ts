import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthResponse } from '@townhall/protocol';
import { openApiSchema } from '../common/openapi.ts';
import { Public } from '../common/access.ts';
import { HealthService } from './health.service.ts';

@ApiTags('system')
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database reachable, migrations applied, version' })
  @ApiOkResponse({ schema: openApiSchema(HealthResponse) })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable or migrations are pending', schema: openApiSchema(HealthResponse) })
  async get(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const report = await this.health.check();
    response.setHeader('Cache-Control', 'no-store');
    if (report.status !== 'ok') response.status(503);
    return report;
  }
}
