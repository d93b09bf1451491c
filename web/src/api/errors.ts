import { strings } from '../i18n/strings';
import type { ErrorBody } from './types';

/** Error codes the server sends, plus two the client makes up for transport failures. */
export type ApiErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'network_error'
  | 'bad_response'
  | (string & {});

/** A failed API call: HTTP status (0 when the server was not reached) and the server's error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  /** Seconds from a 429's Retry-After header, when present. */
  readonly retryAfter: number | null;

  constructor(status: number, code: ApiErrorCode, message: string, field?: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const e = (value as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Builds an ApiError from a non-2xx response, whatever its body holds. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Proxies and crashes produce HTML or empty bodies; fall back to the status below.
  }
  if (isErrorBody(body)) {
    const { code, message, field } = body.error;
    return new ApiError(res.status, code, message || strings.errors.unexpected, field || undefined, retryAfter);
  }
  return new ApiError(res.status, fallbackCode(res.status), fallbackMessage(res.status, retryAfter), undefined, retryAfter);
}

function fallbackCode(status: number): ApiErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'validation_failed';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 429:
      return 'rate_limited';
    default:
      return 'bad_response';
  }
}

function fallbackMessage(status: number, retryAfter: number | null): string {
  if (status === 429) return strings.errors.rateLimited(retryAfter);
  if (status === 404) return strings.errors.notFound;
  if (status === 403) return strings.errors.forbidden;
  return strings.errors.unexpected;
}

/** What a form shows: messages under named fields, and one message above the form. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string | null;
}

/**
 * Maps any thrown value to form errors. A server error naming a field the form has goes under
 * that field; everything else (including a field the form does not show) becomes the general
 * message so that nothing is silently dropped.
 */
export function toFormErrors(err: unknown, knownFields: readonly string[] = []): FormErrors {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited' || err.status === 429) {
      return { fields: {}, general: strings.errors.rateLimited(err.retryAfter) };
    }
    if (err.field && (knownFields.length === 0 || knownFields.includes(err.field))) {
      return { fields: { [err.field]: err.message }, general: null };
    }
    return { fields: {}, general: err.message };
  }
  return { fields: {}, general: strings.errors.unexpected };
}

/** One line for a toast or an alert. */
export function errorMessage(err: unknown): string {
  return toFormErrors(err).general ?? (err instanceof ApiError ? err.message : strings.errors.unexpected);
}
