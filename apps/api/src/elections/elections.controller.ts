import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  BallotCodeMatches,
  BallotCodeQuery,
  BallotStatus,
  CastBallotRequest,
  CastBallotResponse,
  CeremonyState,
  CredentialChallengeResponse,
  CredentialRequest,
  CredentialResponse,
  ElectionDashboard,
  ElectionDetail,
  ElectionDraft,
  ElectionId,
  ElectionListResponse,
  PartialDecryptionRequest,
  SpoilBallotRequest,
  SpoiledBallotView,
  StartCeremonyRequest,
  TallyState,
  TrackingCode,
  TrusteeCommitmentRequest,
  TrusteeSharesRequest,
  TrusteeVerdictRequest,
} from '@townhall/protocol';
import { z } from 'zod';
import { Audit, CurrentPrincipal, ElectionOfficial, Public, PublicMachine, Resident, Staff, Trustee, type Principal } from '../common/access.ts';
import { isAuthorized } from '../common/access.guard.ts';
import { AppError } from '../common/app-error.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { ElectionsService, notFound } from './definition/elections.service.ts';
import { CeremonyService } from './ceremony/ceremony.service.ts';
import { CredentialsService } from './credentials/credentials.service.ts';
import { BallotsService } from './ballots/ballots.service.ts';
import { TallyService } from './tally/tally.service.ts';

