import { z } from 'zod';

/**
 * Organisations, their members, and appointments to act for someone (docs/organisations.md).
 *
 * Routes (all under /api). Access: public | staff(roles) | resident | resident-or-person (a signed-in
 * resident, or a person who joined an organisation by invitation) | organisation(roles) (a member of
 * the organisation in the path holding one of the roles; 403 ORGANISATION_NOT_ACTIVE once it is
 * suspended or closed).
 *
 * method path                                         access                   body → response
 * GET    /official/organisations                      staff(admin)             – → OrganisationList
 * POST   /official/organisations                      staff(admin)             OrganisationRegistration → OrganisationSummary (201)
 * POST   /official/organisations/:id/status           staff(admin)             OrganisationStatusChange → OrganisationSummary
 * POST   /official/organisations/:id/invitations      staff(admin)             OrganisationAdministratorInvitationRequest
 *                                                                              → OrganisationInvitationCreated (201)
 * POST   /official/appointments                       staff(officer,admin)     PowerOfAttorneyRecord → AppointmentSummary (201)
 * GET    /organisations/:id/public                    public                   – → OrganisationPublicPage
 * POST   /organisations/:id/public/check-member       public                   MembershipCheckRequest → MembershipCheckResult
 * GET    /organisations/:id/members                   organisation(admin.)     – → OrganisationMemberList
 * POST   /organisations/:id/invitations               organisation(admin.)     OrganisationInvitationRequest → OrganisationInvitationCreated
 * POST   /organisations/:id/members/:memberId/roles   organisation(admin.)     MemberRolesChange → OrganisationMemberSummary
 * POST   /organisations/:id/members/:memberId/remove  organisation(admin.)     {} → 204
 * GET    /organisations/:id/bank-account              organisation(admin.)     – → BankAccountAnswer (bank-accounts.ts)
 * PUT    /organisations/:id/bank-account              organisation(admin.)     BankAccountInput → BankAccountAnswer
 * POST   /organisations/:id/signing-passkeys/start    organisation(admin.)     AddPasskeyStartRequest → RegistrationOptionsResponse
 * POST   /organisations/:id/signing-passkeys/finish   organisation(admin.)     RegistrationFinishRequest → SigningPasskeySummary
 * GET    /organisation-invitations/:token             public                   – → OrganisationInvitationSummary (or 404)
 * POST   /organisation-invitations/:token/start       public                   {} → RegistrationOptionsResponse (passkey for a new person)
 * POST   /organisation-invitations/:token/finish      public                   RegistrationFinishRequest → SessionResponse
 * POST   /organisation-invitations/:token/link        resident-or-person       {} → MyOrganisation (joins as the one signed in)
 * GET    /account/organisations                       resident-or-person       – → MyOrganisationList
 * POST   /account/organisations/:id/membership-code   resident-or-person       {} → MembershipCode
 * POST   /account/appointment-code                    resident                 {} → AppointmentCode
 * GET    /account/appointments                        resident                 – → AppointmentList
 * POST   /appointments                                resident                 AppointmentRequest → AppointmentSummary (201)
 * POST   /appointments/:id/accept                     resident                 {} → AppointmentSummary
 * POST   /appointments/:id/end                        resident                 {} → AppointmentSummary
 *
 * organisation(admin.): a member of the organisation in the path holding the `administrator` role.
 */

export const ORGANISATION_KINDS = ['business', 'contractor', 'housing-association', 'council', 'charity'] as const;
export const OrganisationKind = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

export const OrganisationStatus = z.enum(['active', 'suspended', 'closed']);
export type OrganisationStatus = z.infer<typeof OrganisationStatus>;

/** Roles an organisation's administrators give. `administrator` manages the members; later features define more. */
export const ORGANISATION_ROLE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
export const OrganisationRole = z
  .string()
  .regex(
    ORGANISATION_ROLE_PATTERN,
    'must be a lower-case word of letters, digits and hyphens, starting with a letter, at most 40 characters',
  );
export type OrganisationRole = string;
export const ADMINISTRATOR_ROLE = 'administrator';
export const MEMBER_ROLE = 'member';
const Roles = z
  .array(OrganisationRole)
  .min(1, 'give at least one role (for example "member")')
  .max(20)
  .transform((roles) => [...new Set(roles)].sort());

