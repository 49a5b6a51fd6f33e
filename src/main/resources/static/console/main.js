// The activity-feed console: sign-in, the feed table with its filters, the session
// timeline dialog, exports and live updates.

import { ApiError, clearKey, download, getJson, storeKey, storedKey } from './api.js';
import {
  BROWSER_ZONE, deviceStateName, humanDuration, isoToHumanInput, localInputToUtc, parseHumanDuration, rangeText,
  showTimesInUtc, timeElement, utcToLocalInput,
} from './format.js';
import { LiveFeed } from './live.js';
import {
  DEFAULT_LIMIT, DEFAULT_ORDERING, ORDER_KEYS, PAGE_SIZES, QUALITIES, STATES, TEXT_FILTERS, locationQuery,
  parseConsoleState, parseView, primaryOrder, toggledOrdering, viewQuery,
} from './view.js';

const FEED = '/api/v2/rv-activity-feed/';
const EVENTS = '/api/v2/rv-session-events/';
const KEY_REFUSED = 'Your API key was not accepted (it is unknown or was revoked). Sign in again.';
const $ = (id) => document.getElementById(id);

const el = {
  signIn: $('sign-in'), signInForm: $('sign-in-form'), signInMessage: $('sign-in-message'), apiKey: $('api-key'),
  app: $('app'), topActions: $('top-actions'), signOut: $('sign-out'), live: $('live'), liveStatus: $('live-status'),
  filters: $('filters'), filtersToggle: $('filters-toggle'), filtersMessage: $('filters-message'),
  states: $('states'), qualities: $('video-qualities'), reset: $('reset'),
  heading: $('results-heading'), count: $('count'), limit: $('limit'), error: $('error'),
  table: $('sessions'), rows: $('rows'), status: $('status'), previous: $('previous'), next: $('next'),
  exportCsv: $('export-csv'), exportNdjson: $('export-ndjson'),
  exportEventsMenu: $('export-events-menu'), exportEventsNdjson: $('export-events-ndjson'),
  exportEventsCsv: $('export-events-csv'), exportEventsCef: $('export-events-cef'),
  detail: $('detail'), detailTitle: $('detail-title'), detailClose: $('detail-close'),
  detailStatus: $('detail-status'), detailFields: $('detail-fields'), timeline: $('timeline'),
};

const DATE_INPUTS = { created_at_gte: 'f-created-gte', created_at_lte: 'f-created-lte',
  updated_at_gte: 'f-updated-gte', updated_at_lte: 'f-updated-lte' };
const DURATION_INPUTS = { duration_gte: 'f-duration-gte', duration_lte: 'f-duration-lte' };
const TEXT_INPUTS = { reason: 'f-reason', device_name: 'f-device-name', created_by: 'f-created-by' };

let view = parseView(location.search);
// the open session and the time zone of the time columns, kept in the URL beside the view
let consoleState = parseConsoleState(location.search);
// live changes held back while the user reads (see liveChange)
const pending = new Set();
// whether opening the open session added a history entry (closing it then goes back)
let pushedSession = false;
let page = null;
let loadSequence = 0;
let loadController = null;
let retryTimer = null;
let refreshTimer = null;
let openRowId = null;
const changed = new Set();

const live = new LiveFeed({
  onSession: (session) => liveChange(session),
  status: (text) => {
    el.liveStatus.textContent = text;
    el.liveStatus.dataset.state = text.startsWith('Live') ? 'live' : text.startsWith('Paused') ? 'paused' : 'retry';
  },
  onUnauthorized: () => signedOut(KEY_REFUSED),
});

// ---- sign-in ----

function showSignIn(message) {
  el.app.hidden = true;
  el.topActions.hidden = true;
  el.signIn.hidden = false;
  el.signInMessage.hidden = !message;
  el.signInMessage.textContent = message || '';
  el.apiKey.value = '';
  el.apiKey.focus();
}

