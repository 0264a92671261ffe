import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
    const chunks = this.records.chunks(electionId);
    // Pull the first chunk before sending headers, so a missing election is still a clean 404.
    const first = await chunks.next();
    response
      .status(200)
      .setHeader('Cache-Control', 'no-cache')
      .setHeader('Content-Disposition', `attachment; filename="election-${electionId}.record.jsonl"`)
      .type('application/x-ndjson; charset=utf-8');
    async function* all(): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      yield* chunks;
    }
    // pipeline waits for the client to drain (a slow reader never makes the server buffer the record)
    // and stops reading the ledger if the client goes away.
    try {
      await pipeline(Readable.from(all(), { objectMode: false }), response);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    }
  }
}
