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
export function authorize(principal: Principal, access: Access | undefined): void {
  if (!access) {
    // Failing closed: a handler without an access declaration is a programming error, not a 5xx.
    throw new AppError('FORBIDDEN', 'You do not have permission to do that.', { logMessage: 'route has no access declaration' });
  }
  if (access.kind === 'public') return;
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  const forbidden = () => new AppError('FORBIDDEN', 'You do not have permission to do that.');
  switch (access.kind) {
    case 'resident':
      if (principal.kind !== 'resident') throw forbidden();
      return;
    case 'staff':
      if (principal.kind !== 'staff' || !principal.roles.some((r) => (access.roles as readonly string[]).includes(r.role))) throw forbidden();
      return;
    case 'trustee': {
      const isTrustee = principal.kind === 'staff' && principal.roles.some((r) => r.role === 'trustee' && (access.electionId === undefined || r.electionId === access.electionId));
      if (isTrustee) return;
      if (access.electionId !== undefined) throw new AppError('NOT_FOUND', 'There is no such election.');
      throw forbidden();
    }
  }
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
    authorize(principal, access);
    return true;
  }
}
