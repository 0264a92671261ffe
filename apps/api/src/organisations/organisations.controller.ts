import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ADMINISTRATOR_ROLE,
  BankAccountAnswer,
  BankAccountInput,
  MemberRolesChange,
  AddPasskeyStartRequest,
  MembershipCheckRequest,
  MembershipCheckResult,
  MembershipCode,
  MyOrganisation,
  MyOrganisationList,
  OrganisationAdministratorInvitationRequest,
  OrganisationInvitationCreated,
  OrganisationInvitationRequest,
  OrganisationInvitationSummary,
  OrganisationList,
  OrganisationMemberList,
  OrganisationMemberSummary,
  OrganisationPublicPage,
  OrganisationRegistration,
  OrganisationStatusChange,
  OrganisationSummary,
  RegistrationFinishRequest,
  SigningPasskeySummary,
  RegistrationOptionsResponse,
  SessionResponse,
} from '@townhall/protocol';
import {
  Audit,
  CurrentPrincipal,
  OrganisationMember,
  Public,
  ResidentOrPerson,
  Staff,
  type Principal,
  type RequestWithPrincipal,
} from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { SessionService } from '../identity/session.service.ts';
import { OrganisationsService, accountOf } from './organisations.service.ts';

const staffIdOf = (principal: Principal) => (principal.kind === 'staff' ? principal.staffId : '');
const memberIdOf = (principal: Principal, organisationId: string) =>
  (principal.kind === 'resident' || principal.kind === 'person' ? principal.memberships : undefined)?.find(
    (m) => m.organisationId === organisationId,
  )?.memberId ?? '';

/** The council's register of organisations (council administrators). */
@ApiTags('organisations')
@Controller('official/organisations')
export class OfficialOrganisationsController {
  constructor(@Inject(OrganisationsService) private readonly organisations: OrganisationsService) {}

  @Get()
  @Staff('admin')
  @Audit('organisations.list')
  @ApiOperation({ summary: 'Every registered organisation' })
  @ApiOkResponse({ schema: openApiSchema(OrganisationList) })
  async list(): Promise<OrganisationList> {
    return { organisations: await this.organisations.list() };
  }

  @Post()
  @Staff('admin')
  @Audit('organisations.register')
  @ApiOperation({ summary: 'Register an organisation (an OrganisationRegistered entry)' })
  @ApiCreatedResponse({ schema: openApiSchema(OrganisationSummary) })
  async register(@Body() body: unknown, @Req() request: RequestWithPrincipal): Promise<OrganisationSummary> {
    const input = parseInput(OrganisationRegistration, body);
    request.auditDetail = { kind: input.kind, legalName: input.legalName };
    const organisation = await this.organisations.register(input);
    request.auditTarget = organisation.id;
    return organisation;
  }

  @Post(':id/status')
  @Staff('admin')
  @Audit('organisations.change-status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Suspend, reinstate or close an organisation (an OrganisationStatusChanged entry); its members lose its roles at once',
  })
  @ApiOkResponse({ schema: openApiSchema(OrganisationSummary) })
  setStatus(@Param('id') id: string, @Body() body: unknown, @Req() request: RequestWithPrincipal): Promise<OrganisationSummary> {
    const { status } = parseInput(OrganisationStatusChange, body);
    request.auditTarget = id;
    request.auditDetail = { status };
    return this.organisations.setStatus(id, status);
  }

  @Post(':id/invitations')
  @Staff('admin')
  @Audit('organisations.invite-administrator')
  @ApiOperation({ summary: 'Invite an administrator of the organisation: a one-time link' })
  @ApiCreatedResponse({ schema: openApiSchema(OrganisationInvitationCreated) })
  async invite(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: RequestWithPrincipal,
  ): Promise<OrganisationInvitationCreated> {
    const { displayName } = parseInput(OrganisationAdministratorInvitationRequest, body);
    request.auditTarget = id;
    const created = await this.organisations.invite(id, { displayName, roles: [ADMINISTRATOR_ROLE] }, { staffId: staffIdOf(principal) });
    request.auditDetail = { invitationId: created.invitationId };
    return created;
  }
}

