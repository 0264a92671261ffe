import { ADMINISTRATOR_ROLE, MEMBER_ROLE, ORGANISATION_ROLE_PATTERN } from '@townhall/protocol';

/** The roles as an administrator chooses them: the two every organisation has, and any others typed. */
export interface RolesAnswers {
  isAdministrator: boolean;
  isMember: boolean;
  /** Other roles, separated by commas or spaces, e.g. "gas-safe, surveyor". */
  others: string;
}

export const rolesAnswersOf = (roles: readonly string[]): RolesAnswers => ({
  isAdministrator: roles.includes(ADMINISTRATOR_ROLE),
  isMember: roles.includes(MEMBER_ROLE),
  others: roles.filter((role) => role !== ADMINISTRATOR_ROLE && role !== MEMBER_ROLE).join(', '),
});

/** The roles, or what is wrong with them (protocol: `[a-z][a-z0-9-]{0,39}`, at least one). */
export function rolesFromAnswers(answers: RolesAnswers): { ok: true; roles: string[] } | { ok: false; message: string } {
  const others = answers.others
    .split(/[\s,]+/)
    .map((role) => role.trim().toLowerCase())
    .filter(Boolean);
  const wrong = others.find((role) => !ORGANISATION_ROLE_PATTERN.test(role));
  if (wrong !== undefined) {
    return {
      ok: false,
      message: `“${wrong}” is not a role: use lower-case letters, digits and hyphens, starting with a letter, like gas-safe`,
    };
  }
  const chosen = [...(answers.isAdministrator ? [ADMINISTRATOR_ROLE] : []), ...(answers.isMember ? [MEMBER_ROLE] : [])];
  const roles = [...new Set([...chosen, ...others])];
  if (roles.length === 0) return { ok: false, message: 'Select at least one role' };
  if (roles.length > 20) return { ok: false, message: 'Give no more than 20 roles' };
  return { ok: true, roles: roles.sort() };
}