function signedOut(message) {
  clearKey();
  live.stop();
  if (loadController) loadController.abort();
  clearTimeout(retryTimer);
  if (el.detail.open) el.detail.close();
  page = null;
  el.rows.replaceChildren();
  showSignIn(message);
}

function showApp() {
  el.signIn.hidden = true;
  el.signInMessage.hidden = true;
  el.app.hidden = false;
  el.topActions.hidden = false;
  fillForm();
  if (el.live.checked) live.start();
  else live.stop();
}

el.signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = el.apiKey.value.trim();
  if (!key) return;
  storeKey(key);
  showApp();
  load({ focus: true });
});

el.signOut.addEventListener('click', () => signedOut('Signed out. The key was removed from this tab.'));

// ---- the form and the view ----

function buildChecks(container, name, values) {
  for (const value of values) {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = name;
    box.value = value;
    label.append(box, ` ${value.replace('_', ' ').toLowerCase()}`);
    container.append(label);
  }
}

function fillForm() {
  for (const box of el.states.querySelectorAll('input')) box.checked = view.states.includes(box.value);
  for (const box of el.qualities.querySelectorAll('input')) box.checked = view.video_qualities.includes(box.value);
  for (const [name, id] of Object.entries(TEXT_INPUTS)) $(id).value = view[name];
  for (const [name, id] of Object.entries(DURATION_INPUTS)) $(id).value = isoToHumanInput(view[name]);
  for (const [name, id] of Object.entries(DATE_INPUTS)) $(id).value = utcToLocalInput(view[name]);
  el.limit.value = String(PAGE_SIZES.includes(view.limit) ? view.limit : DEFAULT_LIMIT);
  el.filtersMessage.hidden = true;
}

/** The filters as entered, or null (with a message shown) if one cannot be read. */
function readForm() {
  const next = { ...view, offset: 0 };
  next.states = [...el.states.querySelectorAll('input:checked')].map((box) => box.value);
  next.video_qualities = [...el.qualities.querySelectorAll('input:checked')].map((box) => box.value);
  for (const [name, id] of Object.entries(TEXT_INPUTS)) next[name] = $(id).value.trim();
  const problems = [];
  for (const [name, id] of Object.entries(DURATION_INPUTS)) {
    try {
      next[name] = parseHumanDuration($(id).value) || '';
      $(id).removeAttribute('aria-invalid');
    } catch (error) {
      problems.push(error.message);
      $(id).setAttribute('aria-invalid', 'true');
    }
  }
  for (const [name, id] of Object.entries(DATE_INPUTS)) next[name] = localInputToUtc($(id).value) || '';
  el.filtersMessage.hidden = problems.length === 0;
  el.filtersMessage.textContent = problems.join(' ');
  return problems.length ? null : next;
}

function navigate(next) {
  view = next;
  consoleState = { ...consoleState, session: null };
  pushLocation();
  fillForm();
  load();
}