/** An organisation's public page, and its administrators' management of its members and its bank account. */
@ApiTags('organisations')
@Controller('organisations')
export class OrganisationsController {
  constructor(
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  @Get(':id/public')
  @Public()
  @ApiOperation({ summary: 'The organisation’s public facts and status history, with the registry-log index of each entry' })
  @ApiOkResponse({ schema: openApiSchema(OrganisationPublicPage) })
  publicPage(@Param('id') id: string): Promise<OrganisationPublicPage> {
    return this.organisations.publicPage(id);
  }

  @Post(':id/public/check-member')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a member’s short-lived membership code (404 for any code that does not confirm a current member)' })
  @ApiOkResponse({ schema: openApiSchema(MembershipCheckResult) })
  checkMember(@Param('id') id: string, @Body() body: unknown): Promise<MembershipCheckResult> {
    return this.organisations.checkMember(id, parseInput(MembershipCheckRequest, body).code);
  }

  @Get(':id/members')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'The organisation’s current members and their roles' })
  @ApiOkResponse({ schema: openApiSchema(OrganisationMemberList) })
  async members(@Param('id') id: string): Promise<OrganisationMemberList> {
    return { members: await this.organisations.members(id) };
  }

  @Post(':id/invitations')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'Invite a member with roles: a one-time link' })
  @ApiCreatedResponse({ schema: openApiSchema(OrganisationInvitationCreated) })
  invite(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganisationInvitationCreated> {
    return this.organisations.invite(id, parseInput(OrganisationInvitationRequest, body), { memberId: memberIdOf(principal, id) });
  }

  @Post(':id/members/:memberId/roles')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a member these roles (a MembershipGranted entry)' })
  @ApiOkResponse({ schema: openApiSchema(OrganisationMemberSummary) })
  setRoles(@Param('id') id: string, @Param('memberId') memberId: string, @Body() body: unknown): Promise<OrganisationMemberSummary> {
    return this.organisations.setRoles(id, memberId, parseInput(MemberRolesChange, body).roles);
  }

  @Get(':id/bank-account')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'The organisation’s bank account for payments (null until set); kept in the register, never in a ledger' })
  @ApiOkResponse({ schema: openApiSchema(BankAccountAnswer) })
  bankAccount(@Param('id') id: string): Promise<BankAccountAnswer> {
    return this.organisations.bankAccount(id);
  }

  @Put(':id/bank-account')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({
    summary: 'Set the bank account payment runs pay from (an association) or into (a contractor, a host): UK sort code and account number, optionally IBAN and BIC',
  })
  @ApiOkResponse({ schema: openApiSchema(BankAccountAnswer) })
  setBankAccount(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<BankAccountAnswer> {
    return this.organisations.setBankAccount(id, principal, parseInput(BankAccountInput, body));
  }

  @Post(':id/signing-passkeys/start')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Registration options for a signing passkey of this membership (contract approvals), after a fresh assertion by a passkey of one’s own account',
  })
  @ApiOkResponse({ schema: openApiSchema(RegistrationOptionsResponse) })
  async startSigningPasskey(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<RegistrationOptionsResponse> {
    const options = await this.organisations.startSigningPasskey(id, principal, parseInput(AddPasskeyStartRequest, body), this.sessions.cookieOf(request)!);
    return { options: options as RegistrationOptionsResponse['options'] };
  }

  @Post(':id/signing-passkeys/finish')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Register the signing passkey: a MemberPasskeyBound entry binds its public key to the member’s pseudonym' })
  @ApiOkResponse({ schema: openApiSchema(SigningPasskeySummary) })
  finishSigningPasskey(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<SigningPasskeySummary> {
    return this.organisations.finishSigningPasskey(id, principal, parseInput(RegistrationFinishRequest, body), this.sessions.cookieOf(request)!);
  }

  @Post(':id/members/:memberId/remove')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (a MembershipRevoked entry)' })
  async remove(@Param('id') id: string, @Param('memberId') memberId: string): Promise<void> {
    await this.organisations.remove(id, memberId);
  }
}

/** Joining an organisation by its one-time link. */
@ApiTags('organisations')
@Controller('organisation-invitations')
export class OrganisationInvitationsController {
  constructor(
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'What an invitation link is for (unknown, used and expired links are all 404)' })
  @ApiOkResponse({ schema: openApiSchema(OrganisationInvitationSummary) })
  invitation(@Param('token') token: string): Promise<OrganisationInvitationSummary> {
    return this.organisations.invitation(token);
  }

  @Post(':token/start')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Passkey registration options to join as a new person' })
  @ApiOkResponse({ schema: openApiSchema(RegistrationOptionsResponse) })
  async start(@Param('token') token: string, @Req() request: Request): Promise<RegistrationOptionsResponse> {
    return {
      options: (await this.organisations.startAcceptance(
        token,
        this.sessions.cookieOf(request)!,
      )) as RegistrationOptionsResponse['options'],
    };
  }

  @Post(':token/finish')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Join with a new passkey (a MembershipGranted entry) and sign in' })
  @ApiOkResponse({ schema: openApiSchema(SessionResponse) })
  async finish(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResponse> {
    const accepted = await this.organisations.finishAcceptance(
      token,
      parseInput(RegistrationFinishRequest, body),
      this.sessions.cookieOf(request)!,
    );
    this.sessions.setSignedIn(response, accepted.cookie);
    return accepted.session;
  }

  @Post(':token/link')
  @ResidentOrPerson()
  @HttpCode(200)
  @ApiOperation({ summary: 'Join with the identity signed in, without a new passkey (a MembershipGranted entry)' })
  @ApiOkResponse({ schema: openApiSchema(MyOrganisation) })
  link(@Param('token') token: string, @CurrentPrincipal() principal: Principal): Promise<MyOrganisation> {
    return this.organisations.link(token, principal);
  }
}

/** A signed-in person's own organisations. */
@ApiTags('organisations')
@Controller('account/organisations')
export class AccountOrganisationsController {
  constructor(@Inject(OrganisationsService) private readonly organisations: OrganisationsService) {}

  @Get()
  @ResidentOrPerson()
  @ApiOperation({ summary: 'The organisations the signed-in person belongs to, with their roles and the signing passkeys bound to each membership' })
  @ApiOkResponse({ schema: openApiSchema(MyOrganisationList) })
  async list(@CurrentPrincipal() principal: Principal): Promise<MyOrganisationList> {
    return { organisations: await this.organisations.myOrganisations(accountOf(principal)!) };
  }

  @Post(':id/membership-code')
  @ResidentOrPerson()
  @HttpCode(200)
  @ApiOperation({ summary: 'A code, valid for 10 minutes, that the organisation’s public page confirms' })
  @ApiOkResponse({ schema: openApiSchema(MembershipCode) })
  membershipCode(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<MembershipCode> {
    return this.organisations.membershipCode(principal, id);
  }
}
