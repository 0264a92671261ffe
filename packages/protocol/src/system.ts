import { z } from 'zod';

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({
    reachable: z.boolean(),
    dialect: z.enum(['pglite', 'postgres']),
  }),
  migrations: z.object({
    applied: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
  }),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const DistrictSummary = z.object({
  code: z.string(),
  name: z.string(),
  electorCount: z.number().int().nonnegative(),
});
export type DistrictSummary = z.infer<typeof DistrictSummary>;

export const CouncilSummary = z.object({
  name: z.string(),
  electorCount: z.number().int().nonnegative(),
  districts: z.array(DistrictSummary),
});
export type CouncilSummary = z.infer<typeof CouncilSummary>;
