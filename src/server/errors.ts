/**
 * The one error type of the backend's HTTP answers: a status, a code of the API's error
 * shape, a message that says what to do next, optional details, and the cause (never sent).
 * `app.onError` maps it to `{error: {code, message, details?}}`.
 * (Minimal version written by C1 for the journal routes; C2 owns this file.)
 */
import type { ErrorCode } from '../core/api.ts';

export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503;

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: HttpStatus;
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(
    status: HttpStatus,
    code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = status;
    this.code = code;
    this.details = options.details;
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}
