import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  RegistrationFinishRequest,
  RegistrationOptionsResponse,
  SessionResponse,
  StaffActionsQuery,
  StaffActionsResponse,
  StaffInvitationCreated,
  StaffInvitationRequest,
  TrusteeInvitationRequest,
  StaffInvitationSummary,
  StaffListResponse,
} from '@townhall/protocol';
import { Audit, CurrentPrincipal, ElectionOfficial, Public, Staff, type Principal, type RequestWithPrincipal } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { SessionService } from '../identity/session.service.ts';
import { StaffService } from './staff.service.ts';

@ApiTags('staff')
@Controller('staff')
export class StaffController {
  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  @Post('invitations')
  @Staff('admin')
  @Audit('staff.invite')
  @ApiOperation({ summary: 'Invite an officer, admin or trustee (of one election): a one-time link' })
  @ApiCreatedResponse({ schema: openApiSchema(StaffInvitationCreated) })
  async invite(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() request: RequestWithPrincipal): Promise<StaffInvitationCreated> {
    const input = parseInput(StaffInvitationRequest, body);
    const createdById = principal.kind === 'staff' ? principal.staffId : null;
    // A trustee's election must exist and still be a draft, whichever route invites them.
    const created =
      input.role === 'trustee' ? await this.staff.inviteTrustee(input.electionId, input.displayName, createdById) : await this.staff.invite(input, createdById);
    request.auditTarget = created.invitationId;
    request.auditDetail = { role: input.role, ...('electionId' in input ? { electionId: input.electionId } : {}) };
    return created;
  }

  // Who may invite whom: docs/decisions/0004-identity.md ("Staff"). Officers run the council's
  // elections, so they invite and see the trustees of an election, and no one else.

  @Get('elections/:electionId/trustees')
  @Staff('officer', 'admin')
  @Audit('staff.list-trustees')
  @ApiOperation({ summary: 'The trustees of one election, in the order they joined' })
  @ApiOkResponse({ schema: openApiSchema(StaffListResponse) })
  electionTrustees(@Param('electionId') electionId: string, @Req() request: RequestWithPrincipal): Promise<StaffListResponse> {
    request.auditTarget = electionId;
    return this.staff.electionTrustees(electionId);
  }

  @Post('elections/:electionId/trustees/invitations')
  @ElectionOfficial('electionId', 'officer', 'admin')
  @Audit('staff.invite-trustee')
  @ApiOperation({ summary: 'Invite a trustee of one draft election: a one-time link' })
  @ApiCreatedResponse({ schema: openApiSchema(StaffInvitationCreated) })
  async inviteTrustee(
    @Param('electionId') electionId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Req() request: RequestWithPrincipal,
  ): Promise<StaffInvitationCreated> {
    const { displayName } = parseInput(TrusteeInvitationRequest, body);
    request.auditDetail = { role: 'trustee', electionId };
    const created = await this.staff.inviteTrustee(electionId, displayName, principal.kind === 'staff' ? principal.staffId : null);
    request.auditTarget = created.invitationId;
    return created;
  }

  @Get('invitations/:token')
  @Public()
  @ApiOperation({ summary: 'What an invitation link is for (unknown, used and expired links are all 404)' })
  @ApiOkResponse({ schema: openApiSchema(StaffInvitationSummary) })
  invitation(@Param('token') token: string): Promise<StaffInvitationSummary> {
    return this.staff.invitation(token);
  }

  @Post('invitations/:token/start')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Passkey registration options to accept an invitation' })
  @ApiOkResponse({ schema: openApiSchema(RegistrationOptionsResponse) })
  async startAcceptance(@Param('token') token: string, @Req() request: Request): Promise<RegistrationOptionsResponse> {
    return { options: (await this.staff.startAcceptance(token, this.sessions.cookieOf(request)!)) as RegistrationOptionsResponse['options'] };
  }

  @Post('invitations/:token/finish')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation with a new passkey: becomes staff and signs in' })
  @ApiOkResponse({ schema: openApiSchema(SessionResponse) })
  async finishAcceptance(@Param('token') token: string, @Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionResponse> {
    const accepted = await this.staff.finishAcceptance(token, parseInput(RegistrationFinishRequest, body), this.sessions.cookieOf(request)!);
    this.sessions.setSignedIn(response, accepted.cookie);
    return accepted.session;
  }

  @Get()
  @Staff('admin')
  @Audit('staff.list')
  @ApiOperation({ summary: 'Staff members and their roles' })
  @ApiOkResponse({ schema: openApiSchema(StaffListResponse) })
  list(): Promise<StaffListResponse> {
    return this.staff.list();
  }

  @Get('actions')
  @Staff('admin')
  @Audit('staff.actions')
  @ApiOperation({ summary: 'The audit trail of staff actions, newest first' })
  @ApiOkResponse({ schema: openApiSchema(StaffActionsResponse) })
  actions(@Query() query: unknown): Promise<StaffActionsResponse> {
    return this.staff.actions(parseInput(StaffActionsQuery, query, 'query').page);
  }
}
