import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from './app-error.ts';
import { ACCESS_KEY, type Access, type Principal, type RequestWithPrincipal } from './access.ts';
import { SessionService } from '../identity/session.service.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one authorization function every route passes through (and services call for per-resource
 * checks such as "trustee of this election"). Anonymous callers of a protected route get 401; a
 * signed-in caller without the role gets 403, except where the existence of the resource is itself
 * information (a given election), where the answer is the same 404 as for a missing one.
 */
export function authorize(principal: Principal, access: Access | undefined, params: Readonly<Record<string, string | undefined>> = {}): void {
  if (!access) {
    // Failing closed: a handler without an access declaration is a programming error, not a 5xx.
    throw new AppError('FORBIDDEN', 'You do not have permission to do that.', { logMessage: 'route has no access declaration' });
  }
  if (access.kind === 'public') return;
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  const forbidden = () => new AppError('FORBIDDEN', 'You do not have permission to do that.');
  const noSuchElection = () => new AppError('NOT_FOUND', 'There is no such election.');
  switch (access.kind) {
    case 'resident':
      if (principal.kind !== 'resident') throw forbidden();
      return;
    case 'resident-or-person':
      if (principal.kind !== 'resident' && principal.kind !== 'person') throw forbidden();
      return;
    case 'organisation': {
      if (principal.kind !== 'resident' && principal.kind !== 'person') throw forbidden();
      const organisationId = params[access.organisationParam];
      const membership = principal.memberships?.find((m) => m.organisationId === organisationId);
      if (!membership) throw forbidden();
      if (membership.organisationStatus !== 'active') {
        const status = membership.organisationStatus;
        const message = `This organisation is ${status}: nobody can act as its member unless the council reinstates it.`;
        throw new AppError('ORGANISATION_NOT_ACTIVE', message);
      }
      if (!membership.roles.some((role) => access.roles.includes(role))) {
        throw new AppError('FORBIDDEN', `Only the organisation’s ${access.roles.join(' or ')}s can do that.`);
      }
      return;
    }
    case 'staff': {
      if (principal.kind !== 'staff' || !principal.roles.some((r) => (access.roles as readonly string[]).includes(r.role))) throw forbidden();
      const electionId = access.electionParam === undefined ? undefined : params[access.electionParam];
      if (electionId !== undefined && isTrusteeOf(principal, electionId)) throw separationOfDuties('You are a trustee of this election, so you cannot also run it.');
      return;
    }
    case 'trustee': {
      const electionId = access.electionId ?? (access.electionParam === undefined ? undefined : params[access.electionParam]);
      if (principal.kind !== 'staff') throw access.electionId === undefined ? forbidden() : noSuchElection();
      // On a trustee route, staff who are nobody's trustee are refused as such; a trustee of other
      // elections learns nothing about this one: the same answer as a missing election.
      if (access.electionId === undefined && !principal.roles.some((r) => r.role === 'trustee')) throw forbidden();
      if (electionId !== undefined && !isTrusteeOf(principal, electionId)) throw noSuchElection();
      if (electionId !== undefined && principal.kind === 'staff' && principal.officialOf?.includes(electionId)) {
        throw separationOfDuties('You defined or ran this election, so you cannot also be one of its trustees.');
      }
      return;
    }
    case 'ceremony-trustee':
      if (principal.kind !== 'staff' || !access.isNamed) throw noSuchElection();
      if (principal.officialOf?.includes(access.electionId)) throw separationOfDuties('You defined or ran this election, so you cannot also be one of its trustees.');
      return;
  }
}

/** Whether `authorize` lets the caller through: for a view that shows some callers more. */
export function isAuthorized(principal: Principal, access: Access): boolean {
  try {
    authorize(principal, access);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

/**
 * Separation of duties (docs/decisions/0004-identity.md): may this staff member hold a trustee
 * share of this election? Not if they defined or ran it. Used wherever a trustee is chosen.
 */
export function mayBeTrusteeOf(duties: { officialOf: readonly string[] }, electionId: string): boolean {
  return !duties.officialOf.includes(electionId);
}

function isTrusteeOf(principal: Extract<Principal, { kind: 'staff' }>, electionId: string): boolean {
  return principal.roles.some((r) => r.role === 'trustee' && r.electionId === electionId);
}

function separationOfDuties(message: string): AppError {
  return new AppError('FORBIDDEN', `${message} An election's officials and its trustees must be different people (separation of duties).`);
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<Request & RequestWithPrincipal>();
    if (access?.kind === 'public' && !access.csrf) {
      request.principal = { kind: 'anonymous' };
      return true;
    }
    const { principal } = await this.sessions.resolve(this.sessions.cookieOf(request));
    request.principal = principal;
    if (!SAFE_METHODS.has(request.method) && !this.sessions.isCsrfValid(request)) {
      throw new AppError('CSRF_REJECTED', 'This request was refused as a possible cross-site request. Reload the page and try again.');
    }
    authorize(principal, access, (request.params ?? {}) as Record<string, string | undefined>);
    return true;
  }
}
