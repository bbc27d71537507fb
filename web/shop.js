// What the pages share: talking to the API, money, and following a live stream.
import { stepWords } from './words.js';

/** Sends JSON, answers { ok, status, body }; a refusal's body is the API's problem document. */
export async function call(method, path, { body, headers = {} } = {}) {
  const res = await fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { detail: text };
  }
  return { ok: res.ok, status: res.status, body: parsed };
}

/** A refusal in words: the problem's detail, which says what is wrong. */
export function refusal(answer) {
  return answer.body?.detail ?? `the shop answered ${answer.status}`;
}

// The shop's currency (CURRENCY) comes with the page; amounts read as the customer's browser writes money.
const currency = new Intl.NumberFormat(undefined, { style: 'currency', currency: document.documentElement.dataset.currency || 'USD' });

/** Integer cents with the shop's currency: 450 → "$4.50" (or "4,50 €", as the browser's language writes it). */
export function money(cents) {
  return cents == null ? '' : currency.format(cents / 100);
}

export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Follows a Server-Sent Events stream with fetch, so it can carry an Authorization header
 * (EventSource cannot). Calls onView with each view, onProblem with each problem; reconnects
 * after a dropped connection until stop() is called.
 */
export function follow(path, { headers = {}, onView, onProblem }) {
  const controller = new AbortController();
  let stopped = false;
  (async () => {
    while (!stopped) {
      try {
        const res = await fetch(path, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
        if (!res.ok) {
          const answer = { status: res.status, body: await res.json().catch(() => undefined) };
          onProblem(answer.body ?? { status: res.status, detail: `the shop answered ${res.status}` });
          if (res.status === 401 || res.status === 403 || res.status === 404) return;
        } else {
          await readEvents(res.body, (event, data) => {
            if (event === 'view') onView(JSON.parse(data));
            else if (event === 'end') stopped = true;
            else onProblem(JSON.parse(data));
          });
          if (stopped) return;
          // The stream broke off (the server restarted, the network dropped): ask again soon.
        }
      } catch (err) {
        if (stopped) return;
        onProblem({ detail: 'lost the connection to the shop; trying again' });
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  return { stop: () => ((stopped = true), controller.abort()) };
}

async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}

/** A list of the saga's steps or what was undone, as `<li>`s in words; hidden (with its heading) when empty. */
export function renderSteps(list, steps, heading) {
  list.replaceChildren(
    ...steps.map((s) => {
      const li = document.createElement('li');
      li.className = s.status;
      li.textContent = stepWords(s);
      li.title = new Date(s.at).toLocaleTimeString();
      return li;
    }),
  );
  list.hidden = steps.length === 0;
  if (heading) heading.hidden = list.hidden;
}