/** The view and the console's state into the address bar, as a new history entry. */
function pushLocation(replace = false) {
  const query = locationQuery(view, consoleState);
  const url = query ? `?${query}` : location.pathname;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

function applyFilters() {
  const next = readForm();
  if (next) navigate(next);
}

el.filters.addEventListener('submit', (event) => {
  event.preventDefault();
  applyFilters();
});

el.filters.addEventListener('change', (event) => {
  if (event.target.type === 'checkbox') applyFilters();
});

el.reset.addEventListener('click', () => {
  navigate({ ...parseView(''), ordering: view.ordering, limit: view.limit });
});

el.filtersToggle.addEventListener('click', () => {
  const open = el.filtersToggle.getAttribute('aria-expanded') !== 'true';
  el.filtersToggle.setAttribute('aria-expanded', String(open));
  el.filters.classList.toggle('open', open);
  // on a wide screen the filters are shown unless collapsed; remembered in this browser
  el.filters.classList.toggle('collapsed', !open);
  if (WIDE.matches) localStorage.setItem(FILTERS_COLLAPSED, String(!open));
});

el.limit.addEventListener('change', () => navigate({ ...view, limit: Number(el.limit.value), offset: 0 }));
el.previous.addEventListener('click', () => navigate({ ...view, offset: Math.max(0, view.offset - view.limit) }));
el.next.addEventListener('click', () => navigate({ ...view, offset: view.offset + view.limit }));

window.addEventListener('popstate', () => {
  const before = viewQuery(view);
  view = parseView(location.search);
  consoleState = parseConsoleState(location.search);
  pushedSession = false;
  applyTimeZone();
  fillForm();
  if (!storedKey()) return;
  if (viewQuery(view) !== before || !page) load();
  else render();
  if (consoleState.session) {
    if (openRowId !== consoleState.session) openDetail(consoleState.session, { fromUrl: true });
  } else if (el.detail.open) {
    el.detail.close();
  }
});

function buildSortButtons() {
  for (const th of el.table.querySelectorAll('th[data-key]')) {
    const key = th.dataset.key;
    if (!ORDER_KEYS.includes(key)) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    const label = document.createElement('span');
    label.textContent = th.textContent.trim();
    const arrow = document.createElement('span');
    arrow.className = 'arrow';
    arrow.setAttribute('aria-hidden', 'true');
    button.append(label, arrow);
    button.addEventListener('click', () => navigate({ ...view, ordering: toggledOrdering(view.ordering, key), offset: 0 }));
    th.replaceChildren(button);
  }
}

function showSortState() {
  const { key, descending } = primaryOrder(view.ordering);
  for (const th of el.table.querySelectorAll('th[data-key]')) {
    const active = th.dataset.key === key;
    if (active) th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    else th.removeAttribute('aria-sort');
    const arrow = th.querySelector('.arrow');
    if (arrow) arrow.textContent = active ? (descending ? '▼' : '▲') : '';
    const button = th.querySelector('button');
    if (button) {
      const name = button.firstChild.textContent;
      button.title = active ? `Sorted by ${name.toLowerCase()}, ${descending ? 'descending' : 'ascending'}; `
        + 'select to reverse' : `Sort by ${name.toLowerCase()}`;
    }
  }
}

// ---- loading and rendering ----

function filtersActive() {
  return view.states.length > 0 || view.video_qualities.length > 0
    || [...TEXT_FILTERS, ...Object.keys(DURATION_INPUTS), ...Object.keys(DATE_INPUTS)].some((name) => view[name]);
}

async function load({ quiet = false, focus = false } = {}) {
  const sequence = ++loadSequence;
  if (loadController) loadController.abort();
  loadController = new AbortController();
  clearTimeout(retryTimer);
  showSortState();
  if (!quiet) {
    el.table.setAttribute('aria-busy', 'true');
    el.status.textContent = 'Loading…';
    el.status.dataset.kind = 'loading';
  }
  try {
    const query = viewQuery(view);
    const body = await getJson(query ? `${FEED}?${query}` : FEED, loadController.signal);
    if (sequence !== loadSequence) return;
    page = body.content;
    pending.clear();
    showPending();
    el.error.hidden = true;
    render();
    if (focus) el.heading.focus();
  } catch (error) {
    if (error.name === 'AbortError' || sequence !== loadSequence) return;
    handleError(error, () => load({ quiet }));
  } finally {
    if (sequence === loadSequence) el.table.removeAttribute('aria-busy');
  }
}

function handleError(error, retry) {
  if (error instanceof ApiError && error.status === 401) {
    signedOut(KEY_REFUSED);
    return;
  }
  el.error.textContent = error.message || String(error);
  el.error.hidden = false;
  el.status.textContent = '';
  delete el.status.dataset.kind;
  if (error instanceof ApiError && error.status === 429 && retry) {
    retryTimer = setTimeout(retry, error.retryAfter * 1000);
  }
}

function render() {
  const focusedId = document.activeElement && document.activeElement.closest
    && document.activeElement.closest('#rows tr') ? document.activeElement.dataset.sessionId : null;
  const results = page.results || [];
  el.rows.replaceChildren(...results.map(row));
  el.count.textContent = rangeText(view.offset, results.length, page.count);
  el.previous.disabled = view.offset === 0;
  el.next.disabled = view.offset + results.length >= page.count;
  if (results.length === 0) {
    el.status.textContent = page.count > 0 ? 'This page is past the last session. Go to the previous page.'
      : filtersActive() ? 'No sessions match these filters' : 'No sessions yet. They appear here as devices report them.';
    el.status.dataset.kind = 'empty';
  } else {
    el.status.textContent = '';
    delete el.status.dataset.kind;
  }
  changed.clear();
  if (focusedId) {
    const again = el.rows.querySelector(`tr[data-session-id="${CSS.escape(focusedId)}"]`);
    if (again) again.focus();
  }
}

function cell(label, content, className) {
  const td = document.createElement('td');
  td.dataset.label = label;
  if (className) td.className = className;
  if (content instanceof Node) td.append(content);
  else {
    // a span, not a bare text node, so the stacked-card layout can place it
    const span = document.createElement('span');
    span.textContent = content === null || content === undefined || content === '' ? '—' : content;
    td.append(span);
  }
  return td;
}

function badge(state) {
  const span = document.createElement('span');
  span.className = `badge state-${String(state).toLowerCase()}`;
  span.textContent = state;
  return span;
}

function deviceCell(session) {
  const wrap = document.createElement('span');
  const name = document.createElement('span');
  name.className = 'device-name';
  name.textContent = session.device_name;
  wrap.append(name);
  if (session.device_alias) {
    const alias = document.createElement('span');
    alias.className = 'alias';
    alias.textContent = session.device_alias;
    wrap.append(' ', alias);
  }
  return wrap;
}

function row(session) {
  const tr = document.createElement('tr');
  tr.tabIndex = 0;
  tr.dataset.sessionId = session.session_id;
  tr.setAttribute('aria-label', `${session.device_name}, ${session.state}, created ${session.created_at}`);
  if (changed.has(session.session_id)) tr.classList.add('changed');
  tr.append(
    cell('Created', timeElement(session.created_at)),
    cell('Device', deviceCell(session), 'device'),
    cell('State', badge(session.state)),
    cell('Quality', session.video_quality),
    cell('Duration', humanDuration(session.duration), 'num'),
    cell('Reason', session.reason, 'reason'),
    cell('Created by', session.created_by),
    cell('Updated', timeElement(session.updated_at)),
  );
  return tr;
}

el.rows.addEventListener('click', (event) => {
  const tr = event.target.closest('tr[data-session-id]');
  if (tr && !window.getSelection().toString()) openDetail(tr.dataset.sessionId);
});

el.rows.addEventListener('keydown', (event) => {
  const tr = event.target.closest('tr[data-session-id]');
  if (!tr || event.target !== tr) return;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    openDetail(tr.dataset.sessionId);
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling;
    if (next) next.focus();
  }
});

