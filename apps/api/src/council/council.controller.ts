import { Controller, Get, Inject } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, CouncilSummary } from '@townhall/protocol';
import { Public } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { CouncilService } from './council.service.ts';

@ApiTags('council')
@Controller('council')
export class CouncilController {
  constructor(@Inject(CouncilService) private readonly council: CouncilService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The council, its districts and the size of the roll in each (no personal data)' })
  @ApiOkResponse({ schema: openApiSchema(CouncilSummary) })
  @ApiNotFoundResponse({ schema: openApiSchema(ApiErrorBody) })
  summary(): Promise<CouncilSummary> {
    return this.council.summary();
  }
}
