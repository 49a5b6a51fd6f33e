// The Overview page: charts of GET /api/v2/rv-activity-stats/ over a time range, each with its
// numbers as a table; a bar, point or row opens the sessions page filtered to it. ECharts comes
// from the jar (/webjars/echarts/), tooltips render on the canvas (no inline styles, so the
// Content-Security-Policy holds).

import { ApiError, getJson, storedKey } from './api.js';
import { humanDuration } from './format.js';
import { isDark } from './theme.js';

const STATS = '/api/v2/rv-activity-stats/';
const STATES = ['INITIATED', 'ACKNOWLEDGED', 'ACTIVE', 'TERMINATED', 'FAILED'];
const COLORS = { INITIATED: '#8a94a6', ACKNOWLEDGED: '#5b8def', ACTIVE: '#f2a900', TERMINATED: '#2e9e5b',
  FAILED: '#d64545' };
const DAY = 86400000;
const RANGES = {
  '24h': { ms: DAY, bucket: 'hour' },
  '7d': { ms: 7 * DAY, bucket: 'day' },
  '30d': { ms: 30 * DAY, bucket: 'day' },
  '365d': { ms: 365 * DAY, bucket: 'month' },
};
// duration classes: [label, duration_gte, duration_lte]
const DURATIONS = [
  ['under 1 min', 'PT0S', 'PT59.999999S'],
  ['1-5 min', 'PT1M', 'PT4M59.999999S'],
  ['5-15 min', 'PT5M', 'PT14M59.999999S'],
  ['15-30 min', 'PT15M', 'PT29M59.999999S'],
  ['30-60 min', 'PT30M', 'PT59M59.999999S'],
  ['1 h or more', 'PT1H', ''],
];
const $ = (id) => document.getElementById(id);
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const charts = {};

const params = new URLSearchParams(location.search);
let range = RANGES[params.get('range')] ? params.get('range') : '7d';

/** The sessions page filtered: a query string of the feed's filters. */
function feedLink(filters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  return `/?${query.toString().replace(/%2C/gi, ',')}`;
}

/** An instant one microsecond before the given whole-second instant, in UTC. */
function justBefore(date) {
  return new Date(date.getTime() - 1).toISOString().replace(/\.(\d{3})Z$/, '.$1999Z');
}

function stats(query) {
  return getJson(`${STATS}?${query}`);
}

function chart(id) {
  if (!charts[id]) {
    charts[id] = window.echarts.init($(id), isDark() ? 'dark' : null, { renderer: 'canvas' });
  }
  return charts[id];
}

function table(containerId, testId, headers, rows) {
  const tableEl = document.createElement('table');
  tableEl.className = 'numbers';
  tableEl.dataset.testid = testId;
  const head = tableEl.createTHead().insertRow();
  headers.forEach((text, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    if (i > 0) th.className = 'num';
    head.append(th);
  });
  const body = tableEl.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.cells.forEach((value, i) => {
      const td = tr.insertCell();
      if (i === 0 && row.href) {
        const a = document.createElement('a');
        a.href = row.href;
        a.textContent = value;
        td.append(a);
      } else {
        td.textContent = value;
      }
      if (i > 0) td.className = 'num';
    });
  }
  $(containerId).replaceChildren(tableEl);
}

function bucketLabel(key, bucket) {
  const date = new Date(key);
  const options = { hour: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
    day: { month: 'short', day: 'numeric' }, month: { year: 'numeric', month: 'short' } }[bucket];
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone }).format(date);
}

const percent = (rate) => (rate === null ? '–' : `${(rate * 100).toFixed(1)} %`);

async function load() {
  const { ms, bucket } = RANGES[range];
  for (const button of document.querySelectorAll('[data-range]')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === range));
  }
  $('bucket-name').textContent = bucket;
  $('zone').textContent = `Times in ${zone}`;
  const now = new Date();
  const from = new Date(now.getTime() - ms).toISOString();
  const until = now.toISOString();
  const window = `created_at_gte=${encodeURIComponent(from)}&created_at_lte=${encodeURIComponent(until)}`;
  const base = { created_at_gte: from, created_at_lte: until };
  $('overview-error').hidden = true;
  try {
    const [periods, devices, users, ...durations] = await Promise.all([
      stats(`${window}&group_by=${bucket}&tz=${encodeURIComponent(zone)}&limit=1000`),
      stats(`${window}&group_by=device_name&limit=10`),
      stats(`${window}&group_by=created_by&limit=10`),
      ...DURATIONS.map(([, gte, lte]) => stats(`${window}&duration_gte=${gte}${lte ? `&duration_lte=${lte}` : ''}`)),
    ]);
    const total = periods.content.total;
    $('totals').textContent = `${total.count.toLocaleString()} sessions, ${percent(total.failure_rate)} of the ended ones failed, `
      + `median duration ${total.duration.p50 ? humanDuration(total.duration.p50) : '–'}`;
    showPeriods(periods.content, bucket, base);
    showDurations(durations.map((d) => d.content.total.count), base);
    showTop('chart-devices', 'table-devices', 'devices', devices.content.groups, 'device_name', base);
    showTop('chart-users', 'table-users', 'users', users.content.groups, 'created_by', base);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signedOut();
      return;
    }
    $('overview-error').textContent = error.message;
    $('overview-error').hidden = false;
  }
}

