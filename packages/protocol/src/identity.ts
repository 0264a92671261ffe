import { z } from 'zod';

/**
 * Identity: the electoral roll, poll cards, passkey-bound residents and staff (docs/decisions/0004-identity.md).
 *
 * Routes (all under /api). Access: public | resident | staff(roles) | trustee. Every state-changing
 * request (POST/PUT/PATCH/DELETE) must carry `X-CSRF-Token: <csrfToken from GET /api/session>` and an
 * `Origin` header equal to the configured public origin, else 403 CSRF_REJECTED. The token is bound
 * to the session cookie (`townhall_session`, HttpOnly, Secure, SameSite=Strict), which exists from the
 * first GET /api/session on, before anyone signs in. Signing in (enrolment/finish, sign-in/finish,
 * invitations/:token/finish) replaces the cookie: use the `csrfToken` in that response from then on.
 * Anonymous callers of a resident/staff route get 401 UNAUTHENTICATED; a signed-in caller without
 * the role gets 403 FORBIDDEN (404 NOT_FOUND where the existence of the resource is itself information).
 *
 * method path                                         access           body → response                             errors (besides VALIDATION_FAILED, CSRF_REJECTED)
 * GET    /session                                     public           – → SessionResponse                          –
 * POST   /enrolment/start                             public           EnrolmentStartRequest → RegistrationOptionsResponse   ACTIVATION_CODE_INVALID, ACCOUNT_LOCKED, RATE_LIMITED
 * POST   /enrolment/finish                            public           RegistrationFinishRequest → SessionResponse  CHALLENGE_EXPIRED, PASSKEY_VERIFICATION_FAILED, ACTIVATION_CODE_INVALID (code used meanwhile)
 * POST   /sign-in/start                               public           {} → AuthenticationOptionsResponse           –
 * POST   /sign-in/finish                              public           AuthenticationFinishRequest → SessionResponse CHALLENGE_EXPIRED, PASSKEY_VERIFICATION_FAILED, PASSKEY_REVOKED, PASSKEY_COUNTER_REGRESSION
 * POST   /sign-out                                    public           {} → 204                                     –
 * POST   /passkeys/start                              resident         {} → RegistrationOptionsResponse             UNAUTHENTICATED
 * POST   /passkeys/finish                             resident         RegistrationFinishRequest → PasskeySummary   CHALLENGE_EXPIRED, PASSKEY_VERIFICATION_FAILED
 * GET    /account                                     resident         – → AccountResponse                          UNAUTHENTICATED
 * POST   /roll/imports                                staff(officer,admin)  text/csv body (RollCsvColumns header) → RollImportPreview (201)   ROLL_INVALID (422, `issues` path "<line>.<column>"), PAYLOAD_TOO_LARGE
 * GET    /roll/imports/:id                            staff(officer,admin)  – → RollImportPreview                  NOT_FOUND
 * POST   /roll/imports/:id/apply                      staff(officer,admin)  {} → RollImportApplied                 NOT_FOUND, CONFLICT (applied already / roll changed since the preview)
 * GET    /roll/electors?district=&q=&page=            staff(officer,admin)  – → ElectorListResponse                –
 * GET    /roll/poll-cards/:district                   staff(officer,admin)  – → PollCardsPreview (how many letters, how many earlier codes would stop working)   NOT_FOUND (district)
 * POST   /roll/poll-cards                             staff(officer,admin)  PollCardsRequest → application/pdf (200; one letter per elector of the district not yet enrolled; issues NEW codes, earlier unused codes stop working: a POST, so CSRF-checked)   NOT_FOUND (district)
 * POST   /roll/electors/:electorNumber/reissue-card   staff(officer,admin)  {} → application/pdf (that elector's letter; old code invalid; passkeys revoked)   NOT_FOUND
 * POST   /staff/invitations                           staff(admin)     StaffInvitationRequest → StaffInvitationCreated (201)   –
 * GET    /staff/invitations/:token                    public           – → StaffInvitationSummary                   NOT_FOUND (unknown, used or expired: all alike)
 * POST   /staff/invitations/:token/start              public           {} → RegistrationOptionsResponse             NOT_FOUND
 * POST   /staff/invitations/:token/finish             public           RegistrationFinishRequest → SessionResponse  NOT_FOUND, CHALLENGE_EXPIRED, PASSKEY_VERIFICATION_FAILED
 * GET    /staff/elections/:electionId/trustees        staff(officer,admin)  – → StaffListResponse (that election's trustees, in joining order)   NOT_FOUND
 * POST   /staff/elections/:electionId/trustees/invitations  staff(officer,admin)  TrusteeInvitationRequest → StaffInvitationCreated (201)   NOT_FOUND, ELECTION_WRONG_PHASE (ceremony started)
 * GET    /staff                                       staff(admin)     – → StaffListResponse                        –
 * GET    /staff/actions?page=                         staff(admin)     – → StaffActionsResponse                     –
 *
 * The first admin: `npm run admin:invite` prints `<public URL>/official/invite/<token>`; the official
 * app's page at that path calls the three /staff/invitations/:token routes.
 * A poll card's QR code and link point to `<public URL>/enrol?code=<activation code>`.
 */

