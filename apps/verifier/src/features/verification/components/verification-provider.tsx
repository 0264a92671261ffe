import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { startVerifierWorker } from '../lib/load-worker.ts';
import { VerificationSession, type SessionState, type WorkerLike } from '../lib/verification-session.ts';
import type { RecordSource } from '../lib/worker-protocol.ts';

interface VerificationContextValue {
  session: VerificationSession | null;
  start: (source: RecordSource) => Promise<void>;
  clear: () => void;
}

const VerificationContext = createContext<VerificationContextValue | null>(null);

/** Holds the one record being verified, so the results and the ballot check share it across pages. */
export function VerificationProvider({ children, startWorker = startVerifierWorker }: { children: ReactNode; startWorker?: () => Promise<WorkerLike> }) {
  const [session, setSession] = useState<VerificationSession | null>(null);
  const start = useCallback(
    async (source: RecordSource) => {
      const worker = await startWorker();
      setSession(new VerificationSession(source, worker));
    },
    [startWorker],
  );
  const clear = useCallback(() => setSession(null), []);
  // A replaced or cleared session's worker is terminated (and with it any verification still running).
  useEffect(() => () => session?.dispose(), [session]);
  return <VerificationContext value={{ session, start, clear }}>{children}</VerificationContext>;
}

export function useVerification(): VerificationContextValue {
  const value = useContext(VerificationContext);
  if (!value) throw new Error('useVerification needs a VerificationProvider');
  return value;
}

const noSession = () => () => {};
const nothing = () => null;

/** The current session's state, re-rendering on every worker message. */
export function useSessionState(session: VerificationSession | null): SessionState | null {
  return useSyncExternalStore(session?.subscribe ?? noSession, session?.getState ?? nothing);
}