function showPeriods(content, bucket, base) {
  const groups = [...content.groups].sort((a, b) => Date.parse(a.key[bucket]) - Date.parse(b.key[bucket]));
  const links = groups.map((group, i) => {
    const start = new Date(group.key[bucket]);
    const gte = new Date(Math.max(start.getTime(), Date.parse(base.created_at_gte))).toISOString();
    // up to the next bucket with sessions: the same sessions as this bucket's
    const lte = (i + 1 < groups.length) ? justBefore(new Date(groups[i + 1].key[bucket])) : base.created_at_lte;
    return { created_at_gte: gte, created_at_lte: lte };
  });
  const labels = groups.map((group) => bucketLabel(group.key[bucket], bucket));
  const periods = chart('chart-periods');
  periods.setOption({
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { data: STATES },
    grid: { left: 48, right: 16, bottom: 32, top: 40 },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', minInterval: 1 },
    series: STATES.map((state) => ({ name: state, type: 'bar', stack: 'sessions', color: COLORS[state],
      data: groups.map((group) => group.states[state]) })),
  }, true);
  periods.off('click');
  periods.on('click', (event) => {
    location.href = feedLink({ ...links[event.dataIndex], states: event.seriesName });
  });
  table('table-periods', 'periods', ['Period', 'Sessions', ...STATES.map((s) => s.toLowerCase())],
    groups.map((group, i) => ({ href: feedLink(links[i]),
      cells: [labels[i], group.count, ...STATES.map((s) => group.states[s])] })));
  const failure = chart('chart-failure');
  failure.setOption({
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    grid: { left: 48, right: 16, bottom: 32, top: 16 },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    series: [{ name: 'Failure rate', type: 'line', color: COLORS.FAILED, connectNulls: false,
      data: groups.map((group) => (group.failure_rate === null ? null : +(group.failure_rate * 100).toFixed(2))) }],
  }, true);
  failure.off('click');
  failure.on('click', (event) => {
    location.href = feedLink({ ...links[event.dataIndex], states: 'TERMINATED,FAILED' });
  });
  table('table-failure', 'failure', ['Period', 'Ended', 'Failed', 'Failure rate'],
    groups.map((group, i) => ({ href: feedLink({ ...links[i], states: 'TERMINATED,FAILED' }),
      cells: [labels[i], group.states.TERMINATED + group.states.FAILED, group.states.FAILED,
        percent(group.failure_rate)] })));
}

function showDurations(counts, base) {
  const links = DURATIONS.map(([, gte, lte]) => feedLink({ ...base, duration_gte: gte, duration_lte: lte }));
  const durations = chart('chart-durations');
  durations.setOption({
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    grid: { left: 48, right: 16, bottom: 32, top: 16 },
    xAxis: { type: 'category', data: DURATIONS.map(([label]) => label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: 'Sessions', type: 'bar', color: '#1f5fbf', data: counts }],
  }, true);
  durations.off('click');
  durations.on('click', (event) => { location.href = links[event.dataIndex]; });
  table('table-durations', 'durations', ['Duration', 'Sessions'],
    DURATIONS.map(([label], i) => ({ href: links[i], cells: [label, counts[i]] })));
}

function showTop(chartId, tableId, testId, groups, key, base) {
  const names = groups.map((group) => group.key[key] ?? '(none)');
  const links = groups.map((group) => (group.key[key] === null ? null : feedLink({ ...base, [key]: group.key[key] })));
  const top = chart(chartId);
  top.setOption({
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    grid: { left: 8, right: 24, bottom: 16, top: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: [...names].reverse() },
    series: [{ name: 'Sessions', type: 'bar', color: '#1f5fbf',
      data: groups.map((group) => group.count).reverse() }],
  }, true);
  top.off('click');
  top.on('click', (event) => {
    const link = links[groups.length - 1 - event.dataIndex];
    if (link) location.href = link;
  });
  table(tableId, testId, [key === 'created_by' ? 'Console user' : 'Device', 'Sessions', 'Failed',
    'Failure rate', 'Median duration'],
  groups.map((group, i) => ({ href: links[i], cells: [names[i], group.count, group.states.FAILED,
    percent(group.failure_rate), group.duration.p50 ? humanDuration(group.duration.p50) : '–'] })));
}

function signedOut() {
  $('overview').hidden = true;
  $('signed-out').hidden = false;
}

for (const button of document.querySelectorAll('[data-range]')) {
  button.addEventListener('click', () => {
    range = button.dataset.range;
    const query = new URLSearchParams(location.search);
    query.set('range', range);
    history.replaceState(null, '', `?${query}`);
    load();
  });
}
// a theme switch redraws the charts in the other theme
window.addEventListener('rvfeed-theme', () => {
  if ($('overview').hidden || Object.keys(charts).length === 0) return;
  for (const id of Object.keys(charts)) {
    charts[id].dispose();
    delete charts[id];
  }
  load();
});
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

if (!storedKey()) {
  signedOut();
} else {
  $('overview').hidden = false;
  load();
}
