import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionConsent, InteractionDetails, InteractionLogin, InteractionRedirect } from '@townhall/protocol';
import { CurrentPrincipal, Public, type Principal } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { OidcInteractionService } from './oidc-interaction.service.ts';

/**
 * The interaction pages' API, under the interaction's own path (/oidc/interaction/:uid/…, outside /api)
 * because oidc-provider's interaction cookie is scoped to that path: only the browser that started the
 * sign-in can see or finish it. Public routes: the interaction, not the Townhall session, is what they
 * act on; the session is checked where a person's sign-in or choice is recorded.
 */
@ApiTags('townhall-id')
@Controller('oidc/interaction/:uid')
export class OidcInteractionController {
  constructor(@Inject(OidcInteractionService) private readonly interactions: OidcInteractionService) {}

  @Get('details')
  @Public()
  @ApiOperation({ summary: 'Which service asks, for what, and whether the person must sign in or choose what to share' })
  @ApiOkResponse({ schema: openApiSchema(InteractionDetails) })
  details(
    @Param('uid') uid: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<InteractionDetails> {
    return this.interactions.details(request, response, uid, principal);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'The person signed in with their passkey (a fresh Townhall session): sign them in to the service' })
  @ApiOkResponse({ schema: openApiSchema(InteractionRedirect) })
  login(
    @Param('uid') uid: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<InteractionRedirect> {
    return this.interactions.login(request, response, uid, principal, parseInput(InteractionLogin, body ?? {}).actingFor);
  }

  @Post('consent')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Share these claims with the service (recorded in the registry log), and continue to it' })
  @ApiOkResponse({ schema: openApiSchema(InteractionRedirect) })
  consent(
    @Param('uid') uid: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<InteractionRedirect> {
    const consent = parseInput(InteractionConsent, body);
    return this.interactions.consent(request, response, uid, principal, consent.claims, consent.organisationId);
  }

  @Post('abort')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Do not sign in: the service is told the person declined (access_denied)' })
  @ApiOkResponse({ schema: openApiSchema(InteractionRedirect) })
  abort(@Param('uid') uid: string, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<InteractionRedirect> {
    return this.interactions.abort(request, response, uid);
  }
}
