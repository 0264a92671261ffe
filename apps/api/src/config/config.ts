import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { isIP } from 'node:net';

/** The repository root, so that `./.data` means the same folder whichever workspace starts the API. */
export const repoRoot = resolve(fileURLToPath(new URL('../../../../', import.meta.url)));

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const EnvironmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)')
    .optional(),
  TOWNHALL_DATA_DIR: z.string().min(1).default(resolve(repoRoot, '.data')),
  TOWNHALL_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TOWNHALL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TOWNHALL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  TOWNHALL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  TOWNHALL_SEED_DEMO: booleanFlag.default(true),
  TOWNHALL_SERVE_APPS: booleanFlag.optional(),
  TOWNHALL_SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(8 * 3600),
  TOWNHALL_LOG_SIGNING_KEY: z.string().min(1).optional(),
  TOWNHALL_WITNESSES: z.string().optional(),
  TOWNHALL_WITNESS_QUORUM: z.coerce.number().int().min(1).optional(),
  TOWNHALL_LOCAL_WITNESSES: booleanFlag.optional(),
  TOWNHALL_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(200),
  TOWNHALL_TRUSTED_PROXIES: z.string().optional(),
  TOWNHALL_ALLOW_FEWER_TRUSTEES: booleanFlag.default(false),
  TOWNHALL_CREDENTIAL_EPOCH_MIN: z.coerce.number().int().min(1).max(10_000).default(20),
  TOWNHALL_CREDENTIAL_EPOCH_MAX_WAIT_SECONDS: z.coerce.number().int().min(0).max(24 * 3600).default(900),
  TOWNHALL_DEMO_SERVICE_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  TOWNHALL_WEBHOOK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  TOWNHALL_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

/** proxy-addr's names for address ranges (what Express's `trust proxy` takes besides addresses). */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * The reverse proxies whose X-Forwarded-For is believed: IP addresses or CIDR ranges (IPv4 or IPv6)
 * or the names above, separated by commas or whitespace. None by default: the client address is the
 * connection's, whatever X-Forwarded-For says (a client that reaches the API through a tunnel or an
 * L4 proxy on the same machine would otherwise choose its own address, and its own rate limits).
 */
function parseTrustedProxies(text: string | undefined): string[] | string {
  const items = (text ?? '').split(/[\s,]+/).filter(Boolean);
  for (const item of items) {
    if (PROXY_RANGE_NAMES.includes(item)) continue;
    const [address = '', prefix, ...rest] = item.split('/');
    const version = isIP(address);
    const bits = version === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (version === 0 || rest.length > 0 || !prefixOk) {
      return `${JSON.stringify(item)} is not an IP address, a CIDR range (address/prefix) or one of ${PROXY_RANGE_NAMES.join(', ')}`;
    }
  }
  return items;
}

