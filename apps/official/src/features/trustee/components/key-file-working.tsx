import { useEffect, useState } from 'react';

/**
 * Shown while the key-file worker runs scrypt. The seconds keep counting because the KDF runs off
 * the page's thread; only the sentence is announced (a ticking live region would be noise).
 */
export function KeyFileWorking({ children }: { children: string }) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div data-testid="key-file-working">
      <p className="govuk-body govuk-hint" role="status">
        {children} This takes a few seconds: the passphrase is deliberately slow to check, so that it is slow to guess.
      </p>
      <p className="govuk-body-s govuk-hint" aria-hidden="true">
        Working… {seconds} s
      </p>
    </div>
  );
}