/**
 * A Companies House registration number: 8 characters, either 8 digits (England and Wales, with
 * leading zeros) or a 2-letter prefix and 6 digits (SC Scotland, NI Northern Ireland, OC LLPs, …).
 */
export const CompanyNumber = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase().replace(/\s+/g, ''))
  .pipe(
    z
      .string()
      .regex(/^(\d{8}|[A-Z]{2}\d{6})$/, 'must be 8 characters: 8 digits (e.g. 01234567), or 2 letters and 6 digits (e.g. SC123456)'),
  );

/** A charity number of the Charity Commission for England and Wales: 6 to 8 digits, with `-N` for a linked charity. */
export const CharityNumber = z
  .string()
  .trim()
  .regex(/^\d{6,8}(-\d{1,2})?$/, 'must be 6 to 8 digits, optionally followed by a hyphen and a number (e.g. 1123456 or 1123456-1)');

const Text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const OrganisationRegistration = z.strictObject({
  kind: OrganisationKind,
  legalName: Text(160),
  companyNumber: CompanyNumber.nullable().default(null),
  charityNumber: CharityNumber.nullable().default(null),
  address: Text(400),
});
export type OrganisationRegistration = z.input<typeof OrganisationRegistration>;

export const OrganisationStatusChange = z.strictObject({ status: OrganisationStatus });

export const OrganisationSummary = z.object({
  id: z.string(),
  kind: OrganisationKind,
  legalName: z.string(),
  companyNumber: z.string().nullable(),
  charityNumber: z.string().nullable(),
  address: z.string(),
  status: OrganisationStatus,
  currentMembers: z.number().int(),
  registeredIndex: z.string(),
  createdAt: z.iso.datetime(),
});
export type OrganisationSummary = z.infer<typeof OrganisationSummary>;
export const OrganisationList = z.object({ organisations: z.array(OrganisationSummary) });
export type OrganisationList = z.infer<typeof OrganisationList>;

export const OrganisationInvitationRequest = z.strictObject({
  /** How the organisation knows the person; shown to them on the invitation page and to whoever checks their membership code. */
  displayName: Text(120),
  roles: Roles.default([MEMBER_ROLE]),
});
/** A council administrator's invitation of an organisation's (first) administrator. */
export const OrganisationAdministratorInvitationRequest = z.strictObject({ displayName: Text(120) });
export const OrganisationInvitationCreated = z.object({ invitationId: z.string(), url: z.string(), expiresAt: z.iso.datetime() });
export type OrganisationInvitationCreated = z.infer<typeof OrganisationInvitationCreated>;
export const OrganisationInvitationSummary = z.object({
  organisation: z.object({ id: z.string(), kind: OrganisationKind, legalName: z.string() }),
  displayName: z.string(),
  roles: z.array(z.string()),
  expiresAt: z.iso.datetime(),
});
export type OrganisationInvitationSummary = z.infer<typeof OrganisationInvitationSummary>;

export const OrganisationMemberSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  /** A resident of this council, or a person who joined by the organisation's invitation. */
  accountKind: z.enum(['resident', 'person']),
  roles: z.array(z.string()),
  grantedAt: z.iso.datetime(),
  grantedIndex: z.string(),
});
export type OrganisationMemberSummary = z.infer<typeof OrganisationMemberSummary>;
export const OrganisationMemberList = z.object({ members: z.array(OrganisationMemberSummary) });
export type OrganisationMemberList = z.infer<typeof OrganisationMemberList>;
export const MemberRolesChange = z.strictObject({ roles: Roles });

/** A member's signing passkey for one organisation, as its MemberPasskeyBound entry has it. */
export const SigningPasskeySummary = z.object({
  credentialIdHash: z.string(),
  /** The registry-log index of its MemberPasskeyBound entry. */
  boundIndex: z.string(),
  boundAt: z.iso.datetime(),
});
export type SigningPasskeySummary = z.infer<typeof SigningPasskeySummary>;

