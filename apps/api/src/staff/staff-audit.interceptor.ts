import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable, catchError, concatMap } from 'rxjs';
import type { StaffActionName } from '@townhall/protocol';
import { ACCESS_KEY, AUDIT_KEY, type Access, type RequestWithPrincipal } from '../common/access.ts';
import { toAppError } from '../common/app-error.filter.ts';
import { logger } from '../common/logger.ts';
import { StaffRepository } from './staff.repository.ts';

/**
 * Writes one staff_action row for every call of a staff or trustee route, whatever the handler does:
 * the audit trail cannot be forgotten by a new route. Handlers may add a target and details through
 * the request (`auditTarget`, `auditDetail`); the outcome is "ok" or the error code. A successful
 * call of a route that runs an election (`@ElectionOfficial`) also makes the caller one of its officials.
 */
@Injectable()
export class StaffAuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(StaffRepository) private readonly staff: StaffRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<Request & RequestWithPrincipal>();
    const principal = request.principal;
    if (!access || (access.kind !== 'staff' && access.kind !== 'trustee') || principal?.kind !== 'staff') return next.handle();
    // Every staff and trustee route names its action (authorization.medium.test.ts holds them to it).
    const action = this.reflector.get<StaffActionName | undefined>(AUDIT_KEY, context.getHandler());
    if (!action) {
      logger.error({ route: (request.route as { path?: string } | undefined)?.path }, 'a staff route has no @Audit name');
      return next.handle();
    }
    const record = async (outcome: string) => {
      const detail = { ...(request.auditDetail ?? {}), outcome };
      try {
        await this.staff.recordAction({ staffId: principal.staffId, action, target: request.auditTarget ?? null, detail });
      } catch (err) {
        logger.error({ err, action }, 'could not record a staff action');
      }
    };
    // Separation of duties (decision 0004): a staff member who ran an election may never be one of its trustees.
    const electionId = access.kind === 'staff' && access.electionParam ? (request.params as Record<string, string | undefined>)[access.electionParam] : undefined;
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        if (electionId !== undefined && request.method !== 'GET') await this.staff.recordElectionOfficial(principal.staffId, electionId);
        await record('ok');
        return value;
      }),
      catchError(async (error: unknown) => {
        await record(toAppError(error).code);
        throw error;
      }),
    );
  }
}
