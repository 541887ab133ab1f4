import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The one error vocabulary. Every 4xx/5xx body is
 *   { "code": "<stable machine code>", "message": "<for a person>", "details"?: [...], "request_id": "..." }
 * Codes are part of the public contract: add new ones, never rename.
 */
export const ERROR_CODES = {
  validation_failed: 400,
  unsupported_file_type: 400,
  unknown_class: 400,
  bad_request: 400,
  not_authenticated: 401,
  invalid_credentials: 401,
  token_invalid: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  username_taken: 409,
  email_taken: 409,
  already_enrolled: 409,
  payment_not_pending: 409,
  webinar_already_linked: 409,
  zoom_webinar_not_found: 400,
  zoom_registration_disabled: 400,
  zoom_webinar_over: 400,
  webhook_signature_invalid: 401,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  zoom_rate_limited: 429,
  internal_error: 500,
  zoom_error: 502,
  service_unavailable: 503,
  zoom_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  /** Where the problem is: `body.email`, `query.status`, `file`, … */
  field: string;
  message: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  request_id: string;
}

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERROR_CODES[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const validationFailed = (details: ErrorDetail[], message = 'The request is invalid') =>
  new AppError('validation_failed', message, details);

/** Fastify's own error codes that are the client's fault, mapped to ours. */
function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    const context = error.validationContext ?? 'body';
    const details = error.validation.map((v) => {
      const missing = v.keyword === 'required' ? `/${String(v.params.missingProperty)}` : '';
      const extra = v.keyword === 'additionalProperties' ? `/${String(v.params.additionalProperty)}` : '';
      const path = `${v.instancePath}${missing}${extra}`.replace(/^\//, '').replace(/\//g, '.');
      return { field: path ? `${context}.${path}` : context, message: v.message ?? 'is invalid' };
    });
    return validationFailed(details, `Invalid ${context}: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return error.statusCode === 413
        ? new AppError('payload_too_large', 'The request body is too large')
        : new AppError('bad_request', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Unsupported Content-Type');
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', error.message);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'This endpoint expects multipart/form-data');
  }
  if (error.statusCode === 429) return new AppError('rate_limited', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('bad_request', error.message);
  }
  return undefined;
}

export interface ErrorHandlerOptions {
  /**
   * Called before the JSON 404 for a request no route matched; answers it instead when it returns
   * a reply (the web app's index.html for a page address), or lets the JSON 404 go out (undefined).
   */
  notFoundFallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;
}

export function registerErrorHandlers(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    const known = error instanceof AppError ? error : fromFastifyError(error as FastifyError);
    if (!known) {
      // 5xx: log everything, show nothing of it.
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send({
        code: 'internal_error',
        message: 'Something went wrong on our side. It has been logged.',
        request_id: String(request.id),
      } satisfies ErrorBody);
    }
    if (known.statusCode >= 500) request.log.error({ err: error }, known.message);
    else request.log.info({ code: known.code, status: known.statusCode }, known.message);
    if (known.headers) void reply.headers(known.headers);
    const body: ErrorBody = { code: known.code, message: known.message, request_id: String(request.id) };
    if (known.details?.length) body.details = known.details;
    return reply.status(known.statusCode).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const fallback = options.notFoundFallback?.(request, reply);
    if (fallback) return fallback;
    const body: ErrorBody = {
      code: 'not_found',
      message: `No route for ${request.method} ${request.url.split('?')[0]}`,
      request_id: String(request.id),
    };
    return reply.status(404).send(body);
  });
}