export const MyOrganisation = z.object({
  organisation: z.object({ id: z.string(), kind: OrganisationKind, legalName: z.string(), status: OrganisationStatus }),
  memberId: z.string(),
  roles: z.array(z.string()),
  grantedIndex: z.string(),
  /** The member's signing passkeys for this organisation, each with its MemberPasskeyBound entry (on the account's own list only). */
  signingPasskeys: z.array(SigningPasskeySummary).optional(),
});
export type MyOrganisation = z.infer<typeof MyOrganisation>;
export const MyOrganisationList = z.object({ organisations: z.array(MyOrganisation) });
export type MyOrganisationList = z.infer<typeof MyOrganisationList>;

/** A short-lived code a member shows (e.g. at a resident's door) for the public page to confirm. */
export const MembershipCodeText = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase().replace(/[\s-]+/g, ''))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, 'must be the 10-character code the member shows (letters and digits)'));
export const MembershipCode = z.object({ code: z.string(), expiresAt: z.iso.datetime() });
export type MembershipCode = z.infer<typeof MembershipCode>;
export const MembershipCheckRequest = z.strictObject({ code: MembershipCodeText });
export const MembershipCheckResult = z.object({
  isCurrentMember: z.literal(true),
  organisation: z.object({ id: z.string(), legalName: z.string(), kind: OrganisationKind }),
  /** The name the organisation knows the member by, for the resident to compare with the person in front of them. */
  displayName: z.string(),
  roles: z.array(z.string()),
  codeExpiresAt: z.iso.datetime(),
});
export type MembershipCheckResult = z.infer<typeof MembershipCheckResult>;

export const OrganisationPublicPage = z.object({
  id: z.string(),
  kind: OrganisationKind,
  legalName: z.string(),
  companyNumber: z.string().nullable(),
  charityNumber: z.string().nullable(),
  status: OrganisationStatus,
  currentMembers: z.number().int(),
  /**
   * Registration and every change of status, oldest first, each with its registry-log index
   * (its receipt: /api/ledger/registry/receipt/:index).
   */
  history: z.array(
    z.object({
      type: z.enum(['OrganisationRegistered', 'OrganisationStatusChanged']),
      status: OrganisationStatus,
      at: z.iso.datetime(),
      ledgerIndex: z.string(),
    }),
  ),
});
export type OrganisationPublicPage = z.infer<typeof OrganisationPublicPage>;

// ---- appointments (acting for someone)

/** What an appointment lets the representative do. Other slices ask `resolveActingFor` for one of these. */
export const APPOINTMENT_PURPOSES = {
  'manage-council-services': 'Manage my council services (for example council tax, bins, parking permits)',
  'receive-correspondence': 'Receive my letters and messages from the council',
  'report-repairs': 'Report and follow repairs to my home',
  'speak-to-the-council': 'Speak to the council about my affairs',
} as const;
export const AppointmentPurpose = z.enum(
  Object.keys(APPOINTMENT_PURPOSES) as [keyof typeof APPOINTMENT_PURPOSES, ...(keyof typeof APPOINTMENT_PURPOSES)[]],
);
export type AppointmentPurpose = z.infer<typeof AppointmentPurpose>;
const Purposes = z
  .array(AppointmentPurpose)
  .min(1, 'name at least one purpose')
  .transform((purposes) => [...new Set(purposes)].sort());
/** The last day the appointment may be used (UTC). */
export const AppointmentEndDate = z.iso.date('must be a date, YYYY-MM-DD');

/** A one-time code the representative makes in their account and gives to the person appointing them. */
export const AppointmentCodeText = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase().replace(/[\s-]+/g, ''))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{12}$/, 'must be the 12-character code your representative gave you (letters and digits)'));
export const AppointmentCode = z.object({ code: z.string(), expiresAt: z.iso.datetime() });
export type AppointmentCode = z.infer<typeof AppointmentCode>;

export const AppointmentRequest = z.strictObject({
  representativeCode: AppointmentCodeText,
  purposes: Purposes,
  endsOn: AppointmentEndDate,
});
export type AppointmentRequest = z.input<typeof AppointmentRequest>;

