import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BallotKeyVaultRecord, ElectionId } from '@townhall/protocol';
import { CurrentPrincipal, Resident, type Principal } from '../../common/access.ts';
import { AppError } from '../../common/app-error.ts';
import { openApiSchema } from '../../common/openapi.ts';
import { parseInput } from '../../common/validation.ts';
import { notFound } from '../definition/elections.service.ts';
import { BallotKeyVaultService } from './ballot-key-vault.service.ts';

/** A malformed id is answered like an unknown one. */
function electionId(raw: string): string {
  if (!ElectionId.safeParse(raw).success) throw notFound();
  return raw;
}

function resident(principal: Principal): Extract<Principal, { kind: 'resident' }> {
  if (principal.kind !== 'resident') throw new AppError('FORBIDDEN', 'You do not have permission to do that.');
  return principal;
}

/** The signed-in resident's own sealed ballot key (routes listed in packages/protocol/src/ballot-key-vault.ts). */
@ApiTags('elections')
@Controller()
export class BallotKeyVaultController {
  constructor(@Inject(BallotKeyVaultService) private readonly vault: BallotKeyVaultService) {}

  @Get('elections/:id/ballot-key')
  @Resident()
  @ApiOperation({ summary: 'Your own sealed ballot key for this election, to vote again from another device (only while it is open)' })
  @ApiOkResponse({ schema: openApiSchema(BallotKeyVaultRecord) })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<BallotKeyVaultRecord> {
    return this.vault.get(electionId(id), resident(principal));
  }

  @Put('elections/:id/ballot-key')
  @Resident()
  @ApiOperation({ summary: 'Save your ballot key, sealed in your browser under your passkey, so you can vote again from another device' })
  @ApiOkResponse({ schema: openApiSchema(BallotKeyVaultRecord) })
  store(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<BallotKeyVaultRecord> {
    return this.vault.store(electionId(id), resident(principal), parseInput(BallotKeyVaultRecord, body, 'sealed ballot key'));
  }
}