/** A malformed id is answered like an unknown one. */
function electionId(raw: string): string {
  if (!ElectionId.safeParse(raw).success) throw notFound();
  return raw;
}
function trackingCode(raw: string): string {
  if (!TrackingCode.safeParse(raw).success) throw new AppError('NOT_FOUND', 'No ballot has that tracking code.');
  return raw;
}
/** Definition problems are ELECTION_INVALID (422) with one issue per field, so the official app can show them beside the fields. */
function parseDraft(body: unknown): z.output<typeof ElectionDraft> {
  const result = ElectionDraft.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  throw new AppError('ELECTION_INVALID', `The election definition has problems: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}

/** Elections end to end (routes listed in packages/protocol/src/elections.ts). */
@ApiTags('elections')
@Controller()
export class ElectionsController {
  constructor(
    @Inject(ElectionsService) private readonly elections: ElectionsService,
    @Inject(CeremonyService) private readonly ceremony: CeremonyService,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(BallotsService) private readonly ballots: BallotsService,
    @Inject(TallyService) private readonly tally: TallyService,
  ) {}

  // ---- public and resident reads

  @Get('elections')
  @Public()
  @ApiOperation({ summary: 'Elections past the draft stage' })
  @ApiOkResponse({ schema: openApiSchema(ElectionListResponse) })
  list(): Promise<ElectionListResponse> {
    return this.elections.list({ includeDrafts: false });
  }

  @Get('elections/mine')
  @Resident()
  @ApiOperation({ summary: 'Elections the signed-in resident may vote in (by district)' })
  @ApiOkResponse({ schema: openApiSchema(ElectionListResponse) })
  mine(@CurrentPrincipal() principal: Principal): Promise<ElectionListResponse> {
    return this.elections.mine(principal);
  }

  @Get('elections/:id')
  @Public()
  @ApiOperation({ summary: 'One election: manifest, fingerprint, keys and status' })
  @ApiOkResponse({ schema: openApiSchema(ElectionDetail) })
  detail(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ElectionDetail> {
    // Officials see drafts; so does a trustee invited to this one (their trustee page names it).
    const isStaff = isAuthorized(principal, { kind: 'staff', roles: ['officer', 'admin'] }) || isAuthorized(principal, { kind: 'trustee', electionId: id });
    return this.elections.detail(electionId(id), { isStaff });
  }

  // ---- officials

  @Get('official/elections')
  @Staff('officer', 'admin')
  @Audit('election.list')
  @ApiOkResponse({ schema: openApiSchema(ElectionListResponse) })
  officialList(): Promise<ElectionListResponse> {
    return this.elections.list({ includeDrafts: true });
  }

  @Post('official/elections')
  @Staff('officer', 'admin')
  @Audit('election.create')
  @ApiOperation({ summary: 'Create a draft election' })
  @ApiOkResponse({ schema: openApiSchema(ElectionDetail) })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ElectionDetail> {
    return this.elections.create(parseDraft(body), principal.kind === 'staff' ? principal.staffId : null);
  }

  @Put('official/elections/:id')
  @ElectionOfficial('id', 'officer', 'admin')
  @Audit('election.edit')
  @ApiOkResponse({ schema: openApiSchema(ElectionDetail) })
  update(@Param('id') id: string, @Body() body: unknown): Promise<ElectionDetail> {
    return this.elections.update(electionId(id), parseDraft(body));
  }

  @Post('official/elections/:id/ceremony')
  @ElectionOfficial('id', 'officer', 'admin')
  @Audit('election.start-ceremony')
  @HttpCode(200)
  @ApiOperation({ summary: 'Freeze the definition (ElectionDefined) and start the key ceremony with k-of-n trustees' })
  @ApiOkResponse({ schema: openApiSchema(ElectionDetail) })
  startCeremony(@Param('id') id: string, @Body() body: unknown): Promise<ElectionDetail> {
    return this.elections.startCeremony(electionId(id), parseInput(StartCeremonyRequest, body));
  }

  @Post('official/elections/:id/open')
  @ElectionOfficial('id', 'officer', 'admin')
  @Audit('election.open')
  @HttpCode(200)
  @ApiOkResponse({ schema: openApiSchema(ElectionDetail) })
  async open(@Param('id') id: string): Promise<ElectionDetail> {
    await this.elections.open(electionId(id), 'official');
    return this.elections.detail(id, { isStaff: true });
  }

  @Post('official/elections/:id/close')
  @ElectionOfficial('id', 'officer', 'admin')
  @Audit('election.close')
  @HttpCode(200)
  @ApiOkResponse({ schema: openApiSchema(ElectionDetail) })
  async close(@Param('id') id: string): Promise<ElectionDetail> {
    await this.elections.close(electionId(id), 'official');
    return this.elections.detail(id, { isStaff: true });
  }

  @Post('official/elections/:id/tally')
  @ElectionOfficial('id', 'officer', 'admin')
  @Audit('election.tally')
  @ApiOperation({
    summary:
      'Start the homomorphic aggregation of the counted set (TallyComputed). 200 when it finished within a few seconds; otherwise 202 while it runs on, with its progress in GET /elections/:id/tally. With `Prefer: respond-async`, 202 at once. Starting it again while it runs is harmless.',
  })
  @ApiOkResponse({ schema: openApiSchema(ElectionDetail) })
  async computeTally(@Param('id') id: string, @Headers('prefer') prefer: string | undefined, @Res({ passthrough: true }) response: Response): Promise<ElectionDetail> {
    const job = await this.tally.startTally(electionId(id));
    const finished = /\brespond-async\b/i.test(prefer ?? '') ? false : await settlesWithin(job.done, TALLY_WAIT_MS);
    if (finished && job.error !== undefined) throw job.error;
    response.status(finished ? 200 : 202);
    return this.elections.detail(id, { isStaff: true });
  }

  @Get('official/elections/:id/dashboard')
  @Staff('officer', 'admin')
  @Audit('election.dashboard')
  @ApiOkResponse({ schema: openApiSchema(ElectionDashboard) })
  dashboard(@Param('id') id: string): Promise<ElectionDashboard> {
    return this.elections.dashboard(electionId(id));
  }

  // ---- key ceremony

  @Get('elections/:id/ceremony')
  @Public()
  @ApiOkResponse({ schema: openApiSchema(CeremonyState) })
  ceremonyState(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CeremonyState> {
    return this.ceremony.state(electionId(id), principal);
  }

  @Post('trustee/elections/:id/commitment')
  @Trustee()
  @Audit('trustee.commitment')
  @HttpCode(200)
  @ApiOkResponse({ schema: openApiSchema(CeremonyState) })
  commitment(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<CeremonyState> {
    return this.ceremony.postCommitment(electionId(id), principal, parseInput(TrusteeCommitmentRequest, body).commitment);
  }

  @Post('trustee/elections/:id/shares')
  @Trustee()
  @Audit('trustee.shares')
  @HttpCode(200)
  @ApiOkResponse({ schema: openApiSchema(CeremonyState) })
  shares(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<CeremonyState> {
    return this.ceremony.postShares(electionId(id), principal, parseInput(TrusteeSharesRequest, body).shares);
  }

  @Post('trustee/elections/:id/verdict')
  @Trustee()
  @Audit('trustee.verdict')
  @HttpCode(200)
  @ApiOkResponse({ schema: openApiSchema(CeremonyState) })
  verdict(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<CeremonyState> {
    return this.ceremony.postVerdict(electionId(id), principal, parseInput(TrusteeVerdictRequest, body));
  }

  // ---- credentials

  @Post('elections/:id/credential-challenge')
  @Resident()
  @HttpCode(200)
  @ApiOkResponse({ schema: openApiSchema(CredentialChallengeResponse) })
  credentialChallenge(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CredentialChallengeResponse> {
    return this.credentials.challenge(electionId(id), principal);
  }

  @Post('elections/:id/credentials')
  @Resident()
  @HttpCode(201)
  @ApiOkResponse({ schema: openApiSchema(CredentialResponse) })
  issueCredential(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<CredentialResponse> {
    return this.credentials.issue(electionId(id), principal, parseInput(CredentialRequest, body));
  }

  // ---- ballots

  @Post('elections/:id/ballots')
  @PublicMachine()
  @ApiOperation({ summary: 'Cast a ballot (201; the same ballot again: 200 with the same tracking code)' })
  @ApiOkResponse({ schema: openApiSchema(CastBallotResponse) })
  async cast(@Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<CastBallotResponse> {
    const { created, response: cast } = await this.ballots.cast(electionId(id), parseInput(CastBallotRequest, body, 'ballot'));
    response.status(created ? 201 : 200);
    return cast;
  }

  @Get('elections/:id/ballots')
  @Public()
  @ApiOperation({ summary: 'The cast ballots whose tracking code starts with ?startsWith= (12–64 hex digits, e.g. the short code a voter is shown), at most 10' })
  @ApiOkResponse({ schema: openApiSchema(BallotCodeMatches) })
  ballotCodes(@Param('id') id: string, @Query() query: unknown): Promise<BallotCodeMatches> {
    return this.ballots.codesStartingWith(electionId(id), parseInput(BallotCodeQuery, query, 'query').startsWith);
  }

  @Get('elections/:id/ballots/:trackingCode')
  @Public()
  @ApiOkResponse({ schema: openApiSchema(BallotStatus) })
  ballotStatus(@Param('id') id: string, @Param('trackingCode') code: string): Promise<BallotStatus> {
    return this.ballots.status(electionId(id), trackingCode(code));
  }

  @Post('elections/:id/spoiled-ballots')
  @PublicMachine()
  @HttpCode(201)
  @ApiOperation({ summary: 'Spoil a ballot (Benaloh: opened in public, never cast): signed by a ballot key holding a credential, at most MAX_SPOILS_PER_BALLOT_KEY (5) per key' })
  @ApiOkResponse({ schema: openApiSchema(SpoiledBallotView) })
  spoil(@Param('id') id: string, @Body() body: unknown): Promise<SpoiledBallotView> {
    return this.ballots.spoil(electionId(id), parseInput(SpoilBallotRequest, body, 'spoiled ballot'));
  }

  @Get('elections/:id/spoiled-ballots/:trackingCode')
  @Public()
  @ApiOkResponse({ schema: openApiSchema(SpoiledBallotView) })
  spoiled(@Param('id') id: string, @Param('trackingCode') code: string): Promise<SpoiledBallotView> {
    return this.ballots.spoiled(electionId(id), trackingCode(code));
  }

  // ---- tally

  @Get('elections/:id/tally')
  @Public()
  @ApiOkResponse({ schema: openApiSchema(TallyState) })
  tallyState(@Param('id') id: string): Promise<TallyState> {
    return this.tally.state(electionId(id));
  }

  @Post('trustee/elections/:id/partial-decryption')
  @Trustee()
  @Audit('trustee.partial-decryption')
  @HttpCode(200)
  @ApiOkResponse({ schema: openApiSchema(TallyState) })
  partialDecryption(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<TallyState> {
    return this.tally.postPartialDecryption(electionId(id), principal, parseInput(PartialDecryptionRequest, body));
  }
}

/** How long POST …/tally waits for the aggregation before answering 202 (a small election is done by then). */
const TALLY_WAIT_MS = 10_000;

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
