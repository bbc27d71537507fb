// The request's bytes as they arrived: a signature covers these, not the JSON parsed from them.
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

const RAW = Symbol('raw body');

/** For the JSON parser's `verify` hook: keeps the bytes it is about to parse. */
export function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as IncomingMessage & { [RAW]?: Buffer })[RAW] = buffer;
}

export function rawBody(req: Request): Buffer {
  return (req as Request & { [RAW]?: Buffer })[RAW] ?? Buffer.alloc(0);
}
