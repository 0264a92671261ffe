import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorBody, ElectionId } from '@townhall/protocol';
import { Public } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { RecordService } from './record.service.ts';
import { sendRecord } from './send-record.ts';

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
    await sendRecord(response, this.records.chunks(electionId), `election-${electionId}.record.jsonl`);
  }
}
