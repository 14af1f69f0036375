// API errors: a stable code, bilingual text, an HTTP status.
import { message, type MessageCode } from '../../shared/i18n/messages.js';
import type { ApiErrorBody } from '../../shared/api-types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: MessageCode,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'ApiError';
  }
  body(): ApiErrorBody {
    return { error: { code: this.code, message: message(this.code), ...(this.details !== undefined ? { details: this.details } : {}) } };
  }
}
