import type { CDPSession } from 'playwright-core';

/**
 * Samples the JS heap of a page and of every worker it starts, nested ones included (the verifier
 * worker's proof pool), through the DevTools protocol: the page session auto-attaches to its
 * workers, and each worker session to its own, with messages wrapped in Target.sendMessageToTarget
 * (Playwright's CDPSession has no flat child sessions).
 */
export class HeapSampler {
  readonly #root: CDPSession;
  /** Each attached worker, by the chain of session ids that reaches it. */
  readonly #workers = new Map<string, string[]>();
  readonly #pending = new Map<string, (result: unknown) => void>();
  #nextId = 1;
  peakBytes = 0;
  peakWorkers = 0;

  private constructor(root: CDPSession) {
    this.#root = root;
  }

  static async attach(root: CDPSession): Promise<HeapSampler> {
    const sampler = new HeapSampler(root);
    root.on('Target.attachedToTarget', (event) => void sampler.#attached([], event));
    root.on('Target.receivedMessageFromTarget', (event) => sampler.#received([event.sessionId], event.message));
    await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return sampler;
  }

  async #attached(parent: string[], event: { sessionId: string; targetInfo: { type: string } }): Promise<void> {
    const path = [...parent, event.sessionId];
    if (event.targetInfo.type !== 'worker') return;
    this.#workers.set(path.join('/'), path);
    await this.#send(path, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false }).catch(() => {});
  }

  #received(path: string[], text: string): void {
    const message = JSON.parse(text) as { id?: number; method?: string; params?: { sessionId: string; message: string; targetInfo: { type: string } }; result?: unknown; error?: unknown };
    if (message.method === 'Target.receivedMessageFromTarget') return this.#received([...path, message.params!.sessionId], message.params!.message);
    if (message.method === 'Target.attachedToTarget') return void this.#attached(path, message.params as never);
    if (message.method === 'Target.detachedFromTarget') return void this.#workers.delete([...path, message.params!.sessionId].join('/'));
    if (message.id !== undefined) {
      const key = `${path.join('/')}#${message.id}`;
      this.#pending.get(key)?.(message.error ? null : message.result);
      this.#pending.delete(key);
    }
  }

  /** Sends a command to the target at the end of `path`, wrapping it once per level. */
  #send(path: string[], method: string, params: object): Promise<unknown> {
    const id = this.#nextId++;
    const result = new Promise<unknown>((resolve) => this.#pending.set(`${path.join('/')}#${id}`, resolve));
    let message = JSON.stringify({ id, method, params });
    for (let level = path.length - 1; level >= 1; level--) message = JSON.stringify({ id: this.#nextId++, method: 'Target.sendMessageToTarget', params: { sessionId: path[level], message } });
    void this.#root.send('Target.sendMessageToTarget', { sessionId: path[0]!, message }).catch(() => {});
    return result;
  }

  /** One sample: the page's heap plus every worker's; keeps the peak of the sum. */
  async sample(): Promise<number> {
    const page = (await this.#root.send('Runtime.getHeapUsage')) as { usedSize: number };
    const workers = await Promise.all(
      [...this.#workers.values()].map((path) => Promise.race([this.#send(path, 'Runtime.getHeapUsage', {}), new Promise((resolve) => setTimeout(() => resolve(null), 2000))])),
    );
    const total = page.usedSize + workers.reduce<number>((sum, w) => sum + ((w as { usedSize?: number } | null)?.usedSize ?? 0), 0);
    this.peakBytes = Math.max(this.peakBytes, total);
    this.peakWorkers = Math.max(this.peakWorkers, this.#workers.size);
    return total;
  }
}
