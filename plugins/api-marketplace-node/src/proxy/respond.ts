import type { ServerResponse } from 'node:http';
import type { LimitDecision } from '../limit';
import {
  PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  ProblemCode,
  problemBody,
} from '../problems';

/** The `RateLimit-*` (and on denial `Retry-After`) headers of a decision. */
export function rateLimitHeaders(
  decision: LimitDecision,
): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
  if (!decision.allowed || decision.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(decision.retryAfterSeconds ?? 1);
  }
  return headers;
}

/** Headers of a problem response, beyond any rate limit headers. */
export function problemHeaders(
  code: ProblemCode,
  requestId: string,
  body: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-portico-request-id': requestId,
  };
  if (PROBLEMS[code].status === 401) {
    headers['www-authenticate'] = 'Bearer realm="portico"';
  }
  return headers;
}

/** Ends the response with a problem document. */
export function sendProblem(
  res: ServerResponse,
  code: ProblemCode,
  requestId: string,
  extraHeaders?: Record<string, string>,
): void {
  const body = problemBody(code, requestId);
  const headers = problemHeaders(code, requestId, body);
  res.writeHead(
    PROBLEMS[code].status,
    extraHeaders ? Object.assign(headers, extraHeaders) : headers,
  );
  res.end(body);
}
