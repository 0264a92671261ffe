import { SetMetadata } from '@nestjs/common';

/**
 * Access rules are declared on every route and enforced by one guard (identity work extends the
 * roles). A route without a declaration is refused, so a new route cannot be forgotten.
 */
export const ACCESS_KEY = 'townhall:access';
export type Access = { kind: 'public' };
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);
