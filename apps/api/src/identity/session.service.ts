import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionResponse, StaffRole, StaffRoleName } from '@townhall/protocol';
import { APP_CONFIG, sessionCookieOptions, type AppConfig } from '../config/config.ts';
import type { Principal } from '../common/access.ts';
import { IdentityKeys, randomToken, sha256 } from './identity-keys.ts';
import { IdentityRepository, type AccountOwner, type Client } from './identity.repository.ts';

export const SESSION_COOKIE = 'townhall_session';
const COOKIE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface ResolvedSession {
  principal: Principal;
  expiresAt: Date | null;
}

/**
 * Server-side sessions behind an opaque cookie. Every browser gets the cookie on its first
 * GET /api/session (anonymous: no row), so CSRF tokens and WebAuthn challenges can be bound to it
 * before sign-in; signing in replaces it with a fresh value (no session fixation).
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(IdentityRepository) private readonly identity: IdentityRepository,
    @Inject(IdentityKeys) private readonly keys: IdentityKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  cookieOf(request: Request): string | undefined {
    const value = (request.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    return typeof value === 'string' && COOKIE_SHAPE.test(value) ? value : undefined;
  }

  /** The cookie of this request, or a new anonymous one set on the response. */
  ensureCookie(request: Request, response: Response): string {
    const existing = this.cookieOf(request);
    if (existing) return existing;
    const value = randomToken();
    this.#setCookie(response, value);
    (request.cookies as Record<string, string>)[SESSION_COOKIE] = value;
    return value;
  }

  async resolve(cookie: string | undefined): Promise<ResolvedSession> {
    if (!cookie) return { principal: { kind: 'anonymous' }, expiresAt: null };
    const session = await this.identity.findLiveSession(sha256(cookie), new Date());
    if (!session) return { principal: { kind: 'anonymous' }, expiresAt: null };
    const sessionId = Buffer.from(session.idHash).toString('hex');
    if (session.electorId) {
      const { electorId, passkeyId, memberships } = session;
      return { principal: { kind: 'resident', electorId, sessionId, passkeyId, memberships }, expiresAt: session.expiresAt };
    }
    if (session.person) {
      const { passkeyId, memberships } = session;
      const { id: personId, displayName } = session.person;
      return { principal: { kind: 'person', personId, sessionId, passkeyId, displayName, memberships }, expiresAt: session.expiresAt };
    }
    const staff = session.staff!;
    const roles: StaffRole[] = staff.roles.map((r) => ({ role: r.role as StaffRoleName, electionId: r.electionId }));
    return { principal: { kind: 'staff', staffId: staff.id, sessionId, displayName: staff.displayName, roles, officialOf: staff.officialOf }, expiresAt: session.expiresAt };
  }

  /** Creates a session row inside `tx` and returns the new cookie value (set it once `tx` commits). */
  async create(tx: Client, owner: AccountOwner, passkeyId: string | null): Promise<{ cookie: string; expiresAt: Date }> {
    const cookie = randomToken();
    const expiresAt = new Date(Date.now() + this.config.sessionMaxAgeSeconds * 1000);
    await this.identity.insertSession(tx, { idHash: sha256(cookie), ...owner, passkeyId, expiresAt });
    return { cookie, expiresAt };
  }

  setSignedIn(response: Response, cookie: string): void {
    this.#setCookie(response, cookie);
  }

  /** Deletes the session row and gives the browser a fresh anonymous cookie. */
  async signOut(request: Request, response: Response): Promise<void> {
    const cookie = this.cookieOf(request);
    if (cookie) await this.identity.deleteSession(sha256(cookie));
    this.#setCookie(response, randomToken());
  }

  csrfToken(cookie: string): string {
    return this.keys.csrfToken(cookie);
  }

  /** CSRF check for state-changing requests: same-origin `Origin` and the token bound to the cookie. */
  isCsrfValid(request: Request): boolean {
    const origin = request.headers.origin;
    if (origin !== new URL(this.config.publicUrl).origin) return false;
    const cookie = this.cookieOf(request);
    const token = request.headers['x-csrf-token'];
    return !!cookie && typeof token === 'string' && this.keys.isCsrfTokenValid(cookie, token);
  }

  #setCookie(response: Response, value: string): void {
    response.cookie(SESSION_COOKIE, value, { ...sessionCookieOptions(this.config), maxAge: undefined });
  }

  describeAnonymous(cookie: string): SessionResponse {
    return { principal: { kind: 'anonymous' }, csrfToken: this.csrfToken(cookie), expiresAt: null };
  }
}
