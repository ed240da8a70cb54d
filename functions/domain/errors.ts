/**
 * Typed domain errors. The HTTP layer maps them to status codes in one place
 * (functions/runtime/http.ts); the journey handlers let unexpected ones surface to
 * Step Functions' Retry/Catch.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: input failed validation; `details` names every bad field. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly details: { path: string; message: string }[],
  ) {
    super(message, 'validation_failed');
  }
}

/** 404: unknown complaint, or a customer token that does not match (indistinguishable). */
export class NotFoundError extends DomainError {
  constructor(message = 'No complaint with this id was found.') {
    super(message, 'not_found');
  }
}

/** 409: the complaint is not at the stage this action belongs to. */
export class WrongStageError extends DomainError {
  constructor(message: string) {
    super(message, 'wrong_stage');
  }
}

/** 409: somebody else took this step first, or it timed out and was escalated. */
export class ConflictError extends DomainError {
  constructor(message: string, code = 'conflict') {
    super(message, code);
  }
}

/** 409 (422-like): the Idempotency-Key was used before with another body. */
export class IdempotencyMismatchError extends DomainError {
  constructor() {
    super('This Idempotency-Key was already used with a different request body.', 'idempotency_key_reused');
  }
}

/** 403: signed in, but this role or department may not do this. */
export class ForbiddenError extends DomainError {
  constructor(message = 'Your role does not allow this action.') {
    super(message, 'forbidden');
  }
}

/** 401: no or invalid credentials. */
export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in first.') {
    super(message, 'unauthorized');
  }
}

/** An input the state machine should never send: a bug, surfaced to the journey's Retry/Catch. */
export class JourneyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JourneyInputError';
  }
}