// ---- the session dialog ----

async function openDetail(sessionId, { fromUrl = false } = {}) {
  openRowId = sessionId;
  if (!fromUrl && consoleState.session !== sessionId) {
    consoleState = { ...consoleState, session: sessionId };
    pushLocation();
    pushedSession = true;
  }
  el.detailTitle.textContent = 'Session';
  el.detailFields.replaceChildren();
  el.timeline.replaceChildren();
  el.detailStatus.textContent = 'Loading…';
  el.detailStatus.hidden = false;
  if (!el.detail.open) el.detail.showModal();
  try {
    const body = await getJson(`/api/v2/rv-sessions/${encodeURIComponent(sessionId)}/`);
    if (openRowId !== sessionId || !el.detail.open) return;
    showDetail(body.content);
    el.detailStatus.hidden = true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signedOut(KEY_REFUSED);
      return;
    }
    el.detailStatus.textContent = error.message || String(error);
  }
}

function showDetail(session) {
  el.detailTitle.textContent = session.device_name;
  const fields = [
    ['State', badge(session.state)],
    ['Device alias', session.device_alias],
    ['Device ID', session.device_id],
    ['Device state', deviceStateName(session.device_state)],
    ['Video quality', session.video_quality],
    ['Duration', humanDuration(session.duration)],
    ['Reason', session.reason],
    ['Created by', session.created_by],
    ['Updated by', session.updated_by],
    ['Created', timeElement(session.created_at)],
    ['Started', timeElement(session.started_at)],
    ['Ended', timeElement(session.ended_at)],
    ['Updated', timeElement(session.updated_at)],
    ['Session ID', session.session_id],
  ];
  for (const [name, value] of fields) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    el.detailFields.append(dt, dd);
  }
  const events = session.events || [];
  if (events.length === 0) {
    const li = document.createElement('li');
    li.textContent = 'No events recorded.';
    el.timeline.append(li);
  }
  for (const event of events) {
    const li = document.createElement('li');
    li.className = 'timeline-entry';
    const head = document.createElement('div');
    head.className = 'timeline-head';
    head.append(badge(event.state), ' ', timeElement(event.occurred_at));
    li.append(head);
    const meta = document.createElement('div');
    meta.className = 'timeline-meta';
    const parts = [];
    if (event.reason) parts.push(event.reason);
    if (event.by) parts.push(`by ${event.by}`);
    meta.textContent = parts.join(' · ');
    if (parts.length) li.append(meta);
    el.timeline.append(li);
  }
}

