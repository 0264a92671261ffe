import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorBody, ContractId, OcdsReleasePackage } from '@townhall/protocol';
import { Public } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { sendRecord } from '../record/record.module.ts';
import { ContractOcdsService } from './contract-ocds.service.ts';
import { ContractRecordService } from './contract-record.service.ts';

/** The public record of a repairs contract, from which anyone can recompute every payment. */
@ApiTags('contracts')
@Controller('contracts')
export class ContractRecordController {
  constructor(
    @Inject(ContractRecordService) private readonly records: ContractRecordService,
    @Inject(ContractOcdsService) private readonly ocds: ContractOcdsService,
  ) {}

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

  @Get(':contractId/ocds')
  @Public()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    summary:
      'The contract’s performance and payments as an Open Contracting Data Standard 1.1 release package (docs/protocol/contracts.md §13): jobs’ deadlines as milestones, payment runs’ payments as transactions',
  })
  @ApiOkResponse({ schema: openApiSchema(OcdsReleasePackage) })
  @ApiNotFoundResponse({ schema: openApiSchema(ApiErrorBody) })
  release(@Param('contractId') id: string): Promise<OcdsReleasePackage> {
    return this.ocds.releasePackage(parseInput(ContractId, id, 'contract id'));
  }
}