/** A lasting power of attorney recorded by staff: donor and attorney by elector number; the document's reference, not the document. */
export const PowerOfAttorneyRecord = z.strictObject({
  donorElectorNumber: z.string().trim().min(1).max(40),
  attorneyElectorNumber: z.string().trim().min(1).max(40),
  documentReference: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase())
    .pipe(
      z
        .string()
        .regex(
          /^[A-Z0-9][A-Z0-9-]{3,39}$/,
          'must be the reference printed on the registered power of attorney (4–40 letters, digits, hyphens)',
        ),
    ),
  purposes: Purposes,
  endsOn: AppointmentEndDate,
});
export type PowerOfAttorneyRecord = z.input<typeof PowerOfAttorneyRecord>;

export const AppointmentBasis = z.enum(['resident', 'lasting-power-of-attorney']);
export const AppointmentState = z.enum(['waiting-for-acceptance', 'active', 'ended', 'expired']);
export type AppointmentState = z.infer<typeof AppointmentState>;
export const AppointmentSummary = z.object({
  id: z.string(),
  /** Whose side the caller is on. */
  role: z.enum(['appointer', 'representative', 'recorder']),
  /** The other party's given name (what each already knows of the other). */
  otherParty: z.string(),
  purposes: z.array(AppointmentPurpose),
  endsOn: z.string(),
  basis: AppointmentBasis,
  state: AppointmentState,
  madeAt: z.iso.datetime(),
  ledger: z.object({ made: z.string(), accepted: z.string().nullable(), ended: z.string().nullable() }),
  /** Who acted under it and when (the appointer's view; empty for the representative's). */
  uses: z.array(z.object({ at: z.iso.datetime(), purpose: AppointmentPurpose, action: z.string() })),
});
export type AppointmentSummary = z.infer<typeof AppointmentSummary>;
export const AppointmentList = z.object({ appointments: z.array(AppointmentSummary) });
export type AppointmentList = z.infer<typeof AppointmentList>;

// ---- registry-log entry bodies (docs/protocol/ledger.md §2.1, docs/organisations.md §4). People appear
// only as keyed pseudonyms (64 hex digits), each for one purpose, so entries cannot be joined across
// organisations or appointments, nor to a voter's enrolment.

const pseudonym = z.string().regex(/^[0-9a-f]{64}$/);
const at = z.iso.datetime();

export const OrganisationRegisteredBody = z.strictObject({
  organisationId: z.string(),
  kind: OrganisationKind,
  legalName: z.string(),
  companyNumber: z.string().nullable(),
  charityNumber: z.string().nullable(),
  at,
});
export const OrganisationStatusChangedBody = z.strictObject({ organisationId: z.string(), status: OrganisationStatus, at });
/** Also appended when a member's roles change: the latest MembershipGranted of a pseudonym holds its roles. */
export const MembershipGrantedBody = z.strictObject({
  organisationId: z.string(),
  member: pseudonym,
  roles: z.array(OrganisationRole),
  at,
});
export const MembershipRevokedBody = z.strictObject({ organisationId: z.string(), member: pseudonym, at });
/**
 * A member's passkey, bound to their membership pseudonym before its first signature for the
 * organisation (a contract approval, contracts.md §11.1): the SHA-256 of its credential id and its
 * COSE public key (base64url), as an Enrolled entry has them for a resident.
 */
export const MemberPasskeyBoundBody = z.strictObject({
  organisationId: z.string(),
  member: pseudonym,
  credentialIdHash: pseudonym,
  publicKey: z.string().regex(/^[A-Za-z0-9_-]+$/),
  at,
});
export type MemberPasskeyBoundBody = z.infer<typeof MemberPasskeyBoundBody>;

export const AppointmentMadeBody = z.strictObject({
  appointmentId: z.string(),
  appointer: pseudonym,
  representative: pseudonym,
  purposes: z.array(AppointmentPurpose),
  endsOn: AppointmentEndDate,
  basis: AppointmentBasis,
  at,
});
export const AppointmentAcceptedBody = z.strictObject({ appointmentId: z.string(), representative: pseudonym, at });
export const AppointmentEndedBody = z.strictObject({ appointmentId: z.string(), endedBy: z.enum(['appointer', 'representative']), at });
export type OrganisationRegisteredBody = z.infer<typeof OrganisationRegisteredBody>;
export type MembershipGrantedBody = z.infer<typeof MembershipGrantedBody>;
export type AppointmentMadeBody = z.infer<typeof AppointmentMadeBody>;
