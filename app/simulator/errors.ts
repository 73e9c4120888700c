/**
 * Errors the simulator's handle throws on bad input. The control API maps `kind` to an HTTP
 * status (invalid → 400, not_found → 404, conflict → 409); tests see them as thrown errors.
 */
export type SimulatorErrorKind = 'invalid' | 'not_found' | 'conflict';

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  constructor(
    readonly kind: SimulatorErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function invalid(message: string): SimulatorError {
  return new SimulatorError('invalid', message);
}

/** Throws unless `value` is a finite number within [min, max]. */
export function assertNumberInRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(`${name} must be a number from ${min} to ${max}`);
  }
}
