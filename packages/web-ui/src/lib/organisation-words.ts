import type { OrganisationKind, OrganisationStatus } from '@townhall/protocol';

/** An organisation's kind in words, as the register and the public page name it. */
export const ORGANISATION_KIND_WORDS: Record<OrganisationKind, string> = {
  business: 'Business',
  contractor: 'Contractor',
  'housing-association': 'Housing association',
  council: 'Council',
  charity: 'Charity',
};

export const organisationKindWords = (kind: OrganisationKind) => ORGANISATION_KIND_WORDS[kind];

/** The GOV.UK tag for each status. */
export const ORGANISATION_STATUS_TAGS: Record<OrganisationStatus, { text: string; className: string }> = {
  active: { text: 'Active', className: 'govuk-tag--green' },
  suspended: { text: 'Suspended', className: 'govuk-tag--red' },
  closed: { text: 'Closed', className: 'govuk-tag--grey' },
};

/** A role as people read it: `administrator` → "Administrator", `gas-safe` → "Gas safe". */
export function roleWords(role: string): string {
  const words = role.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Administrator and member", "Gas safe, member and surveyor". */
export function rolesInWords(roles: readonly string[]): string {
  const words = roles.map((role, index) => (index === 0 ? roleWords(role) : roleWords(role).toLowerCase()));
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
