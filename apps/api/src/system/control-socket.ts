import { createServer, request, type Server } from 'node:http';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../common/logger.ts';

/**
 * A running server's local-only control channel: HTTP over a Unix socket in the data directory,
 * created with mode 0600, so only the operating-system user who runs the server can use it. A
 * command such as `npm run admin:invite` asks the running server through it instead of opening the
 * database the server holds (two processes on one embedded PGlite directory corrupt it), and so
 * gets links for the server's real address. `server.json` beside it names the server's process.
 */
export const controlSocketPath = (dataDir: string) => join(dataDir, 'control.sock');
const serverFilePath = (dataDir: string) => join(dataDir, 'server.json');
/** sockaddr_un's limit on Linux, less the terminating NUL. */
const MAX_SOCKET_PATH = 107;

export type ControlCommand = { command: 'admin-invite'; name: string; force: boolean };
export type ControlAnswer = { exitCode: number; output: string };

export async function startControlSocket(dataDir: string, handle: (command: ControlCommand) => Promise<ControlAnswer>): Promise<{ close: () => Promise<void> }> {
  const path = controlSocketPath(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(serverFilePath(dataDir), `${JSON.stringify({ pid: process.pid, socket: path })}\n`, { mode: 0o600 });
  if (path.length > MAX_SOCKET_PATH) {
    logger.warn({ path }, 'control socket not started: the data directory path is too long for a Unix socket');
    return { close: () => rm(serverFilePath(dataDir), { force: true }) };
  }
  await rm(path, { force: true }); // a previous server's, left by a crash
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk.length + body.length > 4096 ? '' : chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const parsed = JSON.parse(body) as Partial<ControlCommand>;
          if (req.method !== 'POST' || parsed.command !== 'admin-invite' || typeof parsed.name !== 'string' || typeof parsed.force !== 'boolean') {
            res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ exitCode: 2, output: 'unknown control command\n' }));
            return;
          }
          const answer = await handle({ command: 'admin-invite', name: parsed.name, force: parsed.force });
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        } catch (error) {
          logger.error({ err: error }, 'control command failed');
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ exitCode: 1, output: 'the running server could not do that; see its log\n' }));
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
  await chmod(path, 0o600);
  return {
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(path, { force: true });
      await rm(serverFilePath(dataDir), { force: true });
    },
  };
}

/**
 * Asks the server running on this data directory, if there is one. `undefined`: no server answers
 * (none runs, or a crashed one left its files, which are then removed).
 */
export async function askRunningServer(dataDir: string, command: ControlCommand): Promise<ControlAnswer | undefined> {
  const path = controlSocketPath(dataDir);
  try {
    return await new Promise<ControlAnswer>((resolve, reject) => {
      const req = request({ socketPath: path, method: 'POST', path: '/', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as ControlAnswer);
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      req.once('error', reject);
      req.end(JSON.stringify(command));
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ECONNREFUSED') {
      await rm(path, { force: true });
      return undefined;
    }
    throw error;
  }
}

/** The process id of a server that claims this data directory and is still alive, if any. */
export async function liveServerPid(dataDir: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = (JSON.parse(await readFile(serverFilePath(dataDir), 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
