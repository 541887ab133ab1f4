import { randomUUID } from 'node:crypto';
import type { RateLabel } from '../types.js';
import { validationFailed, type FieldError } from './errors.js';
import type { FaultSpec } from './types.js';

const KINDS: ReadonlyArray<FaultSpec['kind']> = ['http_500', 'http_503', 'reset', 'slow', 'token_expired'];

/** The request a fault is matched against. */
export interface FaultTarget {
  method: string;
  /** Route pattern relative to /v2, e.g. '/webinars/:webinarId/registrants'. */
  pattern: string;
  /** Actual path relative to /v2, without the query string. */
  path: string;
  label: RateLabel;
}

interface ActiveFault {
  id: string;
  spec: FaultSpec;
  remaining: number;
}

/**
 * Injected failures for /v2 calls, matched in the order they were added. `match.path` with a ':'
 * is a route pattern and must equal the route's; without one it is a substring of the actual path
 * (or the pattern). A fault that loses its probability roll is not used up.
 */
export class FaultRegistry {
  private faults: ActiveFault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): string {
    const errors = checkFault(spec);
    if (errors.length > 0) throw validationFailed(errors);
    const id = randomUUID();
    this.faults.push({ id, spec, remaining: spec.times ?? Infinity });
    return id;
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault to apply at this point of the request, if any, using up one of its `times`. */
  take(target: FaultTarget, when: 'before' | 'after'): FaultSpec | undefined {
    for (const fault of this.faults) {
      if ((fault.spec.when ?? 'before') !== when || !matches(fault.spec, target)) continue;
      if (this.random() >= (fault.spec.probability ?? 1)) continue;
      fault.remaining--;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault.spec;
    }
    return undefined;
  }
}

function matches(spec: FaultSpec, target: FaultTarget): boolean {
  const m = spec.match ?? {};
  if (m.method !== undefined && m.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (m.label !== undefined && m.label !== target.label) return false;
  if (m.path !== undefined) {
    const path = m.path.replace(/^\/v2(?=\/)/, '');
    if (path.includes(':') ? path !== target.pattern : !(target.path.includes(path) || target.pattern.includes(path))) return false;
  }
  return true;
}

function checkFault(spec: FaultSpec): FieldError[] {
  const errors: FieldError[] = [];
  if (!KINDS.includes(spec.kind)) errors.push({ field: 'kind', message: `Must be one of ${KINDS.join(', ')}.` });
  if (spec.when !== undefined && spec.when !== 'before' && spec.when !== 'after') errors.push({ field: 'when', message: "Must be 'before' or 'after'." });
  if (spec.times !== undefined && !(spec.times >= 1)) errors.push({ field: 'times', message: 'Must be at least 1.' });
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) errors.push({ field: 'probability', message: 'Must be within 0..1.' });
  if (spec.delayMs !== undefined && !(spec.delayMs >= 0)) errors.push({ field: 'delayMs', message: 'Must be ≥ 0.' });
  return errors;
}
