// The console's Webhooks page: endpoints and their health, recent messages with their
// attempts, retry and replay. Signs in with the key the activity feed page stored.

import { storedKey, authorized, failure, getJson } from './api.js';

const API = '/api/v2/webhooks/';
let selected = null;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(text, onClick, secondary = true) {
  const b = el('button', text, secondary ? 'button secondary' : 'button');
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function show(message) {
  const box = document.getElementById('wh-message');
  box.textContent = message;
  box.hidden = !message;
}

async function send(method, path, body) {
  const options = { method };
  if (body !== undefined) {
    options.headers = { 'Content-Type': 'application/json' };
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, authorized(options));
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

async function guarded(action) {
  try {
    show('');
    await action();
  } catch (error) {
    show(error.message);
  }
}

function health(endpoint) {
  if (!endpoint.enabled) return `Disabled: ${endpoint.disabled_reason || ''}`;
  if (endpoint.failing_since) return `Failing since ${new Date(endpoint.failing_since).toLocaleString()}`;
  return 'Healthy';
}

async function loadEndpoints() {
  const page = await getJson(API);
  const body = document.querySelector('#wh-endpoints tbody');
  body.replaceChildren();
  document.getElementById('wh-empty').hidden = page.content.results.length > 0;
  for (const endpoint of page.content.results) {
    const row = el('tr');
    row.dataset.id = endpoint.id;
    const url = el('td');
    url.append(el('div', endpoint.url), el('div', endpoint.description || '', 'hint'));
    row.append(url, el('td', endpoint.event_types.length ? endpoint.event_types.join(', ') : 'all'));
    row.append(el('td', health(endpoint), endpoint.enabled ? '' : 'badge'));
    const actions = el('td');
    actions.append(
      button('Messages', () => guarded(() => select(endpoint))),
      button(endpoint.enabled ? 'Disable' : 'Enable',
        () => guarded(async () => { await send('PATCH', `${API}${endpoint.id}/`, { enabled: !endpoint.enabled }); await loadEndpoints(); })),
      button('Rotate secret', () => guarded(async () => {
        const rotated = await send('POST', `${API}${endpoint.id}/rotate-secret`);
        revealSecret(rotated.content.secret);
        await loadEndpoints();
      })),
      button('Delete', () => guarded(async () => {
        if (!window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) return;
        await send('DELETE', `${API}${endpoint.id}/`);
        if (selected && selected.id === endpoint.id) hideDetail();
        await loadEndpoints();
      })));
    row.append(actions);
    body.append(row);
  }
}

function revealSecret(secret) {
  document.getElementById('wh-secret-value').textContent = secret;
  document.getElementById('wh-secret').hidden = false;
}

function hideDetail() {
  selected = null;
  document.getElementById('wh-detail').hidden = true;
}

async function select(endpoint) {
  selected = endpoint;
  document.getElementById('wh-detail').hidden = false;
  document.getElementById('wh-detail-heading').textContent = `Recent messages to ${endpoint.url}`;
  document.getElementById('wh-attempts').hidden = true;
  await loadMessages();
}

async function loadMessages() {
  const page = await getJson(`${API}${selected.id}/messages?limit=50`);
  const body = document.querySelector('#wh-messages tbody');
  body.replaceChildren();
  for (const message of page.content.results) {
    const row = el('tr');
    row.dataset.id = message.id;
    row.append(el('td', message.id), el('td', message.event_type), el('td', message.status),
      el('td', String(message.attempts)));
    const actions = el('td');
    actions.append(
      button('Attempts', () => guarded(() => showAttempts(message))),
      button('Retry', () => guarded(async () => { await send('POST', `${API}${selected.id}/messages/${message.id}/retry`); await loadMessages(); })));
    row.append(actions);
    body.append(row);
  }
}

async function showAttempts(message) {
  const page = await getJson(`${API}${selected.id}/messages/${message.id}/attempts`);
  const list = document.getElementById('wh-attempts-list');
  list.replaceChildren();
  for (const attempt of page.content.results) {
    const parts = [new Date(attempt.attempted_at).toLocaleString(), attempt.result,
      attempt.status_code !== null ? `HTTP ${attempt.status_code}` : null, `${attempt.duration_ms} ms`,
      attempt.error, attempt.next_attempt_at ? `next ${new Date(attempt.next_attempt_at).toLocaleString()}` : null];
    list.append(el('li', parts.filter((p) => p).join(' \u00b7 ')));
  }
  document.getElementById('wh-attempts-heading').textContent = `Attempts of ${message.id}`;
  document.getElementById('wh-attempts').hidden = false;
}

function checked(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}

function start() {
  if (!storedKey()) {
    show('Sign in on the activity feed page first (an API key with webhooks:manage).');
    return;
  }
  document.getElementById('wh-app').hidden = false;
  document.getElementById('wh-new').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    guarded(async () => {
      const created = await send('POST', API, {
        url: form.url.value.trim(),
        description: form.description.value.trim() || null,
        event_types: checked(form, 'event_types'),
        states: checked(form, 'states'),
      });
      revealSecret(created.content.secret);
      form.reset();
      await loadEndpoints();
    });
  });
  document.getElementById('wh-replay').addEventListener('submit', (event) => {
    event.preventDefault();
    const since = new Date(event.target.since.value);
    guarded(async () => {
      const replay = await send('POST', `${API}${selected.id}/replay`, { since: since.toISOString() });
      show('');
      document.getElementById('wh-detail-heading').textContent =
        `Recent messages to ${selected.url} (replay queued ${replay.content.queued})`;
      await loadMessages();
    });
  });
  guarded(loadEndpoints);
}

start();
