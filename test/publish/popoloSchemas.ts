// Popolo's official JSON schemas (vendored in popolo-schemas/, draft-03) loaded into ajv: each
// file's `id` becomes `$id` and draft-03's `required: true` on a property becomes its parent's
// `required` list — nothing else changes. The schemas name each other both with and without
// "www.", so each is registered under both. Referenced schemas of classes we never publish
// embedded are open placeholders (see popolo-schemas/README.md).
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';

const VENDORED = ['event', 'vote_event', 'vote', 'count', 'motion'] as const;
const PLACEHOLDERS = ['organization', 'person', 'link', 'identifier', 'group_result'];
const HOSTS = ['http://popoloproject.com', 'http://www.popoloproject.com'];

type Schema = Record<string, unknown>;

function fromDraft03(schema: Schema): Schema {
  const { $schema: _draft, id: _id, required: _required, ...rest } = schema;
  const out: Schema = { ...rest };
  if (schema.properties && typeof schema.properties === 'object') {
    const properties = schema.properties as Record<string, Schema>;
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, fromDraft03(v)]));
    const required = Object.entries(properties).filter(([, v]) => v.required === true).map(([k]) => k);
    if (required.length > 0) out.required = required;
  }
  if (schema.items && typeof schema.items === 'object') out.items = fromDraft03(schema.items as Schema);
  return out;
}

// ajv-formats is CommonJS with a default export.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export function popoloValidators(): Record<(typeof VENDORED)[number], ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true });
  addFormats(ajv);
  for (const host of HOSTS) {
    for (const name of VENDORED) {
      const raw = JSON.parse(readFileSync(new URL(`./popolo-schemas/${name}.json`, import.meta.url), 'utf8')) as Schema;
      ajv.addSchema({ ...fromDraft03(raw), $id: `${host}/schemas/${name}.json` });
    }
    for (const name of PLACEHOLDERS) ajv.addSchema({ $id: `${host}/schemas/${name}.json` });
  }
  const get = (name: (typeof VENDORED)[number]) => ajv.getSchema(`http://www.popoloproject.com/schemas/${name}.json`)!;
  return { event: get('event'), vote_event: get('vote_event'), vote: get('vote'), count: get('count'), motion: get('motion') };
}
