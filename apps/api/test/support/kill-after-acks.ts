import { spawn } from 'node:child_process';

/**
 * Runs a tsx child script that prints one `ack …` line per acknowledged piece of work, SIGKILLs it
 * (no shutdown hook runs) once `acks` lines have appeared, and resolves with the fields of every
 * well-formed ack line it printed (the words after `ack`). Rejects if the child exits on its own,
 * or prints `done` (it finished before the kill, so the kill tested nothing).
 */
export function killAfterAcks(script: string, options: { env: Record<string, string | undefined>; acks: number; ackLine: RegExp }): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    let isKilled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!isKilled && output.split('\n').filter((l) => l.startsWith('ack ')).length >= options.acks) {
        isKilled = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited on its own: ${errors}`));
      if (output.includes('\ndone\n')) return reject(new Error('the child finished its work before it was killed: kill it earlier'));
      resolve(output.split('\n').filter((l) => options.ackLine.test(l)).map((l) => l.split(' ').slice(1)));
    });
  });
}
