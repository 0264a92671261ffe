import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorBody, ElectionId } from '@townhall/protocol';
import { Public } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { RecordService } from './record.service.ts';

@ApiTags('record')
@Controller('elections')
export class RecordController {
  constructor(@Inject(RecordService) private readonly records: RecordService) {}

  @Get(':id/record')
  @Public()
  @ApiOperation({ summary: "The election record (docs/protocol/record.md): JSON Lines with every log entry, checkpoint, key and the registry entries it depends on; partial while voting is open" })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'JSON Lines', schema: { type: 'string' } })
  @ApiNotFoundResponse({ schema: openApiSchema(ApiErrorBody) })
  async record(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const electionId = parseInput(ElectionId, id, 'election id');
    const lines = this.records.lines(electionId);
    // Pull the first line before sending headers, so a missing election is still a clean 404.
    const first = await lines.next();
    response
      .status(200)
      .setHeader('Cache-Control', 'no-cache')
      .setHeader('Content-Disposition', `attachment; filename="election-${electionId}.record.jsonl"`)
      .type('application/x-ndjson; charset=utf-8');
    if (!first.done) response.write(first.value);
    for await (const line of lines) response.write(line);
    response.end();
  }
}
