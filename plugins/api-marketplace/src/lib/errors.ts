import { ResponseError } from '@backstage/errors';

/** An error as a user should see it: the server's own words when it sent any. */
export type ErrorDescription = {
  /** What went wrong, e.g. the backend's `InputError` message. */
  message: string;
  /** A stable machine code, e.g. `SANDBOX_KEY_SCOPE` or `InputError`. */
  code?: string;
  /** The HTTP status of a failed request. */
  statusCode?: number;
};

/**
 * Describes an error for display. A {@link ResponseError} only says
 * "Request failed with 400 Bad Request"; the backend's message, name and code
 * are in its cause.
 */
export function describeError(error: Error): ErrorDescription {
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const response = error as ResponseError;
    const cause = response.cause as (Error & { code?: unknown }) | undefined;
    const code =
      typeof cause?.code === 'string' && cause.code ? cause.code : cause?.name;
    return {
      message: cause?.message || response.message,
      code: code && code !== 'Error' ? code : undefined,
      statusCode: response.statusCode,
    };
  }
  return { message: error.message };
}
