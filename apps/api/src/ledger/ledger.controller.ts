import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { encodeBase64, encodeHex, decodeHex } from '@townhall/ledger';
import {
  ApiErrorBody,
  ConsistencyQuery,
  ConsistencyResponse,
  EntriesQuery,
  EntriesResponse,
  InclusionQuery,
  InclusionResponse,
  IndexParam,
  LogKeys,
  LogList,
  LogName,
  LogSummary,
  MAX_ENTRIES_PER_PAGE,
} from '@townhall/protocol';
import { Public } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { LedgerService, type LogInfo } from './ledger.service.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=2';

/** The read side of the ledger: what any mirror, monitor or auditor needs, all public GETs. */
@ApiTags('ledger')
@Controller('ledger')
export class LedgerController {
  constructor(@Inject(LedgerService) private readonly ledger: LedgerService) {}

  async #summary(log: LogInfo) {
    const published = await this.ledger.latestCheckpoint(log.name, { published: true });
    return {
      name: log.name,
      origin: log.origin,
      size: log.size.toString(),
      rootHash: encodeHex(log.rootHash),
      verifierKey: log.verifierKey,
      published: published ? { size: published.size.toString(), rootHash: encodeHex(published.rootHash), publishedAt: published.publishedAt!.toISOString() } : null,
    };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Every log of this deployment, with its head, latest published checkpoint and the witness policy' })
  @ApiOkResponse({ schema: openApiSchema(LogList) })
  async list(@Res({ passthrough: true }) response: Response): Promise<LogList> {
    response.setHeader('Cache-Control', 'no-cache');
    const logs = await this.ledger.listLogs();
    return { logs: await Promise.all(logs.map((log) => this.#summary(log))), witnessPolicy: this.ledger.witnessPolicy };
  }

  @Get(':log')
  @Public()
  @ApiOperation({ summary: 'One log: origin, current head, latest published checkpoint, log verifier key, witness policy' })
  @ApiParam({ name: 'log', example: 'registry' })
  @ApiOkResponse({ schema: openApiSchema(LogSummary) })
  @ApiNotFoundResponse({ schema: openApiSchema(ApiErrorBody) })
  async get(@Param('log') name: string, @Res({ passthrough: true }) response: Response): Promise<LogSummary> {
    const log = await this.ledger.getLog(parseInput(LogName, name, 'log name'));
    response.setHeader('Cache-Control', 'no-cache');
    return { ...(await this.#summary(log)), witnessPolicy: this.ledger.witnessPolicy };
  }

  @Get(':log/checkpoint')
  @Public()
  @ApiOperation({ summary: 'The latest published checkpoint: a C2SP signed note (tlog-checkpoint) with the log signature and witness cosignatures' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'C2SP signed note', schema: { type: 'string' } })
  @ApiServiceUnavailableResponse({ description: 'No checkpoint published yet', schema: openApiSchema(ApiErrorBody) })
  async checkpoint(@Param('log') name: string, @Res() response: Response): Promise<void> {
    const checkpoint = await this.ledger.publishedCheckpoint(parseInput(LogName, name, 'log name'));
    response.setHeader('Cache-Control', SHORT).type('text/plain; charset=utf-8').send(checkpoint.note);
  }

  @Get(':log/keys')
  @Public()
  @ApiOperation({ summary: "The log's verifier key (C2SP signed-note vkey) and the witnesses' keys and quorum" })
  @ApiOkResponse({ schema: openApiSchema(LogKeys) })
  async keys(@Param('log') name: string): Promise<LogKeys> {
    const log = await this.ledger.getLog(parseInput(LogName, name, 'log name'));
    return { origin: log.origin, log: log.verifierKey, witnessPolicy: this.ledger.witnessPolicy };
  }

  @Get(':log/tile/*path')
  @Public()
  @ApiOperation({ summary: 'C2SP tlog-tiles: hash tiles `tile/<L>/<N>[.p/<W>]` and entry bundles `tile/entries/<N>[.p/<W>]` (immutable)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'Tile bytes', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ schema: openApiSchema(ApiErrorBody) })
  async tile(@Param('log') name: string, @Param('path') path: string | string[], @Res() response: Response): Promise<void> {
    const tilePath = `tile/${Array.isArray(path) ? path.join('/') : path}`;
    const bytes = await this.ledger.tile(parseInput(LogName, name, 'log name'), tilePath);
    response.setHeader('Cache-Control', IMMUTABLE).type('application/octet-stream').send(Buffer.from(bytes));
  }

  @Get(':log/entries')
  @Public()
  @ApiOperation({ summary: `Entries [start, end) as JSON with base64 bytes (at most ${MAX_ENTRIES_PER_PAGE})` })
  @ApiOkResponse({ schema: openApiSchema(EntriesResponse) })
  async entries(@Param('log') name: string, @Query() query: unknown): Promise<EntriesResponse> {
    const { start, end } = parseInput(EntriesQuery, query, 'query');
    const first = BigInt(start);
    const limit = first + BigInt(MAX_ENTRIES_PER_PAGE);
    const last = end === undefined || BigInt(end) > limit ? limit : BigInt(end);
    const rows = await this.ledger.entries(parseInput(LogName, name, 'log name'), first, last);
    return { entries: rows.map((r) => ({ index: r.index.toString(), type: r.type, bytes: encodeBase64(r.bytes), leafHash: encodeHex(r.leafHash) })) };
  }

  @Get(':log/proof/inclusion')
  @Public()
  @ApiOperation({ summary: 'RFC 9162 inclusion proof by index or leaf hash, in the tree of `size` (default: latest published checkpoint)' })
  @ApiOkResponse({ schema: openApiSchema(InclusionResponse) })
  @ApiNotFoundResponse({ schema: openApiSchema(ApiErrorBody) })
  async inclusion(@Param('log') name: string, @Query() query: unknown): Promise<InclusionResponse> {
    const q = parseInput(InclusionQuery, query, 'query');
    const log = parseInput(LogName, name, 'log name');
    const index = q.index !== undefined ? BigInt(q.index) : (await this.ledger.entryByLeafHash(log, decodeHex(q.leafHash!)!)).index;
    const result = await this.ledger.inclusionProof(log, index, q.size === undefined ? undefined : BigInt(q.size));
    return { index: result.index.toString(), size: result.size.toString(), leafHash: encodeHex(result.leafHash), proof: result.proof.map(encodeHex) };
  }

  @Get(':log/proof/consistency')
  @Public()
  @ApiOperation({ summary: 'RFC 9162 consistency proof between tree sizes `from` and `to`' })
  @ApiOkResponse({ schema: openApiSchema(ConsistencyResponse) })
  async consistency(@Param('log') name: string, @Query() query: unknown, @Res({ passthrough: true }) response: Response): Promise<ConsistencyResponse> {
    const q = parseInput(ConsistencyQuery, query, 'query');
    const proof = await this.ledger.consistencyProof(parseInput(LogName, name, 'log name'), BigInt(q.from), BigInt(q.to));
    response.setHeader('Cache-Control', IMMUTABLE);
    return { from: q.from, to: q.to, proof: proof.map(encodeHex) };
  }

  @Get(':log/receipt/:index')
  @Public()
  @ApiOperation({ summary: 'C2SP tlog-proof receipt for one entry against the latest published checkpoint (entry bytes as extra data); verifiable offline' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'c2sp.org/tlog-proof@v1 text', schema: { type: 'string' } })
  @ApiServiceUnavailableResponse({ description: 'The entry is not in a published checkpoint yet', schema: openApiSchema(ApiErrorBody) })
  async receipt(@Param('log') name: string, @Param('index') index: string, @Res() response: Response): Promise<void> {
    const text = await this.ledger.receipt(parseInput(LogName, name, 'log name'), BigInt(parseInput(IndexParam, index, 'index')));
    response.setHeader('Cache-Control', 'no-cache').type('text/plain; charset=utf-8').send(text);
  }
}
