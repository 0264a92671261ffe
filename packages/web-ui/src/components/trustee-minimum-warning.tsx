import { WarningText } from './form-fields.tsx';

/**
 * An election whose deployment waived the trustee minimum (its manifest says `minimumWaived`):
 * every page that shows it says so, as the record and the verifiers do (elections.md §2).
 */
export function TrusteeMinimumWarning({ ceremony }: { ceremony: { threshold: number; trustees: number; minimumWaived?: true } | undefined }) {
  if (!ceremony?.minimumWaived) return null;
  const { threshold, trustees } = ceremony;
  return (
    <div data-testid="trustee-minimum-waived">
      <WarningText>
        Demonstration only: {threshold === 1 ? 'one trustee alone' : `${threshold} of ${trustees} trustees`} can decrypt this election’s ballots. A real
        election needs at least 3 trustees, any 2 of whom are needed, so that no one person can read how anyone voted.
      </WarningText>
    </div>
  );
}