/** `<verifier key>@<base URL>`, separated by commas or whitespace (docs/ledger-operations.md). */
function parseWitnessList(text: string | undefined): { verifierKey: string; url: string }[] | string {
  const items = (text ?? '').split(/[\s,]+/).filter(Boolean);
  const witnesses: { verifierKey: string; url: string }[] = [];
  for (const item of items) {
    const at = item.indexOf('@');
    const verifierKey = item.slice(0, at);
    const url = item.slice(at + 1);
    if (at <= 0 || !/^[^+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(verifierKey) || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      return `${JSON.stringify(item)} is not <verifier key>@<http(s) URL>`;
    }
    witnesses.push({ verifierKey, url: url.replace(/\/$/, '') });
  }
  return witnesses;
}

export type AppConfig = {
  environment: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  /** Local state (embedded database, local witnesses), `./.data` by default. */
  dataDir: string;
  publicUrl: string;
  logLevel: z.infer<typeof EnvironmentSchema>['TOWNHALL_LOG_LEVEL'];
  rateLimitPerMinute: number;
  maxBodyBytes: number;
  seedDemo: boolean;
  serveApps: boolean;
  sessionMaxAgeSeconds: number;
  /** Express's `trust proxy`: the proxies whose X-Forwarded-For gives the client address (none: the connection's). */
  trustedProxies: string[];
  /**
   * Demonstrations only: allow elections below the trustee minimum (k ≥ 2 of n ≥ 3). Such an
   * election's manifest says `minimumWaived`, and its pages and every verifier warn.
   */
  allowFewerTrustees: boolean;
  /**
   * Credential epochs (docs/protocol/elections.md §5.1): CredentialIssued entries are appended in
   * pseudonym order once `min` are waiting, or when the oldest has waited `maxWaitMs`, and at close.
   */
  credentialEpoch: { min: number; maxWaitMs: number };
  /** With the demo seed: the port of the demo council service that signs in with Townhall ID (0: any free one). */
  demoServicePort: number;
  /**
   * Contractors' webhooks (docs/protocol/contracts.md §14): how often each instance looks for due
   * deliveries (0: never by itself, nor right after a step; tests then call the sweep), and how long
   * one attempt may take, from the DNS lookup to the end of the answer.
   */
  webhooks: { sweepIntervalMs: number; timeoutMs: number };
  ledger: {
    /** C2SP signer-key string or base64 Ed25519 seed; unset: generated once and kept in the database. */
    signingKey?: string;
    witnesses: { verifierKey: string; url: string }[];
    /** k of the k-of-n witness policy (default: a majority of the configured witnesses). */
    witnessQuorum?: number;
    /** Start two witnesses in-process (`npm start` only; default: on when no witness is configured). */
    localWitnesses: boolean;
    /** At most one checkpoint per log per interval. */
    checkpointIntervalMs: number;
  };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Townhall cannot start: the configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once at start-up; a wrong variable stops start-up, named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvironmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const witnesses = parseWitnessList(e.TOWNHALL_WITNESSES);
  if (typeof witnesses === 'string') throw new ConfigError([`TOWNHALL_WITNESSES: ${witnesses}`]);
  const trustedProxies = parseTrustedProxies(e.TOWNHALL_TRUSTED_PROXIES);
  if (typeof trustedProxies === 'string') throw new ConfigError([`TOWNHALL_TRUSTED_PROXIES: ${trustedProxies}`]);
  if (e.TOWNHALL_WITNESS_QUORUM !== undefined && e.TOWNHALL_WITNESS_QUORUM > Math.max(witnesses.length, e.TOWNHALL_LOCAL_WITNESSES === false ? 0 : 2)) {
    throw new ConfigError([`TOWNHALL_WITNESS_QUORUM: ${e.TOWNHALL_WITNESS_QUORUM} is more than the number of witnesses`]);
  }
  return {
    environment: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: resolve(e.TOWNHALL_DATA_DIR, 'pglite') },
    dataDir: e.TOWNHALL_DATA_DIR,
    publicUrl: (e.TOWNHALL_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.TOWNHALL_LOG_LEVEL,
    rateLimitPerMinute: e.TOWNHALL_RATE_LIMIT_PER_MINUTE,
    maxBodyBytes: e.TOWNHALL_MAX_BODY_BYTES,
    seedDemo: e.TOWNHALL_SEED_DEMO,
    serveApps: e.TOWNHALL_SERVE_APPS ?? e.NODE_ENV === 'production',
    sessionMaxAgeSeconds: e.TOWNHALL_SESSION_MAX_AGE_SECONDS,
    trustedProxies,
    allowFewerTrustees: e.TOWNHALL_ALLOW_FEWER_TRUSTEES,
    credentialEpoch: { min: e.TOWNHALL_CREDENTIAL_EPOCH_MIN, maxWaitMs: e.TOWNHALL_CREDENTIAL_EPOCH_MAX_WAIT_SECONDS * 1000 },
    demoServicePort: e.TOWNHALL_DEMO_SERVICE_PORT,
    webhooks: { sweepIntervalMs: e.TOWNHALL_WEBHOOK_SWEEP_INTERVAL_MS, timeoutMs: e.TOWNHALL_WEBHOOK_TIMEOUT_MS },
    ledger: {
      ...(e.TOWNHALL_LOG_SIGNING_KEY ? { signingKey: e.TOWNHALL_LOG_SIGNING_KEY } : {}),
      witnesses,
      ...(e.TOWNHALL_WITNESS_QUORUM ? { witnessQuorum: e.TOWNHALL_WITNESS_QUORUM } : {}),
      localWitnesses: e.TOWNHALL_LOCAL_WITNESSES ?? witnesses.length === 0,
      checkpointIntervalMs: e.TOWNHALL_CHECKPOINT_INTERVAL_MS,
    },
  };
}

/** Session cookies: server-side session id only, never readable by scripts, never sent cross-site. */
export function sessionCookieOptions(config: AppConfig) {
  return {
    httpOnly: true,
    // Browsers treat http://localhost as a secure context, so Secure works for the local default too.
    secure: true,
    sameSite: 'strict' as const,
    path: '/',
    maxAge: config.sessionMaxAgeSeconds * 1000,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
