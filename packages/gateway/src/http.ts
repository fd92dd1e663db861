import type { ServerResponse } from 'node:http';
import {
  PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  ProblemCode,
  problemBody,
} from '@portico/plugin-api-marketplace-node';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** A problem document with the data plane's stable codes. */
export function sendProblem(
  res: ServerResponse,
  code: ProblemCode,
  extraHeaders: Record<string, string> = {},
): void {
  const body = problemBody(code);
  res.writeHead(PROBLEMS[code].status, {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(body);
}
