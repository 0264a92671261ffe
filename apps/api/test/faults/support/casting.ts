/**
 * Concurrent casters that behave like careful voter apps: each voter's ballots are cast in order,
 * and a ballot without an answer (connection cut, server gone, 503) is sent again, unchanged,
 * until it is acknowledged; any other error answer stops the run. Every answer is tallied by kind so a test can assert what it saw.
 */
import { CastBallotResponse } from '@townhall/protocol';
import type { PreparedBallot } from './election.ts';

export interface Acknowledgement {
  readonly ballot: PreparedBallot;
  readonly ledgerIndex: bigint;
  readonly leafHash: string;
  /** 201 on first acceptance, 200 when the server had already recorded this exact ballot. */
  readonly status: number;
  /** Attempts before this answer that got no acknowledgement. */
  readonly unansweredAttempts: number;
  /** Date.now() when the answer arrived. */
  readonly at: number;
}

export interface ErrorAnswer {
  readonly status: number;
  readonly code: string | undefined;
  readonly body: string;
  readonly at: number;
}

export class Casting {
  readonly acknowledged = new Map<string, Acknowledgement>();
  /** Answers by kind: `201`, `200`, `503`, `500`, `network`, `timeout`, … */
  readonly answers = new Map<string, number>();
  /** Every non-2xx HTTP answer, with its body. */
  readonly errors: ErrorAnswer[] = [];
  #stopped = false;

  constructor(
    private readonly electionId: string,
    /** Where to send ballots (read on every attempt: the API may move between restarts). */
    private readonly baseUrl: () => string,
    private readonly options: { requestTimeoutMs?: number; retryDelayMs?: number; retryStatuses?: readonly number[] } = {},
  ) {}

  #count(kind: string): void {
    this.answers.set(kind, (this.answers.get(kind) ?? 0) + 1);
  }

  /** Sends one ballot once; undefined when there was no acknowledgement. */
  async castOnce(ballot: PreparedBallot): Promise<{ status: number; response?: CastBallotResponse } | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl()}/api/elections/${this.electionId}/ballots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: ballot.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
    } catch (error) {
      this.#count((error as Error).name === 'TimeoutError' ? 'timeout' : 'network');
      return undefined;
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      this.#count('network');
      return undefined;
    }
    this.#count(String(response.status));
    if (response.status === 200 || response.status === 201) return { status: response.status, response: CastBallotResponse.parse(JSON.parse(text)) };
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    this.errors.push({ status: response.status, code, body: text.slice(0, 500), at: Date.now() });
    return { status: response.status };
  }

  /** Casts every voter's ballots, voters concurrently, each voter's in order, until all are acknowledged. */
  async castAll(ballots: readonly (readonly PreparedBallot[])[]): Promise<void> {
    await Promise.all(
      ballots.map(async (mine) => {
        for (const ballot of mine) {
          let unanswered = 0;
          for (;;) {
            if (this.#stopped) return;
            const answer = await this.castOnce(ballot);
            if (answer?.response) {
              this.acknowledged.set(ballot.trackingCode, {
                ballot,
                ledgerIndex: BigInt(answer.response.ledgerIndex),
                leafHash: answer.response.leafHash,
                status: answer.status,
                unansweredAttempts: unanswered,
                at: Date.now(),
              });
              break;
            }
            // Only "not now" is retried (no answer, 503, or what the test also tolerates); anything else would repeat forever.
            if (answer && !(this.options.retryStatuses ?? [503]).includes(answer.status)) throw new Error(`ballot ${ballot.trackingCode} answered ${answer.status}: ${this.errors.at(-1)?.body}`);
            unanswered++;
            await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 100));
          }
        }
      }),
    );
  }

  stop(): void {
    this.#stopped = true;
  }

  summary(): Record<string, number> {
    return Object.fromEntries([...this.answers].sort());
  }
}