el.detailClose.addEventListener('click', () => el.detail.close());
el.detail.addEventListener('click', (event) => {
  // a click on the backdrop (outside the dialog's box) closes it
  if (event.target === el.detail) {
    const box = el.detail.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right
      && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) el.detail.close();
  }
});
el.detail.addEventListener('close', () => {
  const tr = openRowId && el.rows.querySelector(`tr[data-session-id="${CSS.escape(openRowId)}"]`);
  openRowId = null;
  if (consoleState.session) {
    consoleState = { ...consoleState, session: null };
    // closing undoes the opening's history entry, so Back does not reopen the session
    if (pushedSession) history.back();
    else pushLocation(true);
    pushedSession = false;
  }
  if (tr) tr.focus();
});

// ---- exports and live ----

async function exportAs(format, button) {
  const query = viewQuery(view, { paging: false });
  button.disabled = true;
  const text = button.textContent;
  button.textContent = 'Exporting…';
  try {
    await download(`${FEED}export?format=${format}${query ? `&${query}` : ''}`, `rv-activity-feed.${format}`);
  } catch (error) {
    handleError(error, null);
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

/** Every lifecycle event of the tenant (the events feed's export), whatever the view. */
async function exportEventsAs(format, button) {
  button.disabled = true;
  const text = button.textContent;
  button.textContent = 'Exporting…';
  try {
    await download(`${EVENTS}export?format=${format}`, `rv-session-events.${format}`);
    el.exportEventsMenu.open = false;
  } catch (error) {
    handleError(error, null);
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

el.exportCsv.addEventListener('click', () => exportAs('csv', el.exportCsv));
el.exportEventsNdjson.addEventListener('click', () => exportEventsAs('ndjson', el.exportEventsNdjson));
el.exportEventsCsv.addEventListener('click', () => exportEventsAs('csv', el.exportEventsCsv));
el.exportEventsCef.addEventListener('click', () => exportEventsAs('cef', el.exportEventsCef));
el.exportNdjson.addEventListener('click', () => exportAs('ndjson', el.exportNdjson));

el.live.addEventListener('change', () => {
  if (el.live.checked) {
    live.start();
    load({ quiet: true });
  } else {
    live.stop();
  }
});

// ---- details: date presets, time zone, live changes while reading ----

const WIDE = window.matchMedia('(min-width: 481px)');
const FILTERS_COLLAPSED = 'rvfeed.filtersCollapsed';
const PRESETS = { '24h': 86400000, '7d': 7 * 86400000, '30d': 30 * 86400000 };

for (const button of document.querySelectorAll('[data-preset]')) {
  button.addEventListener('click', () => {
    const preset = button.dataset.preset;
    const now = new Date();
    const from = preset === 'month' ? new Date(now.getFullYear(), now.getMonth(), 1)
      : new Date(now.getTime() - PRESETS[preset]);
    navigate({ ...view, offset: 0, created_at_gte: from.toISOString().replace('.000Z', 'Z'), created_at_lte: '' });
  });
}

function applyTimeZone() {
  showTimesInUtc(consoleState.utc);
  const zone = consoleState.utc ? 'UTC' : BROWSER_ZONE;
  for (const th of el.table.querySelectorAll('th[data-key=created_at], th[data-key=updated_at]')) {
    let span = th.querySelector('.zone-label');
    if (!span) {
      span = document.createElement('span');
      span.className = 'zone-label';
      th.append(span);
    }
    span.textContent = zone;
  }
  $('tz-toggle').textContent = consoleState.utc ? `Show local time (${BROWSER_ZONE})` : 'Show UTC';
  $('tz-toggle').setAttribute('aria-pressed', String(consoleState.utc));
}

$('tz-toggle').addEventListener('click', () => {
  consoleState = { ...consoleState, utc: !consoleState.utc };
  pushLocation(true);
  applyTimeZone();
  if (page) render();
});

/**
 * Is the user reading the table? On a page other than the first, with a session open,
 * with the keyboard focus on a row, with text of the table selected, or scrolled down
 * past the table's head: then live changes are announced instead of moving the rows.
 */
function reading() {
  if (view.offset > 0 || el.detail.open) return true;
  if (el.table.getBoundingClientRect().top < 0) return true;
  if (document.activeElement && el.rows.contains(document.activeElement)) return true;
  const selection = window.getSelection();
  return Boolean(selection && selection.toString() && el.table.contains(selection.anchorNode));
}

function liveChange(session) {
  if (session && session.session_id) changed.add(session.session_id);
  if (reading()) {
    if (session && session.session_id) pending.add(session.session_id);
    showPending();
    return;
  }
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => load({ quiet: true }), 300);
}

function showPending() {
  const button = $('pending');
  button.hidden = pending.size === 0;
  button.textContent = `${pending.size} new, show`;
}

$('pending').addEventListener('click', () => {
  pending.clear();
  showPending();
  if (view.offset > 0) navigate({ ...view, offset: 0 });
  else load({ quiet: true });
});

// ---- start ----

buildChecks(el.states, 'states', STATES);
buildChecks(el.qualities, 'video_qualities', QUALITIES);
buildSortButtons();
if (view.ordering === '') view.ordering = DEFAULT_ORDERING;
/** Wide: filters shown unless the user collapsed them; narrow: behind the button, closed. */
function syncFilters() {
  const shown = WIDE.matches && localStorage.getItem(FILTERS_COLLAPSED) !== 'true';
  el.filtersToggle.setAttribute('aria-expanded', String(shown));
  el.filters.classList.remove('open');
  el.filters.classList.toggle('collapsed', WIDE.matches && !shown);
}
WIDE.addEventListener('change', syncFilters);
syncFilters();
applyTimeZone();
if (storedKey()) {
  showApp();
  load();
  if (consoleState.session) openDetail(consoleState.session, { fromUrl: true });
} else {
  showSignIn();
}
