import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Two validators: query strings and path params arrive as text and are coerced ("?page=2" → 2);
 * JSON bodies are not, so `{"price": true}` is an error rather than a silent "true". Both report
 * every problem at once, not just the first.
 */
export function installValidators(app: FastifyInstance): void {
  const base: Options = { allErrors: true, removeAdditional: true, useDefaults: true, strict: false };
  const make = (coerceTypes: Options['coerceTypes']) => {
    const ajv = new Ajv.default({ ...base, coerceTypes });
    addFormats.default(ajv);
    return ajv;
  };
  const body = make(false);
  const text = make('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}
