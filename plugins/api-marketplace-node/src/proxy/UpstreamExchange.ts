import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ProblemCode } from '../problems';
import { downstreamResponseHeaders } from './headers';
import { sendProblem } from './respond';

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** nginx's status for "the client closed the request". */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * One proxied call as an undici dispatch handler: the upstream response is
 * written straight into the partner's response, with backpressure, and no
 * stream wrapper, promise or AbortController per request.
 *
 * `onDone` gets the status to meter: the upstream's, 502/504 when the
 * upstream failed (also mid-body: the partner did not get a complete answer),
 * or 499 when the partner left first.
 */
export class UpstreamExchange implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  private status = 0;
  private settled = false;
  private clientGone = false;

  constructor(
    private readonly res: ServerResponse,
    /** Added to the upstream's response headers (rate limit, request id). */
    private readonly extraHeaders: Record<string, string>,
    private readonly requestId: string,
    private readonly onDone: (status: number, error?: Error) => void,
  ) {
    // The partner may have left while the call was verified and admitted:
    // then 'close' has fired already and will not again.
    if (res.destroyed || !res.socket || res.socket.destroyed) {
      this.clientGone = true;
    } else {
      // `on`, not `once`: 'close' comes once, and `once` wraps the listener.
      res.on('close', this.onClientClose);
    }
  }

  /** False when the partner left before the call could be forwarded. */
  get clientConnected(): boolean {
    return !this.clientGone;
  }

  /** Meters a call the partner abandoned before it was forwarded. */
  abandon(): void {
    this.settle(CLIENT_CLOSED_STATUS);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new Error('client closed'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return; // 1xx: informational, not forwarded
    this.status = statusCode;
    this.res.writeHead(
      statusCode,
      downstreamResponseHeaders(headers, this.extraHeaders),
    );
  }

  onResponseData(
    controller: Dispatcher.DispatchController,
    chunk: Buffer,
  ): void {
    if (this.res.destroyed) {
      this.clientGone = true;
      controller.abort(new Error('client closed'));
      return;
    }
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.settle(this.status);
    this.res.end();
  }

  onResponseError(
    _controller: Dispatcher.DispatchController,
    error: Error,
  ): void {
    if (this.clientGone || this.res.destroyed) {
      this.settle(CLIENT_CLOSED_STATUS, error);
      return;
    }
    const code: ProblemCode = TIMEOUT_CODES.has(
      (error as { code?: string }).code ?? '',
    )
      ? 'upstream_timeout'
      : 'upstream_unavailable';
    this.settle(code === 'upstream_timeout' ? 504 : 502, error);
    // Once headers are out, all we can do is cut the response short.
    if (this.res.headersSent) this.res.destroy();
    else sendProblem(this.res, code, this.requestId, this.extraHeaders);
  }

  private readonly onClientClose = () => {
    if (this.settled) return;
    this.clientGone = true;
    this.controller?.abort(new Error('client closed'));
  };

  private settle(status: number, error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.onDone(status, error);
  }
}
