import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';
// A caller's id is accepted only when it is short and plain, so it cannot forge log lines.
const acceptableId = /^[\w.:-]{1,128}$/;

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const offered = req.get(REQUEST_ID_HEADER);
    req.id = offered && acceptableId.test(offered) ? offered : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, req.id);
    next();
  };
}
