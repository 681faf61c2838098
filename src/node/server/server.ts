/**
 * The browser-mode HTTP server: the StudioApi over loopback for the renderer's browser
 * bridge, job events as server-sent events, and the built renderer as static files.
 * Protocol: POST /api/call/<channel> (header x-studio-token, JSON body = request) answers a
 * JSON Result; GET /api/events?token=... streams `data: <JobEvent>` lines. Binds 127.0.0.1
 * only; refuses foreign origins and hosts; bodies over 8 MB are refused.
 * Used by: node/server/index.ts (serve command), tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isChannel, type StudioHandlers } from '../../shared/api';
import type { JobEvent } from '../../shared/dto';
import { fail, type Result } from '../../shared/result';
import type { JobSupervisor } from '../jobs/types';
import { dispatch } from '../service/index';
import { COMMON_HEADERS, STUDIO_CSP, TOKEN_HEADER, createToken, hostAllowed, originAllowed, tokenMatches } from './security';
import { serveStatic } from './static';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface StudioServerOptions {
  handlers: StudioHandlers;
  jobs: Pick<JobSupervisor, 'onEvent'>;
  /** Folder of the built renderer (index.html and assets). */
  staticRoot: string;
  /** 0 picks any free port. */
  port?: number;
  token?: string;
  heartbeatMs?: number;
  maxBodyBytes?: number;
  /** Event bytes an event stream may have waiting unsent before it is closed (a stalled page; it reconnects). */
  maxEventBacklogBytes?: number;
}

export interface StudioServer {
  port: number;
  token: string;
  origin: string;
  /** The page to open, token included. */
  url: string;
  close(): Promise<void>;
}

type Reply = (status: number, result: Result<unknown>) => void;

const jsonReply = (res: ServerResponse): Reply => (status, result) => {
  const body = JSON.stringify(result);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
};

/** Reads the body up to `limit` bytes; undefined when it is larger (the rest is drained). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((done, failed) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return done(undefined);
    }
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (body: Buffer | undefined): void => {
      if (!settled) done(body);
      settled = true;
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks = []; // over the limit: keep nothing, answer 413 at the end
      if (size > limit * 8) {
        settle(undefined); // a client that never stops sending: answer now, then drop it
        req.destroy();
      }
    });
    req.on('end', () => settle(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('close', () => settle(undefined));
    req.on('error', failed);
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? createToken();
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxBacklog = options.maxEventBacklogBytes ?? 4 * 1024 * 1024;
  const streams = new Set<ServerResponse>();
  let port = 0;

  const handleCall = async (req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> => {
    const reply = jsonReply(res);
    if (!tokenMatches(token, req.headers[TOKEN_HEADER])) return reply(401, fail('UNAUTHORIZED', 'missing or wrong session token'));
    if (req.method !== 'POST') return reply(405, fail('BAD_REQUEST', 'calls are POST requests'));
    if (!isChannel(channel)) return reply(404, fail('NOT_FOUND', `unknown call "${channel}"`));
    const body = await readBody(req, limit);
    if (!body) {
      res.setHeader('connection', 'close');
      return reply(413, fail('BAD_REQUEST', `the request body is larger than ${limit} bytes`));
    }
    const parsed = parseJson(body);
    if (!parsed.ok) return reply(400, fail('BAD_REQUEST', 'the request body is not valid JSON'));
    const result = await dispatch(options.handlers, channel, parsed.value);
    reply(!result.ok && result.error.code === 'BAD_REQUEST' ? 400 : 200, result);
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const given = url.searchParams.get('token') ?? req.headers[TOKEN_HEADER];
    if (!tokenMatches(token, given)) return jsonReply(res)(401, fail('UNAUTHORIZED', 'missing or wrong session token'));
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    // a page that stops reading would make the server hold every event for it: past the
    // backlog limit its stream is closed (EventSource reconnects; snapshots come from jobs.list)
    const send = (text: string): void => {
      if (res.writableLength > maxBacklog) res.destroy();
      else res.write(text);
    };
    const unsubscribe = options.jobs.onEvent((event: JobEvent) => send(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
    const stop = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
    res.setHeader('content-security-policy', STUDIO_CSP);
    const reply = jsonReply(res);
    if (!hostAllowed(req.headers.host, port)) return reply(403, fail('UNAUTHORIZED', 'the studio answers only on 127.0.0.1'));
    if (!originAllowed(req.headers.origin, port)) return reply(403, fail('UNAUTHORIZED', 'requests from other origins are refused'));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/api/call/')) return handleCall(req, res, safeDecode(path.slice('/api/call/'.length)));
    if (path === '/api/events') return handleEvents(req, res, url);
    if (path.startsWith('/api/')) return reply(404, fail('NOT_FOUND', `no endpoint ${path}`));
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, fail('BAD_REQUEST', 'static files are GET requests'));
    return serveStatic(options.staticRoot, (req.url ?? '/').split('?')[0], req.method, res);
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (!res.headersSent) jsonReply(res)(500, fail('INTERNAL', e instanceof Error ? e.message : String(e)));
      else res.destroy();
    });
  });
  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', failed);
      done();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    token,
    origin,
    url: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((done) => {
        for (const stream of streams) stream.end();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
