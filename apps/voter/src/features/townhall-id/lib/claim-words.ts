import { TOWNHALL_ID_CLAIMS, type TownhallIdClaim } from '@townhall/protocol';

function isKnownClaim(claim: string): claim is TownhallIdClaim {
  return Object.hasOwn(TOWNHALL_ID_CLAIMS, claim);
}

/** A claim in plain words ("Your postcode"); one this app does not know yet is shown by its name. */
export function claimWords(claim: string): string {
  return isKnownClaim(claim) ? TOWNHALL_ID_CLAIMS[claim].words : claim;
}

/** Claims as a sentence's list, lower-cased after the first: "your name and your postcode". */
export function claimsInWords(claims: readonly string[]): string {
  const words = claims.map((claim) => {
    const text = claimWords(claim);
    return text.charAt(0).toLowerCase() + text.slice(1);
  });
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
