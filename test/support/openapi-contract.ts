import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The slice of an OpenAPI 3.0 document this checker reads. */
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: object }>;
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}
type Spec = { paths: Record<string, Record<string, Operation>> };

export interface Exchange {
  method: string;
  /** Path below the API base, e.g. /webinars/123/registrants. */
  path: string;
  query: URLSearchParams;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

/**
 * Checks request/response pairs against Zoom's OpenAPI spec (the file ZOOM_OPENAPI_SPEC names;
 * the project itself never contains it). OpenAPI 3.0 schemas are JSON Schema plus `nullable` and
 * int64/double formats, which are taught to ajv here.
 */
export function loadContract(file: string) {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const format of ['int64', 'int32', 'double', 'float', 'binary', 'byte', 'password']) ajv.addFormat(format, true);
  const compiled = new Map<object, ValidateFunction>();
  const validator = (schema: object) => {
    let fn = compiled.get(schema);
    if (!fn) compiled.set(schema, (fn = ajv.compile(toJsonSchema(schema))));
    return fn;
  };

  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    literalParts: template.split('/').filter((p) => p && !p.startsWith('{')).length,
  }));

  function operationFor(method: string, path: string): { template: string; op: Operation } {
    // Prefer the most literal template: /registrants/status over /registrants/{registrantId}.
    const match = templates.filter((t) => t.regex.test(path) && spec.paths[t.template]![method.toLowerCase()]).sort((a, b) => b.literalParts - a.literalParts)[0];
    if (!match) throw new Error(`${method} ${path} is not an operation of the spec`);
    return { template: match.template, op: spec.paths[match.template]![method.toLowerCase()]! };
  }

  /** Every problem with one exchange, as readable lines (empty when it conforms). */
  function check(x: Exchange): string[] {
    const { template, op } = operationFor(x.method, x.path);
    const where = `${x.method} ${template}`;
    const problems: string[] = [];
    for (const name of x.query.keys()) {
      if (!op.parameters?.some((p) => p.in === 'query' && p.name === name)) problems.push(`${where}: query parameter "${name}" is not in the spec`);
    }
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    if (x.requestBody !== undefined) {
      if (!bodySchema) problems.push(`${where}: sends a body the spec does not declare`);
      else if (!validator(bodySchema)(x.requestBody)) problems.push(`${where} request: ${ajv.errorsText(validator(bodySchema).errors)}`);
    }
    const response = op.responses?.[String(x.status)] ?? (x.status === 201 ? op.responses?.['200'] : undefined);
    if (!response) problems.push(`${where}: status ${x.status} is not a documented response`);
    const responseSchema = response?.content?.['application/json']?.schema;
    if (responseSchema && x.status < 300 && !validator(responseSchema)(x.responseBody)) {
      problems.push(`${where} response ${x.status}: ${ajv.errorsText(validator(responseSchema).errors)}`);
    }
    return problems;
  }

  return { check };
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema type union; recursively. */
function toJsonSchema(schema: unknown): object {
  if (Array.isArray(schema)) return schema.map(toJsonSchema) as unknown as object;
  if (!schema || typeof schema !== 'object') return schema as object;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'example' || k === 'examples' ? v : toJsonSchema(v);
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  return out;
}
