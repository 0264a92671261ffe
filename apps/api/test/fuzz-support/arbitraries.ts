import fc from 'fast-check';
import { CALLERS, type CallerName, type FuzzWorld } from './world.ts';
import { fillRoute, routeKey, routeParams, type ServerRoute } from './routes.ts';

/** One generated HTTP request, described so that a failing case prints readably. */
export interface FuzzRequest {
  route: string;
  method: string;
  url: string;
  caller: CallerName;
  /** valid: the caller's token and our Origin; the others are what a cross-site attacker could send. */
  csrf: 'valid' | 'missing' | 'wrong-token' | 'foreign-origin' | 'no-origin';
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** What the body is, for the report ("json", "malformed", "huge", …). */
  bodyKind: string;
}

const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    // Lone surrogates cannot be percent-encoded as UTF-8; send their replacement.
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
};

/** Path segments that have broken routers, decoders and ORMs before: sent raw, not re-encoded. */
const HOSTILE_SEGMENTS = [
  '', '0', '-1', '1.5', '1e309', 'NaN', 'Infinity', '9007199254740993', '18446744073709551616', '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-4000-8000-00000000000G', 'not-a-uuid', '%00', '%zz', '%', '%E0%A4%A', '%C0%AE%C0%AE',
  '..', '%2e%2e', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2F', '__proto__', 'constructor', 'prototype', "'%20OR%20'1'%3D'1", '%3Cscript%3E',
  '%F0%9F%97%B3%EF%B8%8F', '%EF%BB%BF', 'a'.repeat(2000), 'A'.repeat(43), 'A'.repeat(44), '0'.repeat(64), 'f'.repeat(64), 'F'.repeat(64),
];

/** Numbers as strings at the edges of every integer type a handler might parse. */
const EDGE_NUMBERS = ['0', '1', '-1', '-0', '01', '1.0', '1e3', '0x10', ' 1', '1 ', '2147483647', '2147483648', '4294967296', '9007199254740991', '9007199254740993', '18446744073709551616', '-9223372036854775809', 'NaN', 'Infinity', '', 'true', 'null'];

/** JSON values that are the wrong type, or the right type at a boundary, for any field. */
const EDGE_VALUES: unknown[] = [
  null, true, false, 0, -1, 1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 31, 2 ** 63, '', ' ', '0', '1', '-1', '1e3', 'true', 'null',
  '\u0000', 'a\u0000b', '\ud800', '\udfff', '\u202e', '\ufeff', '🗳️', 'Zoë', 'ß', 'İ', 'x'.repeat(10_000), '<script>alert(1)</script>', "' OR 1=1 --",
  '00'.repeat(32), 'zz'.repeat(32), 'AA'.repeat(32), '0'.repeat(63), [], [null], [[[]]], {}, { __proto__: { admin: true } }, { constructor: { prototype: {} } },
  '2030-02-30', '1900-01-01T00:00:00Z', '0000-01-01', '9999-12-31T23:59:59.999Z',
];

const MALFORMED_JSON = [
  '{', '}', '[', '{"a":', '{"a":1,}', '[1,]', "{'a':1}", '{"a":01}', '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}', 'nul', 'tru', '"unterminated',
  '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u00"}', '{"a":1}{"b":2}', '{"__proto__":{"x":1}}', '   ', '\u0000', '[' .repeat(50), '{"a":' .repeat(50),
  '1', '"a string"', 'null', 'true', '[]', '0', '-0', '1e999',
];

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset=utf-16', 'application/json; charset=latin1',
  'application/json; charset=bogus', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
  'application/vnd.api+json', 'application/octet-stream', '*/*', 'json', '', 'application/json, text/plain',
];

const QUERY_KEYS = ['start', 'end', 'index', 'from', 'to', 'size', 'page', 'q', 'search', 'district', 'limit', 'offset', 'tree_size', 'n', '__proto__', 'constructor', 'a[b]', 'a[]', ''];

/** Nested arrays/objects `depth` deep, as JSON text (built as text: a JS value that deep would overflow JSON.stringify). */
function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Collects the paths of every node of a JSON value (for mutating one of them). */
function jsonPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => jsonPaths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) jsonPaths(v, [...prefix, k], out);
  return out;
}

type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'flip-hex'; at: number }
  | { kind: 'as-string' }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-array' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // Flipping one hex digit keeps the body well-formed, so it reaches the cryptographic checks.
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip-hex' as const), at: fc.nat() }) },
  fc.record({ kind: fc.constant('replace' as const), value: fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.jsonValue({ maxDepth: 3 })) }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'role', 'status', 'id'), fc.string()), value: fc.constantFrom(...EDGE_VALUES) }),
  fc.record({ kind: fc.constant('flip-hex' as const), at: fc.nat() }),
  fc.constant({ kind: 'as-string' as const }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.constant({ kind: 'duplicate-array' as const }),
);

