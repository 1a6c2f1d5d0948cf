/**
 * Webflow's OpenAPI as a response validator for the sandbox's conformance tests: the endpoints
 * Asset Desk uses, extracted from Webflow's published files into the repository
 * (`src/sandbox/contract/webflow-openapi.json`, written by `npm run contract`), so the tests run
 * on a clone with nothing beside it.
 *
 * The files are OpenAPI 3.1 but written partly in 3.0 style, so they are normalised before
 * ajv sees them: `nullable: true` becomes a `null` type, `items` given as a list becomes
 * `anyOf`, `properties: null` is dropped, a `required` beside `oneOf` is left to the branches,
 * a field whose default or example is `null` may be null, and Webflow's own formats
 * (`objectid`, `mime-type`) are defined. Other keywords (`x-*`, `readOnly`) are ignored;
 * required fields, types, enums and formats are checked. Extra fields are allowed, as the spec does not forbid them.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SOURCE_FILES as FILES, type Contract, type SpecName } from '../../src/sandbox/contract/extract.ts';
import { loadContract } from '../../src/sandbox/contract/files.ts';

export type { SpecName };
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete' | 'put';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Spec = { paths: Record<string, Record<string, Operation | undefined>> };

export class ResponseMismatch extends Error {
  override name = 'ResponseMismatch';
}

export interface WebflowContract {
  /** Throws a {@link ResponseMismatch} naming every field that breaks the schema of (spec, method, path, status). */
  check(spec: SpecName, method: HttpMethod, path: string, status: number, body: unknown): void;
}

export function loadWebflowContract(contract: Contract = loadContract()): WebflowContract {
  const specs = {} as Record<SpecName, Spec>;
  for (const name of Object.keys(FILES) as SpecName[]) specs[name] = normalise(contract.specs[name]) as Spec;

  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('objectid', /^[a-f0-9]{24}$/);
  ajv.addFormat('mime-type', /^[a-z]+\/[a-z0-9.+-]+$/i);
  const compiled = new Map<string, ValidateFunction>();

  return {
    check(spec, method, path, status, body) {
      const where = `${method.toUpperCase()} ${path} ${status} (${FILES[spec]})`;
      const operation = specs[spec].paths[path]?.[method];
      if (!operation?.responses) {
        throw new Error(`${FILES[spec]} has no operation ${method.toUpperCase()} ${path} in the contract; if Webflow has it, add the path to CONTRACT_PATHS (src/sandbox/contract/extract.ts) and run npm run contract.`);
      }
      const declared = responseFor(operation.responses, status);
      if (!declared) throw new Error(`${FILES[spec]} declares no ${status} response for ${method.toUpperCase()} ${path}.`);
      const schema = declared.content?.['application/json']?.schema;
      if (schema === undefined) {
        if (body !== undefined && body !== '') throw new ResponseMismatch(`${where}: the spec declares no body, but one came: ${JSON.stringify(body).slice(0, 200)}`);
        return;
      }
      let validate = compiled.get(where);
      if (!validate) {
        validate = ajv.compile(schema as object);
        compiled.set(where, validate);
      }
      if (!validate(body)) throw new ResponseMismatch(`${where} does not match the spec:\n${describe(validate.errors ?? [])}\nbody: ${JSON.stringify(body).slice(0, 600)}`);
    },
  };
}

/**
 * The declared response for a status: exact, then `4XX`/`5XX`, then `default`. Webflow answers
 * every error with the same body, and some operations do not list every status they answer
 * (no asset route lists 403 `missing_scopes`), so an undeclared error status is held to the
 * operation's 400 (or 401) error schema.
 */
function responseFor(responses: NonNullable<Operation['responses']>, status: number) {
  const family = `${String(status)[0]}XX`;
  return responses[String(status)] ?? responses[family] ?? responses.default ?? (status >= 400 ? (responses['400'] ?? responses['401']) : undefined);
}

function describe(errors: ErrorObject[]): string {
  return errors.map((e) => `  ${e.instancePath || '(body)'} ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`).join('\n');
}

/** OpenAPI 3.0 habits in a 3.1 file, turned into JSON Schema 2020-12. */
export function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = normalise(value);
  // `default: null` on a string field ("or null if root") says the same as `nullable`.
  if (out.nullable === true || (out.default === null && out.type !== undefined)) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...(out.type as unknown[]), 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  }
  // `items: [a, b]` (a tuple in old drafts) is used to mean "each item is a or b".
  if (Array.isArray(out.items)) out.items = { anyOf: out.items };
  // `properties: null` (the DOM node schemas) says nothing; JSON Schema wants an object there.
  if (out.properties === null) delete out.properties;
  // A `required` beside `oneOf` (the bulk item PATCH: "one item, or a list of items") repeats the
  // first branch's own list; left outside, it would refuse the list branch, which Webflow answers.
  if (Array.isArray(out.oneOf) && Array.isArray(out.required)) delete out.required;
  if (out.example !== undefined) allowNullsOfExample(out, out.example);
  return out;
}

/**
 * Webflow's examples show some fields as `null` that their schemas type as plain strings (a root
 * folder's `parentFolder`, every error's `externalReference`), and the API answers so; the
 * example is taken as the truth there.
 */
function allowNullsOfExample(schema: Record<string, unknown>, example: unknown): void {
  if (example === null) {
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    return;
  }
  if (Array.isArray(example) && schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
    for (const item of example) allowNullsOfExample(schema.items as Record<string, unknown>, item);
    return;
  }
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!properties || typeof example !== 'object') return;
  for (const [name, value] of Object.entries(example)) {
    const property = properties[name];
    if (property) allowNullsOfExample(property, value);
  }
}
