import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AccountResponse,
  AddPasskeyStartRequest,
  AuthenticationFinishRequest,
  AuthenticationOptionsResponse,
  EnrolmentStartRequest,
  PasskeySummary,
  RegistrationFinishRequest,
  RegistrationOptionsResponse,
  SessionResponse,
} from '@townhall/protocol';
import { CurrentPrincipal, Public, Resident, type Principal } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { IdentityService } from './identity.service.ts';
import { SessionService } from './session.service.ts';

/** Sessions, resident enrolment, passkey sign-in and the resident's account (packages/protocol identity.ts). */
@ApiTags('identity')
@Controller()
export class IdentityController {
  constructor(
    @Inject(IdentityService) private readonly identity: IdentityService,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  @Get('session')
  @Public()
  @ApiOperation({ summary: 'Who is signed in, and the CSRF token for this browser (sets the session cookie if absent)' })
  @ApiOkResponse({ schema: openApiSchema(SessionResponse) })
  async session(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionResponse> {
    response.setHeader('Cache-Control', 'no-store');
    return this.identity.describe(this.sessions.ensureCookie(request, response));
  }

  @Post('enrolment/start')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a poll card (code + postcode or date of birth); WebAuthn registration options' })
  @ApiOkResponse({ schema: openApiSchema(RegistrationOptionsResponse) })
  async startEnrolment(@Body() body: unknown, @Req() request: Request): Promise<RegistrationOptionsResponse> {
    const input = parseInput(EnrolmentStartRequest, body);
    const options = await this.identity.startEnrolment(input, this.sessions.cookieOf(request)!, request.ip ?? 'unknown');
    return { options: options as RegistrationOptionsResponse['options'] };
  }

  @Post('enrolment/finish')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Register the passkey, claim the roll entry, sign in' })
  @ApiOkResponse({ schema: openApiSchema(SessionResponse) })
  async finishEnrolment(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionResponse> {
    const signedIn = await this.identity.finishEnrolment(parseInput(RegistrationFinishRequest, body), this.sessions.cookieOf(request)!);
    this.sessions.setSignedIn(response, signedIn.cookie);
    return signedIn.session;
  }

  @Post('sign-in/start')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'WebAuthn authentication options (discoverable credentials; works with autofill)' })
  @ApiOkResponse({ schema: openApiSchema(AuthenticationOptionsResponse) })
  async startSignIn(@Req() request: Request): Promise<AuthenticationOptionsResponse> {
    return { options: (await this.identity.startSignIn(this.sessions.cookieOf(request)!)) as AuthenticationOptionsResponse['options'] };
  }

  @Post('sign-in/finish')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify a passkey assertion and sign in (residents and staff)' })
  @ApiOkResponse({ schema: openApiSchema(SessionResponse) })
  async finishSignIn(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionResponse> {
    const signedIn = await this.identity.finishSignIn(parseInput(AuthenticationFinishRequest, body), this.sessions.cookieOf(request)!);
    this.sessions.setSignedIn(response, signedIn.cookie);
    return signedIn.session;
  }

  @Post('sign-out')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session (the row is deleted; the browser gets a fresh anonymous cookie)' })
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.signOut(request, response);
  }

  @Post('passkeys/start')
  @Resident()
  @HttpCode(200)
  @ApiOperation({ summary: 'Registration options for another passkey (another device), after a fresh assertion by one of the resident’s own passkeys' })
  @ApiOkResponse({ schema: openApiSchema(RegistrationOptionsResponse) })
  async startAddPasskey(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() request: Request): Promise<RegistrationOptionsResponse> {
    const input = parseInput(AddPasskeyStartRequest, body);
    return { options: (await this.identity.startAddPasskey(principal, input, this.sessions.cookieOf(request)!)) as RegistrationOptionsResponse['options'] };
  }

  @Post('passkeys/finish')
  @Resident()
  @HttpCode(200)
  @ApiOperation({ summary: 'Register another passkey (an Enrolled entry is appended)' })
  @ApiOkResponse({ schema: openApiSchema(PasskeySummary) })
  finishAddPasskey(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Req() request: Request): Promise<PasskeySummary> {
    return this.identity.finishAddPasskey(principal, parseInput(RegistrationFinishRequest, body), this.sessions.cookieOf(request)!);
  }

  @Get('account')
  @Resident()
  @ApiOperation({ summary: "The resident's passkeys and every registry-ledger attestation about their pseudonym, with inclusion proofs" })
  @ApiOkResponse({ schema: openApiSchema(AccountResponse) })
  async account(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<AccountResponse> {
    response.setHeader('Cache-Control', 'no-store');
    return this.identity.account(principal);
  }
}
