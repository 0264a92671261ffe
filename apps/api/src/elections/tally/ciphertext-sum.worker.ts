// Worker thread that sums ballots' ciphertexts column by column (see ciphertext-sums.ts).
import { parentPort } from 'node:worker_threads';
import { IDENTITY, decodeCiphertext, encodePoint } from '@townhall/crypto';
import { fromHexString } from '@townhall/protocol';
import type { SumReply, SumRequest } from './ciphertext-sums.ts';

parentPort?.on('message', (request: SumRequest) => {
  let reply: SumReply;
  try {
    const sums = Array.from({ length: request.width }, () => ({ alpha: IDENTITY, beta: IDENTITY }));
    for (const row of request.rows) {
      if (row.length !== request.width) throw new Error(`a counted ballot has ${row.length} ciphertexts, the manifest ${request.width} options`);
      row.forEach((hex, k) => {
        const c = decodeCiphertext(fromHexString(hex));
        sums[k]!.alpha = sums[k]!.alpha.add(c.alpha);
        sums[k]!.beta = sums[k]!.beta.add(c.beta);
      });
    }
    reply = { id: request.id, sums: sums.map((s) => ({ alpha: encodePoint(s.alpha, 'alpha'), beta: encodePoint(s.beta, 'beta') })) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