/** A URL-safe base64 string without padding (WebAuthn's JSON encoding of bytes). */
const Base64Url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding').max(16_384);

export const StaffRoleName = z.enum(['admin', 'officer', 'trustee']);
export type StaffRoleName = z.infer<typeof StaffRoleName>;

/** A role held by a staff member; trustees hold it for one election (`electionId`), others for none. */
export const StaffRole = z.object({
  role: StaffRoleName,
  electionId: z.string().nullable(),
});
export type StaffRole = z.infer<typeof StaffRole>;

export const Principal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  z.object({
    kind: z.literal('resident'),
    /** The elector's keyed pseudonym (hex HMAC-SHA256 of the elector number): how the ledger names them. */
    pseudonym: z.string(),
    districtCode: z.string(),
    givenName: z.string(),
  }),
  z.object({
    kind: z.literal('staff'),
    staffId: z.string(),
    displayName: z.string(),
    roles: z.array(StaffRole),
  }),
  /** Someone who joined an organisation by its invitation and is not a resident here (docs/organisations.md). */
  z.object({ kind: z.literal('person'), displayName: z.string() }),
]);
export type Principal = z.infer<typeof Principal>;

export const SessionResponse = z.object({
  principal: Principal,
  /** Send as `X-CSRF-Token` on every state-changing request made with this session cookie. */
  csrfToken: z.string(),
  /** When the signed-in session ends (null when anonymous). */
  expiresAt: z.iso.datetime().nullable(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

// ---- WebAuthn wire shapes (W3C WebAuthn L3 JSON encodings, as produced by `PublicKeyCredential.toJSON()`
// or @simplewebauthn/browser). Options are passed through to the browser as they are.

export const PublicKeyCredentialCreationOptionsJSON = z.looseObject({
  rp: z.looseObject({ name: z.string(), id: z.string().optional() }),
  user: z.looseObject({ id: Base64Url, name: z.string(), displayName: z.string() }),
  challenge: Base64Url,
  pubKeyCredParams: z.array(z.looseObject({ type: z.literal('public-key'), alg: z.number() })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(z.looseObject({ id: Base64Url, type: z.literal('public-key'), transports: z.array(z.string()).optional() })).optional(),
  authenticatorSelection: z.looseObject({ residentKey: z.string().optional(), userVerification: z.string().optional(), requireResidentKey: z.boolean().optional() }).optional(),
  attestation: z.string().optional(),
});
export type PublicKeyCredentialCreationOptionsJSON = z.infer<typeof PublicKeyCredentialCreationOptionsJSON>;

export const PublicKeyCredentialRequestOptionsJSON = z.looseObject({
  challenge: Base64Url,
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(z.looseObject({ id: Base64Url, type: z.literal('public-key') })).optional(),
  userVerification: z.string().optional(),
});
export type PublicKeyCredentialRequestOptionsJSON = z.infer<typeof PublicKeyCredentialRequestOptionsJSON>;

export const RegistrationResponseJSON = z.object({
  id: Base64Url,
  rawId: Base64Url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: Base64Url,
    attestationObject: Base64Url,
    authenticatorData: Base64Url.optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: Base64Url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type RegistrationResponseJSON = z.infer<typeof RegistrationResponseJSON>;

export const AuthenticationResponseJSON = z.object({
  id: Base64Url,
  rawId: Base64Url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: Base64Url,
    authenticatorData: Base64Url,
    signature: Base64Url,
    userHandle: Base64Url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type AuthenticationResponseJSON = z.infer<typeof AuthenticationResponseJSON>;

export const RegistrationOptionsResponse = z.object({ options: PublicKeyCredentialCreationOptionsJSON });
export type RegistrationOptionsResponse = z.infer<typeof RegistrationOptionsResponse>;

export const AuthenticationOptionsResponse = z.object({ options: PublicKeyCredentialRequestOptionsJSON });
export type AuthenticationOptionsResponse = z.infer<typeof AuthenticationOptionsResponse>;

export const RegistrationFinishRequest = z.object({ response: RegistrationResponseJSON });
export type RegistrationFinishRequest = z.infer<typeof RegistrationFinishRequest>;

export const AuthenticationFinishRequest = z.object({ response: AuthenticationResponseJSON });
export type AuthenticationFinishRequest = z.infer<typeof AuthenticationFinishRequest>;

/**
 * Adding a passkey needs a fresh, user-verified assertion by one of the resident's own active
 * passkeys, over a challenge from `POST /sign-in/start` (a session alone is not enough: it may be
 * a cloned passkey's).
 */
export const AddPasskeyStartRequest = z.strictObject({ assertion: AuthenticationResponseJSON });
export type AddPasskeyStartRequest = z.infer<typeof AddPasskeyStartRequest>;

// ---- Enrolment

/**
 * The code printed on a poll card: 16 Crockford base32 symbols shown as XXXX-XXXX-XXXX-XXXX. Input is
 * forgiving: case, spaces and hyphens are ignored, and I/L read as 1, O as 0 (Crockford's rule).
 */
export const ActivationCode = z
  .string()
  .max(64)
  .transform((raw) => raw.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0'))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{16}$/, 'must be the 16-character code on your poll card'));

/** A UK postcode, any case and spacing ("sw1a1aa", "SW1A 1AA"); normalised to upper case with one space. */
export const UkPostcode = z
  .string()
  .max(16)
  .transform((raw) => raw.toUpperCase().replace(/\s+/g, ''))
  .pipe(z.string().regex(/^(GIR0AA|[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2})$/, 'must be a UK postcode, like SW1A 1AA'))
  .transform((compact) => `${compact.slice(0, -3)} ${compact.slice(-3)}`);

export const EnrolmentStartRequest = z.union([
  z.strictObject({ activationCode: ActivationCode, postcode: UkPostcode }),
  z.strictObject({ activationCode: ActivationCode, dateOfBirth: z.iso.date() }),
]);
export type EnrolmentStartRequest = z.input<typeof EnrolmentStartRequest>;

// ---- Account

export const PasskeyStatus = z.enum(['active', 'revoked', 'suspended']);
export const PasskeySummary = z.object({
  id: z.string(),
  /** Hex SHA-256 of the credential id: what the ledger's Enrolled entry names. */
  credentialIdHash: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  /** `suspended`: a signature-counter regression was seen (a possible clone); sign-in with it is refused. */
  status: PasskeyStatus,
  revokedAt: z.iso.datetime().nullable(),
  /** When it was suspended; every session of the resident was ended then. */
  suspendedAt: z.iso.datetime().nullable(),
});
export type PasskeySummary = z.infer<typeof PasskeySummary>;

/** One registry-ledger entry about the resident's pseudonym, with the proof that it is in the log. */
export const Attestation = z.object({
  logId: z.string(),
  type: z.enum(['RollCommitted', 'Enrolled', 'PasskeyRevoked', 'ServiceRegistered', 'ConsentGiven', 'ConsentWithdrawn', 'ClaimsReleased']),
  /** Decimal entry index in the log. */
  index: z.string(),
  /** The entry's canonical body (no personal data). */
  body: z.record(z.string(), z.unknown()),
  /** Base64 of the exact entry bytes; SHA-256(0x00 ‖ bytes) is the leaf hash. */
  entry: z.string(),
  leafHash: z.string(),
  /** RFC 9162 inclusion proof against the tree of `treeSize` leaves with root `rootHash` (hex). */
  inclusionProof: z.object({ treeSize: z.string(), rootHash: z.string(), hashes: z.array(z.string()) }).nullable(),
  /** The latest signed checkpoint (C2SP signed note text) the proof is against, when there is one. */
  checkpoint: z.string().nullable(),
});
export type Attestation = z.infer<typeof Attestation>;

export const AccountResponse = z.object({
  pseudonym: z.string(),
  districtCode: z.string(),
  givenName: z.string(),
  passkeys: z.array(PasskeySummary),
  attestations: z.array(Attestation),
});
export type AccountResponse = z.infer<typeof AccountResponse>;

// ---- Roll

/** The CSV header a roll file must have, in any order; no other columns. */
export const ROLL_CSV_COLUMNS = ['elector_number', 'given_name', 'family_name', 'address', 'postcode', 'date_of_birth', 'district'] as const;
export type RollCsvColumn = (typeof ROLL_CSV_COLUMNS)[number];

export const RollElectorChange = z.object({
  electorNumber: z.string(),
  name: z.string(),
  fromDistrict: z.string().nullable(),
  toDistrict: z.string().nullable(),
});
export type RollElectorChange = z.infer<typeof RollElectorChange>;

export const RollImportPreview = z.object({
  importId: z.string(),
  status: z.enum(['pending', 'applied', 'superseded']),
  createdAt: z.iso.datetime(),
  rowCount: z.number().int().nonnegative(),
  counts: z.object({
    additions: z.number().int().nonnegative(),
    removals: z.number().int().nonnegative(),
    /** Same elector number, new district. */
    moves: z.number().int().nonnegative(),
    /** Same elector number and district, other details changed (name, address, postcode, date of birth). */
    updates: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
  }),
  /** Up to 100 of each kind, by elector number. */
  samples: z.object({
    additions: z.array(RollElectorChange),
    removals: z.array(RollElectorChange),
    moves: z.array(RollElectorChange),
    updates: z.array(RollElectorChange),
  }),
});
export type RollImportPreview = z.infer<typeof RollImportPreview>;

export const RollImportApplied = z.object({
  importId: z.string(),
  electorCount: z.number().int().nonnegative(),
  districts: z.array(z.object({ code: z.string(), electorCount: z.number().int().nonnegative() })),
  /** Hex RFC 9162 root over the sorted elector pseudonyms, as in the RollCommitted entry. */
  pseudonymRoot: z.string(),
  /** Index of the RollCommitted entry in the registry log (decimal). */
  ledgerIndex: z.string(),
  passkeysRevoked: z.number().int().nonnegative(),
});
export type RollImportApplied = z.infer<typeof RollImportApplied>;

export const ElectorListQuery = z.object({
  district: z.string().max(32).optional(),
  /** Elector number prefix or family name prefix (case-insensitive). */
  q: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export const ElectorListItem = z.object({
  electorNumber: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  postcode: z.string(),
  districtCode: z.string(),
  cardIssuedAt: z.iso.datetime().nullable(),
  enrolled: z.boolean(),
  activePasskeys: z.number().int().nonnegative(),
});
export type ElectorListItem = z.infer<typeof ElectorListItem>;
export const ElectorListResponse = z.object({
  electors: z.array(ElectorListItem),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int().nonnegative(),
});
export type ElectorListResponse = z.infer<typeof ElectorListResponse>;

/**
 * GET /roll/poll-cards/:district: what issuing the ward's letters would do, said before it is done:
 * `letters` new codes, one per elector without an account; `codesInvalidated` of their codes from
 * letters issued before (not yet used) stop working.
 */
export const PollCardsPreview = z.object({
  district: z.string(),
  letters: z.number().int().nonnegative(),
  codesInvalidated: z.number().int().nonnegative(),
});
export type PollCardsPreview = z.infer<typeof PollCardsPreview>;

/** POST /roll/poll-cards: the district (ward) code whose letters to issue, e.g. `{ "district": "CAS" }`. */
export const PollCardsRequest = z.strictObject({ district: z.string().trim().min(1).max(32) });
export type PollCardsRequest = z.infer<typeof PollCardsRequest>;

// ---- Staff

export const StaffInvitationRequest = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('admin'), displayName: z.string().trim().min(1).max(100) }),
  z.strictObject({ role: z.literal('officer'), displayName: z.string().trim().min(1).max(100) }),
  z.strictObject({ role: z.literal('trustee'), displayName: z.string().trim().min(1).max(100), electionId: z.string().min(1).max(100) }),
]);
export type StaffInvitationRequest = z.input<typeof StaffInvitationRequest>;

/** An officer's trustee invitation names only the trustee: the role and the election come from the route. */
export const TrusteeInvitationRequest = z.strictObject({ displayName: z.string().trim().min(1).max(100) });
export type TrusteeInvitationRequest = z.input<typeof TrusteeInvitationRequest>;

export const StaffInvitationCreated = z.object({
  invitationId: z.string(),
  /** `<public URL>/official/invite/<token>`: shown once, never stored in clear. */
  url: z.url(),
  expiresAt: z.iso.datetime(),
});
export type StaffInvitationCreated = z.infer<typeof StaffInvitationCreated>;

export const StaffInvitationSummary = z.object({
  role: StaffRoleName,
  electionId: z.string().nullable(),
  displayName: z.string(),
  expiresAt: z.iso.datetime(),
});
export type StaffInvitationSummary = z.infer<typeof StaffInvitationSummary>;

export const StaffMemberSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  roles: z.array(StaffRole),
  createdAt: z.iso.datetime(),
  activePasskeys: z.number().int().nonnegative(),
});
export const StaffListResponse = z.object({ staff: z.array(StaffMemberSummary) });
export type StaffListResponse = z.infer<typeof StaffListResponse>;

/**
 * The staff audit trail's one vocabulary: every action a staff or trustee route (or a server
 * command) records, with the words the officials' app shows for it. A route names its action with
 * `@Audit(...)`, typed by this table; a test holds every staff route to having one.
 */
export const STAFF_ACTION_LABELS = {
  'election.create': 'Created an election',
  'election.edit': 'Changed a draft election',
  'election.start-ceremony': 'Started the key ceremony',
  'election.open': 'Opened an election',
  'election.close': 'Closed an election',
  'election.tally': 'Started the tally',
  'election.list': 'Listed the elections',
  'election.dashboard': 'Looked at an election’s live figures',
  'trustee.commitment': 'Published a trustee commitment',
  'trustee.shares': 'Sent key shares to the other trustees',
  'trustee.verdict': 'Accepted or complained about the key shares',
  'trustee.partial-decryption': 'Decrypted a share of the result',
  'roll.import': 'Uploaded a roll file',
  'roll.import-preview': 'Looked at a roll import',
  'roll.apply': 'Applied a roll import',
  'roll.list-electors': 'Searched the electors',
  'roll.poll-cards-preview': 'Checked what issuing poll cards would do',
  'roll.poll-cards': 'Issued a ward’s poll cards',
  'roll.reissue-card': 'Re-issued a poll card',
  'staff.actions': 'Read the staff actions',
  'staff.list': 'Listed the staff',
  'staff.list-trustees': 'Listed an election’s trustees',
  'staff.invite': 'Invited a member of staff',
  'staff.invite-trustee': 'Invited a trustee',
  'staff.bootstrap-invite': 'Made an invitation link on the server (admin:invite, or the demo trustees’ links)',
  'staff.join': 'Joined with an invitation',
  'staff.sign-in': 'Signed in',
  'staff.passkey-suspended': 'A passkey was suspended (it may have been copied)',
  'services.list': 'Listed the services that use Townhall ID',
  'services.register': 'Registered a service to use Townhall ID',
  'services.change-status': 'Suspended or reinstated a service’s use of Townhall ID',
  'services.delete': 'Deleted a service from Townhall ID',
  'organisations.list': 'Listed the organisations',
  'organisations.register': 'Registered an organisation',
  'organisations.change-status': 'Suspended, reinstated or closed an organisation',
  'organisations.invite-administrator': 'Invited an administrator of an organisation',
  'appointments.record-power-of-attorney': 'Recorded a lasting power of attorney as an appointment',
} as const;
export type StaffActionName = keyof typeof STAFF_ACTION_LABELS;

export const StaffAction = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  /** null for the admin:invite command run on the server. */
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  /** e.g. roll.import, roll.apply, roll.poll-cards, roll.reissue-card, staff.invite, staff.join, staff.sign-in */
  action: z.string(),
  /** What it acted on (import id, district code, elector number, invitation id). */
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type StaffAction = z.infer<typeof StaffAction>;
export const StaffActionsQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
export const StaffActionsResponse = z.object({ actions: z.array(StaffAction), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });
export type StaffActionsResponse = z.infer<typeof StaffActionsResponse>;
