import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { pinoHttp } from 'pino-http';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { AppConfig } from './config/config.ts';
import type { Database } from './database/database.ts';
import { AppModule } from './app.module.ts';
import { logger, NestPinoLogger, redactUrl } from './common/logger.ts';
import { securityHeaders } from './web/security.ts';
import { apiRateLimit, oidcRateLimit } from './web/rate-limit.ts';
import { RequestCounters } from './web/rate-limit-store.ts';
import { credentialRateLimit } from './common/credential-rate-limit.ts';
import { rejectNulCharacters } from './common/nul-characters.ts';
import { mountApps } from './web/serve-apps.ts';
import { version } from './version.ts';
import { OIDC_PATH, OidcProviderService } from './oidc/oidc-provider.service.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the HTTP application (used by main.ts and by the medium tests, which listen on port 0). */
export async function createApp(config: AppConfig, database: Database): Promise<NestExpressApplication> {
  logger.level = config.logLevel;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, database), {
    logger: new NestPinoLogger(),
    bodyParser: false,
    // No CORS: the apps are served from the API's own origin.
    cors: false,
  });
  app.disable('x-powered-by');
  // Idle keep-alive connections are closed by the client (or the load balancer), never by us first: a
  // server that closes an idle connection just as a client sends on it makes that request fail
  // ("other side closed"), which clients may not retry. Longer than common load balancers' 60 s.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // The client address (rate limits, activation lockouts) comes from X-Forwarded-For only when the
  // connection is from a configured proxy (TOWNHALL_TRUSTED_PROXIES); by default it is the connection's.
  app.set('trust proxy', config.trustedProxies.length > 0 ? config.trustedProxies : false);
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const incoming = request.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (request) => request.url === '/api/health' },
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: redactUrl(request.url) }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    }),
  );
  app.use(securityHeaders);
  // API answers hold names, postcodes, sessions: never stored by a browser or a proxy, unless a route
  // says otherwise (the ledger's public checkpoints, proofs and tiles do).
  app.use('/api', (_request: express.Request, response: express.Response, next: express.NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Per-client ceilings counted in the database: shared by every instance of the deployment.
  const counters = new RequestCounters(database.sql);
  app.use('/api', apiRateLimit(config, counters));
  app.use(credentialRateLimit(config, counters));
  // Townhall ID: oidc-provider answers below /oidc with the protocol's own errors (RFC 6749 §5.2), its
  // own body parsing and cookies; the interaction pages' API (/oidc/interaction/:uid/…) is ours.
  app.use(OIDC_PATH, oidcRateLimit(config, counters));
  app.use(OIDC_PATH, (request: express.Request, response: express.Response, next: express.NextFunction) => {
    if (request.path.startsWith('/interaction/')) return next();
    app.get(OidcProviderService, { strict: false }).handle(request, response);
  });
  app.use(express.json({ limit: config.maxBodyBytes, strict: true }));
  app.use('/api', rejectNulCharacters);
  app.use(cookieParser());
  app.setGlobalPrefix('api', { exclude: [{ path: 'oidc/interaction/{*rest}', method: RequestMethod.ALL }] });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Townhall API')
      .setDescription('Citizen identity and verifiable e-voting. Errors use the closed code list in docs/errors.md.')
      .setVersion(version)
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  if (config.serveApps) mountApps(app.getHttpAdapter().getInstance());
  return app;
}
