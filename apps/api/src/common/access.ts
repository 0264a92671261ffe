import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { StaffActionName, StaffRole, StaffRoleName } from '@townhall/protocol';

/**
 * Access rules are declared on every route and enforced by one guard calling one function,
 * `authorize` (access.guard.ts). A route without a declaration is refused, so a new route cannot be
 * forgotten; the authorization-matrix test enumerates Nest's routes to prove it.
 */
export const ACCESS_KEY = 'townhall:access';

export type Access =
  /** Anyone. State-changing methods still need the CSRF header and origin unless `csrf` is false. */
  | { kind: 'public'; csrf: boolean }
  /** A signed-in resident (an elector with a passkey). */
  | { kind: 'resident' }
  /**
   * A signed-in staff member holding one of `roles` (trustee roles are checked with `Trustee`). With
   * `electionParam`, the route runs the election named by that path parameter: separation of duties
   * refuses its trustees, and the caller becomes one of its officials.
   */
  | { kind: 'staff'; roles: readonly Exclude<StaffRoleName, 'trustee'>[]; electionParam?: string }
  /**
   * A signed-in trustee; of the election named by `electionParam` (or `electionId`) when given.
   * Separation of duties refuses the election's officials.
   */
  | { kind: 'trustee'; electionId?: string; electionParam?: string }
  /**
   * For services, after the route's `Trustee` check: one of the trustees named in the key ceremony of
   * `electionId`. `isNamed` is the service's lookup of the caller among them (their seat, by staff
   * id; the demo seed acts for its trustees without session roles, so roles are not consulted).
   * Separation of duties refuses the election's officials.
   */
  | { kind: 'ceremony-trustee'; electionId: string; isNamed: boolean }
  /** A signed-in resident, or a person who joined an organisation by invitation (docs/organisations.md). */
  | { kind: 'resident-or-person' }
  /**
   * A member of the organisation named by the path parameter `organisationParam`, holding one of
   * `roles`; refused with ORGANISATION_NOT_ACTIVE from the first request after it is suspended or closed.
   */
  | { kind: 'organisation'; organisationParam: string; roles: readonly string[] };

/** A live membership, read with the session on every request (so a suspension takes effect at once). */
export interface Membership {
  organisationId: string;
  memberId: string;
  roles: readonly string[];
  organisationStatus: string;
}

/** Who is calling, resolved from the session cookie by the guard before any handler runs. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'resident'; electorId: string; sessionId: string; passkeyId: string | null; memberships?: readonly Membership[] }
  /** Someone who joined an organisation by its invitation and is not a resident here. */
  | {
      kind: 'person';
      personId: string;
      sessionId: string;
      passkeyId: string | null;
      displayName: string;
      memberships: readonly Membership[];
    }
  | {
      kind: 'staff';
      staffId: string;
      sessionId: string;
      displayName: string;
      roles: readonly StaffRole[];
      /** Elections this member defined or ran (separation of duties: never their trustee). */
      officialOf?: readonly string[];
    };

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public', csrf: true } satisfies Access);
/**
 * For server-to-server routes that use no cookie and authenticate their callers by signature
 * (e.g. a witness protocol endpoint): no session and no CSRF check.
 */
export const PublicMachine = () => SetMetadata(ACCESS_KEY, { kind: 'public', csrf: false } satisfies Access);
export const Resident = () => SetMetadata(ACCESS_KEY, { kind: 'resident' } satisfies Access);
export const Staff = (...roles: Exclude<StaffRoleName, 'trustee'>[]) => {
  if (roles.length === 0) throw new Error('@Staff() needs at least one role');
  return SetMetadata(ACCESS_KEY, { kind: 'staff', roles } satisfies Access);
};
/** Staff routes that run one election (its `:param`): its trustees may not call them (separation of duties). */
export const ElectionOfficial = (param: string, ...roles: Exclude<StaffRoleName, 'trustee'>[]) => {
  if (roles.length === 0) throw new Error('@ElectionOfficial() needs at least one role');
  return SetMetadata(ACCESS_KEY, { kind: 'staff', roles, electionParam: param } satisfies Access);
};
/** A trustee of the election named by the path parameter `param`. */
export const Trustee = (param = 'id') => SetMetadata(ACCESS_KEY, { kind: 'trustee', electionParam: param } satisfies Access);

export const ResidentOrPerson = () => SetMetadata(ACCESS_KEY, { kind: 'resident-or-person' } satisfies Access);
/** A member of the organisation `:param` holding one of `roles` (docs/organisations.md). */
export const OrganisationMember = (param: string, ...roles: string[]) => {
  if (roles.length === 0) throw new Error('@OrganisationMember() needs at least one role');
  return SetMetadata(ACCESS_KEY, { kind: 'organisation', organisationParam: param, roles } satisfies Access);
};

/** Audit name of a staff route's action (staff_action.action); defaults to "<METHOD> <route>". */
export const AUDIT_KEY = 'townhall:audit';
export const Audit = (action: StaffActionName) => SetMetadata(AUDIT_KEY, action);

export type RequestWithPrincipal = { principal?: Principal; sessionCookie?: string; auditTarget?: string; auditDetail?: Record<string, unknown> };

/** The caller, as the guard resolved it. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<RequestWithPrincipal>().principal ?? { kind: 'anonymous' };
});