/** Applies a mutation to one node of a (deep-copied) JSON template; the template itself is never changed. */
function mutate(template: unknown, pathIndex: number, mutation: Mutation): unknown {
  const root = structuredClone(template);
  const paths = jsonPaths(root);
  const path = paths[pathIndex % paths.length]!;
  if (path.length === 0) return mutation.kind === 'replace' ? mutation.value : root;
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], root);
  const key = path.at(-1)!;
  const current = parent[key];
  switch (mutation.kind) {
    case 'replace':
      parent[key] = mutation.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'extra':
      if (current && typeof current === 'object' && !Array.isArray(current)) Object.defineProperty(current, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
      else parent[key] = { value: current, [mutation.key]: mutation.value };
      break;
    case 'flip-hex':
      if (typeof current === 'string' && current.length > 0) {
        const i = mutation.at % current.length;
        const c = current[i]!;
        const flipped = /[0-9a-f]/.test(c) ? ((parseInt(c, 16) ^ 1).toString(16)) : c === 'A' ? 'B' : 'A';
        parent[key] = current.slice(0, i) + flipped + current.slice(i + 1);
      }
      break;
    case 'as-string':
      parent[key] = typeof current === 'string' ? Number(current) : JSON.stringify(current);
      break;
    case 'truncate':
      if (typeof current === 'string') parent[key] = current.slice(0, mutation.at % (current.length + 1));
      else if (Array.isArray(current)) parent[key] = current.slice(0, mutation.at % (current.length + 1));
      break;
    case 'duplicate-array':
      if (Array.isArray(current)) parent[key] = [...current, ...current];
      break;
  }
  return root;
}

export interface BodyLimits {
  maxBodyBytes: number;
}

/**
 * The request generator: a route from the running router (or one it does not have), a method
 * (the route's or another), parameters (context values that exist, and hostile ones), a query
 * string, a body (mutated valid body, arbitrary JSON, malformed JSON, deep nesting, huge, wrong
 * content type or encoding), and a caller with valid or broken CSRF credentials.
 */
