// The view state (filters, ordering, paging) and its query string, in the API's own names.

export const STATES = ['INITIATED', 'ACKNOWLEDGED', 'ACTIVE', 'TERMINATED', 'FAILED'];
export const QUALITIES = ['STANDARD', 'DATA_SAVER'];
export const ORDER_KEYS = ['created_at', 'updated_at', 'device_name', 'duration', 'state', 'reason',
  'video_quality', 'created_by'];
export const TEXT_FILTERS = ['reason', 'device_name', 'created_by'];
export const RANGE_FILTERS = ['duration_gte', 'duration_lte', 'created_at_gte', 'created_at_lte',
  'updated_at_gte', 'updated_at_lte'];
export const PAGE_SIZES = [20, 50, 100];
export const DEFAULT_ORDERING = '-created_at';
export const DEFAULT_LIMIT = 20;

/** The view in a query string (location.search); unknown parameters are dropped. */
export function parseView(search) {
  const params = new URLSearchParams(search);
  const list = (name, allowed) => params.getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toUpperCase())
    .filter((v) => allowed.includes(v));
  const view = {
    states: [...new Set(list('states', STATES))],
    video_qualities: [...new Set(list('video_qualities', QUALITIES))],
    ordering: params.get('ordering') || DEFAULT_ORDERING,
    limit: Number(params.get('limit')) || DEFAULT_LIMIT,
    offset: Math.max(0, Math.floor(Number(params.get('offset')) || 0)),
  };
  for (const name of [...TEXT_FILTERS, ...RANGE_FILTERS]) view[name] = params.get(name) || '';
  return view;
}

/** The query string of a view, omitting defaults; paging off for exports. */
export function viewQuery(view, { paging = true } = {}) {
  const params = new URLSearchParams();
  if (view.states.length) params.set('states', view.states.join(','));
  if (view.video_qualities.length) params.set('video_qualities', view.video_qualities.join(','));
  for (const name of [...TEXT_FILTERS, ...RANGE_FILTERS]) {
    if (view[name]) params.set(name, view[name]);
  }
  if (view.ordering && view.ordering !== DEFAULT_ORDERING) params.set('ordering', view.ordering);
  if (paging) {
    if (view.limit !== DEFAULT_LIMIT) params.set('limit', String(view.limit));
    if (view.offset) params.set('offset', String(view.offset));
  }
  // commas are fine in a query string and keep shared URLs readable
  return params.toString().replace(/%2C/gi, ',');
}

/**
 * The console's own state beside the view, also in the URL: the open session
 * (`session`) and the time zone of the time columns (`tz=utc`; absent: the browser's).
 */
export function parseConsoleState(search) {
  const params = new URLSearchParams(search);
  const session = params.get('session');
  return { session: session && /^[0-9a-f-]{36}$/i.test(session) ? session.toLowerCase() : null,
    utc: params.get('tz') === 'utc' };
}

/** The location's query string: the view and the console's state. */
export function locationQuery(view, state) {
  const params = new URLSearchParams(viewQuery(view));
  if (state.utc) params.set('tz', 'utc');
  if (state.session) params.set('session', state.session);
  return params.toString().replace(/%2C/gi, ',');
}

/** The primary ordering key and its direction: {key, descending}. */
export function primaryOrder(ordering) {
  const first = (ordering || DEFAULT_ORDERING).split(',')[0].trim();
  return first.startsWith('-') ? { key: first.slice(1), descending: true } : { key: first, descending: false };
}

/** The ordering after a click on a column: the same key toggles, another starts ascending. */
export function toggledOrdering(ordering, key) {
  const { key: current, descending } = primaryOrder(ordering);
  if (current === key) return descending ? key : `-${key}`;
  return key;
}
