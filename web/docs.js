// Renders /openapi.json as a page: one section per tag, one entry per endpoint.
const doc = await (await fetch('/openapi.json')).json();
const el = (tag, props = {}, ...children) => append(Object.assign(document.createElement(tag), props), children);
function append(node, children) {
  for (const child of children.flat()) if (child != null) node.append(child);
  return node;
}
const schemaText = (schema) => JSON.stringify(schema, null, 2);

const who = (op) =>
  op['x-roles'] ? `staff: ${op['x-roles'].join(', ')}` : op.security?.some((s) => s.carrierSignature) ? 'the carrier (signed)' : 'anyone';

for (const tag of doc.tags) {
  const entries = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.tags.includes(tag.name)).map(([method, op]) => ({ path, method, op })));
  if (entries.length === 0) continue;
  document.getElementById('toc').append(el('li', {}, el('a', { href: `#${tag.name}`, textContent: tag.description })));
  const section = el('section', { id: tag.name }, el('h2', { textContent: tag.description }));
  for (const { path, method, op } of entries) {
    const details = el('details', {}, el('summary', {}, el('code', { textContent: `${method.toUpperCase()} ${path}` }), ` ${op.summary} (${who(op)})`));
    if (op.parameters) details.append(el('p', { textContent: `Parameters: ${op.parameters.map((p) => `${p.name} (${p.in}${p.required ? ', required' : ''})`).join('; ')}` }));
    const body = op.requestBody?.content['application/json'].schema;
    if (body) details.append(el('p', { textContent: 'Body:' }), el('pre', { textContent: schemaText(body) }));
    const answers = el('ul');
    for (const [status, response] of Object.entries(op.responses)) {
      const [type, media] = Object.entries(response.content ?? {})[0] ?? [];
      const events = media?.itemSchema?.oneOf?.map((e) => el('li', {}, el('code', { textContent: `event: ${e.properties.event.const}` }), el('pre', { textContent: schemaText(e.properties.data.contentSchema) })));
      const next = Object.entries(response.links ?? {}).map(([name, l]) => `${name}: ${decodeURIComponent(l.operationRef.replace('#/paths/', '')).replace(/~1/g, '/')}`);
      answers.append(
        el('li', {}, el('strong', { textContent: status }), ` ${response.description}${type ? ` (${type})` : ''}`,
          media?.schema?.properties ? el('pre', { textContent: schemaText(media.schema) }) : null,
          events ? el('ul', {}, events) : null,
          next.length > 0 ? el('p', { textContent: `Then: ${next.join('; ')}` }) : null),
      );
    }
    details.append(el('p', { textContent: 'Answers:' }), answers);
    section.append(details);
  }
  document.getElementById('reference').append(section);
}