export function requestArbitrary(world: FuzzWorld, routes: ServerRoute[], limits: BodyLimits): fc.Arbitrary<FuzzRequest> {
  const contextValues: Record<string, string[]> = {
    id: [world.electionId, '00000000-0000-4000-8000-000000000000'],
    log: ['registry', world.electionLog],
    index: ['0', '1', '2'],
    trackingCode: ['0'.repeat(64)],
    token: ['A'.repeat(43)],
    electorNumber: ['NOPE-0001'],
    district: ['CAS', 'ZZZ'],
    path: ['entries/000.p/1', 'x/0/000', 'x/0/000.p/1', '0/x001/000', 'entries/000'],
  };
  // Lifecycle routes never get the demo election's id: closing or tallying it would end the fuzzing
  // of the ballot routes (those routes' success is the elections tests' subject, not this one's).
  const isLifecycle = (key: string) => /official\/elections\/:id\/(open|close|tally|ceremony)$/.test(key);
  const paramValue = (name: string, key: string): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...(name === 'id' && isLifecycle(key) ? contextValues.id!.slice(1) : (contextValues[name] ?? ['x']))) },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map(encode) },
      { weight: 1, arbitrary: fc.uuid().map(String) },
      { weight: 1, arbitrary: fc.constantFrom(...EDGE_NUMBERS).map(encode) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom(...HOSTILE_SEGMENTS, 'x', '0', '000', 'x001'), { minLength: 1, maxLength: 6 }).map((s) => s.join('/')) },
    );

  const queryArb: fc.Arbitrary<string> = fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 4,
      arbitrary: fc
        .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.oneof(fc.constantFrom(...EDGE_NUMBERS), fc.string({ maxLength: 40 }), fc.constantFrom(...HOSTILE_SEGMENTS))), { maxLength: 5 })
        .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encode(k)}=${/%/.test(v) ? v : encode(v)}`).join('&')}` : '')),
    },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?a', '?=1', '?start=0&start=1&start=2', '?a[b][c][d]=1', `?q=${'x'.repeat(5000)}`, '?%zz=1', '?start=%00') },
  );

  type Body = { body?: string | Uint8Array; contentType?: string; contentEncoding?: string; kind: string };
  const jsonBody = (value: unknown, kind: string): Body => ({ body: JSON.stringify(value) ?? 'null', contentType: 'application/json', kind });
  const bodyFor = (key: string): fc.Arbitrary<Body> => {
    const template = world.templates[key];
    const options: fc.WeightedArbitrary<Body>[] = [
      { weight: 2, arbitrary: fc.constant<Body>({ kind: 'none' }) },
      { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => jsonBody(v, 'json')) },
      { weight: 1, arbitrary: fc.object({ maxDepth: 3, values: [fc.constantFrom(...EDGE_VALUES)] }).map((v) => jsonBody(v, 'json-edge')) },
      { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((text) => ({ body: text, contentType: 'application/json', kind: 'malformed' })) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ body: text, contentType: 'application/json', kind: 'malformed' })) },
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.boolean()).map(([depth, isArray]) => ({ body: deepJson(depth, isArray ? 'array' : 'object'), contentType: 'application/json', kind: 'deep' })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(1, 0, -1, 1000).map((delta) => ({ body: JSON.stringify({ padding: 'x'.repeat(Math.max(0, limits.maxBodyBytes - 14 + delta)) }), contentType: 'application/json', kind: delta > 0 ? 'huge' : 'near-limit' })),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.constantFrom(...CONTENT_TYPES), fc.jsonValue({ maxDepth: 2 })).map(([contentType, v]) => ({ body: JSON.stringify(template ?? v) ?? '', contentType, kind: 'content-type' })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-bogus', 'gzip, gzip'), fc.uint8Array({ maxLength: 64 })).map(([contentEncoding, bytes]) => ({ body: bytes, contentType: 'application/json', contentEncoding, kind: 'encoding' })),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((text) => ({ body: `electorNumber,district\n${text}`, contentType: 'text/csv', kind: 'csv' })) },
    ];
    if (template !== undefined) {
      options.push({ weight: 2, arbitrary: fc.constant(jsonBody(template, 'template')) });
      options.push({
        weight: 8,
        arbitrary: fc.array(fc.tuple(fc.nat(), mutationArb), { minLength: 1, maxLength: 3 }).map((mutations) => jsonBody(mutations.reduce<unknown>((value, [at, m]) => mutate(value, at, m), template), 'mutated')),
      });
    }
    return fc.oneof(...options);
  };

  const routeArb = fc.oneof(
    { weight: 14, arbitrary: fc.constantFrom(...routes).map((route) => ({ route, method: route.method, known: true })) },
    // Routes with a valid body to mutate get extra turns: their checks go deepest.
    { weight: 6, arbitrary: fc.constantFrom(...routes.filter((r) => routeKey(r) in world.templates)).map((route) => ({ route, method: route.method, known: true })) },
    // The route with a method it does not have, or a path the server does not have at all.
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...routes), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS')).map(([route, method]) => ({ route, method, known: method === route.method })) },
    { weight: 1, arbitrary: fc.constantFrom('/api', '/api/', '/api/nope', '/api/elections/x/y/z', '/api//elections', '/api/ledger/registry/../../session').map((path) => ({ route: { method: 'GET', path }, method: 'GET', known: false })) },
  );

  return routeArb.chain(({ route, method, known }) => {
    const params = routeParams(route.path);
    const key = routeKey(route);
    // Sign-out ends the caller's session; it is fuzzed anonymously so the other callers stay signed in.
    const callers = key === 'POST /api/sign-out' ? (['none', 'anonymous'] as const) : CALLERS;
    return fc
      .record({
        values: fc.record(Object.fromEntries(params.map((p) => [p.name, paramValue(p.name, key)])) as Record<string, fc.Arbitrary<string>>),
        query: queryArb,
        caller: fc.constantFrom(...callers),
        csrf: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'missing', 'wrong-token', 'foreign-origin', 'no-origin') as fc.Arbitrary<FuzzRequest['csrf']>,
        body: method === 'GET' || method === 'HEAD' ? fc.constant<Body>({ kind: 'none' }) : bodyFor(key),
        requestId: fc.option(fc.constantFrom('fuzz-1', 'x'.repeat(65), 'has space', '../../etc', '\u00e9'), { freq: 10 }),
      })
      .map(({ values, query, caller, csrf, body, requestId }): FuzzRequest => {
        const headers: Record<string, string> = {};
        if (body.contentType) headers['content-type'] = body.contentType;
        if (body.contentEncoding) headers['content-encoding'] = body.contentEncoding;
        if (requestId !== null) headers['x-request-id'] = requestId;
        return { route: known ? key : `${method} ${route.path} (not a route)`, method, url: `${fillRoute(route.path, values)}${query}`, caller, csrf, headers, body: body.body, bodyKind: body.kind };
      });
  });
}
