import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ElectorListQuery, ElectorListResponse, PollCardsPreview, PollCardsRequest, RollImportApplied, RollImportPreview } from '@townhall/protocol';
import { z } from 'zod';
import { AppError } from '../common/app-error.ts';
import { Audit, CurrentPrincipal, Staff, type Principal, type RequestWithPrincipal } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { rollCharsetOf } from './roll-csv.ts';
import { MAX_ROLL_BYTES, RollService, drain, rollTooLarge } from './roll.service.ts';

const ImportId = z.uuid('must be an import id');
const ElectorNumber = z.string().min(1).max(32);

function pdfHeaders(response: Response, filename: string): void {
  response.setHeader('Content-Type', 'application/pdf');
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  // Activation codes: never cached anywhere.
  response.setHeader('Cache-Control', 'no-store');
}

@ApiTags('roll')
@Controller('roll')
export class RollController {
  constructor(@Inject(RollService) private readonly roll: RollService) {}

  @Post('imports')
  @Staff('officer', 'admin')
  @Audit('roll.import')
  @ApiOperation({
    summary:
      'Upload a roll CSV (text/csv; UTF-8, or Windows-1252 when declared as its charset or when the file is not UTF-8), at most 64 MiB: validated row by row and staged; answers the preview of changes, or ROLL_INVALID with every problem',
  })
  @ApiConsumes('text/csv')
  @ApiCreatedResponse({ schema: openApiSchema(RollImportPreview) })
  async stageImport(@CurrentPrincipal() principal: Principal, @Req() request: Request & RequestWithPrincipal): Promise<RollImportPreview> {
    const contentType = request.headers['content-type'] ?? '';
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    const charset = rollCharsetOf(contentType);
    // A refusal before the body is read still reads it (and drops it), so the client gets the answer.
    const refuse = async (error: AppError) => {
      await drain(request);
      return error;
    };
    if (type !== 'text/csv') throw await refuse(new AppError('VALIDATION_FAILED', 'Upload the roll as a CSV file (Content-Type: text/csv).'));
    if (charset === undefined) throw await refuse(new AppError('VALIDATION_FAILED', 'Upload the roll as UTF-8 or Windows-1252 text (Content-Type: text/csv; charset=utf-8 or windows-1252, or no charset).'));
    if (Number(request.headers['content-length']) > MAX_ROLL_BYTES) throw await refuse(rollTooLarge());
    const preview = await this.roll.stageImport(request, principal.kind === 'staff' ? principal.staffId : null, charset);
    request.auditTarget = preview.importId;
    request.auditDetail = { rows: preview.rowCount, ...preview.counts };
    return preview;
  }

  @Get('imports/:id')
  @Staff('officer', 'admin')
  @Audit('roll.import-preview')
  @ApiOperation({ summary: 'A staged import and its preview of changes' })
  @ApiOkResponse({ schema: openApiSchema(RollImportPreview) })
  preview(@Param('id') id: string): Promise<RollImportPreview> {
    return this.roll.preview(parseInput(ImportId, id, 'import id'));
  }

  @Post('imports/:id/apply')
  @Staff('officer', 'admin')
  @Audit('roll.apply')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply a staged import in one transaction with its RollCommitted ledger entry' })
  @ApiOkResponse({ schema: openApiSchema(RollImportApplied) })
  async apply(@Param('id') id: string, @Req() request: RequestWithPrincipal): Promise<RollImportApplied> {
    const applied = await this.roll.apply(parseInput(ImportId, id, 'import id'));
    request.auditTarget = applied.importId;
    request.auditDetail = { electorCount: applied.electorCount, ledgerIndex: applied.ledgerIndex, passkeysRevoked: applied.passkeysRevoked };
    return applied;
  }

  @Get('electors')
  @Staff('officer', 'admin')
  @Audit('roll.list-electors')
  @ApiOperation({ summary: 'Electors on the roll (search by elector number or family name), 50 a page' })
  @ApiOkResponse({ schema: openApiSchema(ElectorListResponse) })
  electors(@Query() query: unknown): Promise<ElectorListResponse> {
    return this.roll.listElectors(parseInput(ElectorListQuery, query, 'query'));
  }

  @Get('poll-cards/:district')
  @Staff('officer', 'admin')
  @Audit('roll.poll-cards-preview')
  @ApiOperation({ summary: 'What issuing a district’s poll cards would do: how many letters, how many earlier codes stop working' })
  @ApiOkResponse({ schema: openApiSchema(PollCardsPreview) })
  pollCardsPreview(@Param('district') district: string): Promise<PollCardsPreview> {
    return this.roll.pollCardsPreview(parseInput(PollCardsRequest, { district }).district);
  }

  /**
   * A POST, not a GET: printing a district issues new codes (earlier unused ones stop working), so it
   * must pass the CSRF/Origin check like every state-changing route and never be prefetched or
   * triggered by a link on another site.
   */
  @Post('poll-cards')
  @Staff('officer', 'admin')
  @Audit('roll.poll-cards')
  @ApiOperation({ summary: 'Issue and download the poll cards of a district (electors without an account); earlier unused codes stop working' })
  @ApiBody({ schema: openApiSchema(PollCardsRequest) })
  @ApiProduces('application/pdf')
  async pollCards(@Body() body: unknown, @Req() request: RequestWithPrincipal, @Res() response: Response): Promise<void> {
    const { district } = parseInput(PollCardsRequest, body);
    pdfHeaders(response, `poll-cards-${district.toUpperCase().replace(/[^A-Z0-9-]/g, '')}.pdf`);
    response.status(200);
    const { cards } = await this.roll.writeDistrictCards(district, response);
    request.auditTarget = district.toUpperCase();
    request.auditDetail = { cards };
  }

  @Post('electors/:electorNumber/reissue-card')
  @Staff('officer', 'admin')
  @Audit('roll.reissue-card')
  @ApiOperation({ summary: "Re-issue an elector's poll card: new code, old code and passkeys revoked; answers the letter (PDF)" })
  @ApiProduces('application/pdf')
  async reissue(@Param('electorNumber') electorNumber: string, @Req() request: RequestWithPrincipal, @Res() response: Response): Promise<void> {
    const { card, revoked } = await this.roll.reissueCard(parseInput(ElectorNumber, electorNumber, 'elector number'));
    request.auditTarget = card.electorNumber;
    request.auditDetail = { passkeysRevoked: revoked };
    pdfHeaders(response, `poll-card-${card.electorNumber.replace(/[^A-Z0-9-]/g, '')}.pdf`);
    response.status(200);
    await this.roll.writeCards(response, [card]);
  }
}
