import { z } from 'zod';
import type { ApiResponseOptions } from '@nestjs/swagger';

type SchemaObject = Extract<ApiResponseOptions, { schema?: unknown }>['schema'] & object;

/** The OpenAPI document is generated from the same zod schemas that validate the wire. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output' }) as SchemaObject;
}
