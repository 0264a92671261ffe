/** An organisation's public page in this app (no sign-in). */
export const publicPagePath = (organisationId: string) => `/organisations/${encodeURIComponent(organisationId)}`;
