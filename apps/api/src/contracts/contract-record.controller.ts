import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorBody, ContractId } from '@townhall/protocol';
import { Public } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { sendRecord } from '../record/record.module.ts';
import { ContractRecordService } from './contract-record.service.ts';

/** The public record of a repairs contract, from which anyone can recompute every payment. */
@ApiTags('contracts')
@Controller('contracts')
export class ContractRecordController {
  constructor(@Inject(ContractRecordService) private readonly records: ContractRecordService) {}

  @Get(':contractId/record')
  @Public()
  @ApiOperation({
    summary:
      'The contract record (docs/protocol/contracts.md §12): JSON Lines with every entry of the contract’s log up to its latest published checkpoint, the checkpoints, keys and the registry entries its approvals rest on',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'JSON Lines', schema: { type: 'string' } })
  @ApiNotFoundResponse({ schema: openApiSchema(ApiErrorBody) })
  async record(@Param('contractId') id: string, @Res() response: Response): Promise<void> {
    const contractId = parseInput(ContractId, id, 'contract id');
    await sendRecord(response, this.records.chunks(contractId), `contract-${contractId}.record.jsonl`);
  }
}
