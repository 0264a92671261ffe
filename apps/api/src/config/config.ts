import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

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
});

export type AppConfig = {
  environment: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  publicUrl: string;
  logLevel: z.infer<typeof EnvironmentSchema>['TOWNHALL_LOG_LEVEL'];
  rateLimitPerMinute: number;
  maxBodyBytes: number;
  seedDemo: boolean;
  serveApps: boolean;
  sessionMaxAgeSeconds: number;
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
  return {
    environment: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: resolve(e.TOWNHALL_DATA_DIR, 'pglite') },
    publicUrl: (e.TOWNHALL_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.TOWNHALL_LOG_LEVEL,
    rateLimitPerMinute: e.TOWNHALL_RATE_LIMIT_PER_MINUTE,
    maxBodyBytes: e.TOWNHALL_MAX_BODY_BYTES,
    seedDemo: e.TOWNHALL_SEED_DEMO,
    serveApps: e.TOWNHALL_SERVE_APPS ?? e.NODE_ENV === 'production',
    sessionMaxAgeSeconds: e.TOWNHALL_SESSION_MAX_AGE_SECONDS,
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
