import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from './app-error.ts';
import { ACCESS_KEY, type Access } from './access.ts';

/** The one authorization function every route passes through. */
export function authorize(access: Access | undefined): void {
  if (!access) {
    // Failing closed: a handler without an access declaration is a programming error, not a 5xx.
    throw new AppError('FORBIDDEN', 'You do not have permission to do that.', { logMessage: 'route has no access declaration' });
  }
  if (access.kind === 'public') return;
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    authorize(access);
    return true;
  }
}
