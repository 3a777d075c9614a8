// A small JSON Schema check against the OpenAPI document for the suites
// that want their responses held to the documented shapes: the keywords the
// document uses ($ref, allOf, oneOf, type incl. lists, required,
// properties, additionalProperties: false, items, enum, const), plus a
// strict mode where every member of an object must be documented.

function resolve(doc, s) {
  while (s && s.$ref) s = doc.components.schemas[s.$ref.split('/').pop()];
  return s;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

// Every property name the schema (with its allOf parts) documents.
function documented(doc, schema, out = new Set()) {
  const s = resolve(doc, schema);
  if (!s) return out;
  for (const part of s.allOf ?? []) documented(doc, part, out);
  for (const k of Object.keys(s.properties ?? {})) out.add(k);
  return out;
}

// Errors of value against schema ("$.a.b: ..."); strict: undocumented members are errors.
export function schemaErrors(doc, schema, value, { strict = true, at = '$' } = {}) {
  const s = resolve(doc, schema);
  const errs = [];
  if (!s) return [`${at}: no schema`];
  for (const part of s.allOf ?? []) errs.push(...schemaErrors(doc, part, value, { strict: false, at }));
  if (s.oneOf) {
    const n = s.oneOf.filter((x) => schemaErrors(doc, x, value, { strict, at }).length === 0).length;
    if (n !== 1) errs.push(`${at}: matches ${n} of oneOf`);
  }
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [...errs, `${at}: ${t} is not ${types.join('|')}`];
  }
  if (s.enum && !s.enum.includes(value)) errs.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ('const' in s && value !== s.const) errs.push(`${at}: not ${JSON.stringify(s.const)}`);
  if (typeOf(value) === 'object') {
    for (const k of s.required ?? []) if (!(k in value)) errs.push(`${at}: missing ${k}`);
    const known = documented(doc, s);
    for (const [k, v] of Object.entries(value)) {
      const p = s.properties?.[k];
      if (p) errs.push(...schemaErrors(doc, p, v, { strict, at: `${at}.${k}` }));
      else if (s.additionalProperties === false || (strict && known.size && !known.has(k))) errs.push(`${at}: undocumented ${k}`);
    }
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => errs.push(...schemaErrors(doc, s.items, v, { strict, at: `${at}[${i}]` })));
  return errs;
}

// The schema of an operation's response (path pattern, method, status), or null.
export function responseSchema(doc, pattern, method, status) {
  const resp = doc.paths[pattern]?.[method.toLowerCase()]?.responses?.[String(status)];
  if (!resp) return undefined;
  const media = resp.content && Object.values(resp.content)[0];
  return media ? media.schema : null;
}
