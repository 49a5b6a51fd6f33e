// Formatting and parsing of the feed's durations and times.

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(-?\d+(?:\.\d+)?)H)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/i;

/** Seconds in an ISO 8601 duration (PT10M30S, PT0.5S, P1D), or null if it is not one. */
export function isoToSeconds(iso) {
  if (typeof iso !== 'string') return null;
  const m = ISO_DURATION.exec(iso.trim());
  if (!m || iso.trim().toUpperCase() === 'P' || /T$/i.test(iso.trim())) return null;
  const [w, d, h, min, s] = m.slice(1).map((v) => (v ? Number(v) : 0));
  return w * 604800 + d * 86400 + h * 3600 + min * 60 + s;
}

/** "10 min 30 s", "2 h 5 min", "0.5 s"; "—" for null. */
export function humanDuration(iso) {
  const total = isoToSeconds(iso);
  if (total === null) return '—';
  if (total < 60) {
    const rounded = total < 10 ? Math.round(total * 10) / 10 : Math.round(total);
    return `${rounded} s`;
  }
  const whole = Math.round(total);
  const h = Math.floor(whole / 3600);
  const min = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  return s > 0 ? `${min} min ${s} s` : `${min} min`;
}

const HUMAN_PART = /(\d+(?:\.\d+)?)\s*(w|d|h|m|s)/gi;

/**
 * A duration as a person types it ("10m", "1h30m", "90s", "2d", "1.5h") or as ISO 8601,
 * converted to ISO 8601. Returns null for an empty value; throws for one it cannot read.
 */
export function parseHumanDuration(text) {
  const value = (text || '').trim();
  if (!value) return null;
  if (/^P/i.test(value)) {
    if (isoToSeconds(value) === null) throw new Error(`"${value}" is not an ISO 8601 duration.`);
    return value.toUpperCase();
  }
  const compact = value.replace(/\s+/g, '').toLowerCase()
    .replace(/(min|mins|minutes?)/g, 'm').replace(/(hours?|hrs?)/g, 'h')
    .replace(/(seconds?|secs?)/g, 's').replace(/(days?)/g, 'd').replace(/(weeks?)/g, 'w');
  let seconds = 0;
  let consumed = '';
  if (/^\d+(\.\d+)?$/.test(compact)) {
    // a bare number is minutes, the unit people mean most often for sessions
    seconds = Number(compact) * 60;
    consumed = compact;
  } else {
    for (const m of compact.matchAll(HUMAN_PART)) {
      const n = Number(m[1]);
      seconds += n * { w: 604800, d: 86400, h: 3600, m: 60, s: 1 }[m[2]];
      consumed += m[0];
    }
  }
  if (!consumed || consumed !== compact) {
    throw new Error(`"${value}" is not a duration; try 10m, 1h30m, 45s or PT10M.`);
  }
  return secondsToIso(seconds);
}

/** PT1H30M, PT0.5S, PT0S. */
export function secondsToIso(seconds) {
  const millis = Math.round(seconds * 1000);
  const h = Math.floor(millis / 3600000);
  const min = Math.floor((millis % 3600000) / 60000);
  const s = (millis % 60000) / 1000;
  let out = 'PT';
  if (h) out += `${h}H`;
  if (min) out += `${min}M`;
  if (s || out === 'PT') out += `${s}S`;
  return out;
}

/** An ISO duration shown back in the short form people type ("1h30m"); other text unchanged. */
export function isoToHumanInput(iso) {
  const total = isoToSeconds(iso);
  if (total === null) return iso || '';
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = Math.round((total % 60) * 1000) / 1000;
  const out = (h ? `${h}h` : '') + (min ? `${min}m` : '') + (s ? `${s}s` : '');
  return out || '0s';
}

const TIME_PARTS = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' };
let LOCAL_TIME = new Intl.DateTimeFormat(undefined, TIME_PARTS);
let LOCAL_TIME_YEAR = new Intl.DateTimeFormat(undefined, { ...TIME_PARTS, year: 'numeric' });
const THIS_YEAR = new Date().getFullYear();

/** The browser's IANA time zone. */
export const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Shows times in UTC (true) or in the browser's time zone (false, the default). */
export function showTimesInUtc(utc) {
  const zone = utc ? { timeZone: 'UTC' } : {};
  LOCAL_TIME = new Intl.DateTimeFormat(undefined, { ...TIME_PARTS, ...zone });
  LOCAL_TIME_YEAR = new Intl.DateTimeFormat(undefined, { ...TIME_PARTS, year: 'numeric', ...zone });
}

/** Esper's device states (DeviceStateEnumAndroid) by number. */
export const DEVICE_STATES = {
  0: 'Unspecified', 1: 'Online', 20: 'Disabled', 30: 'Beginning provisioning', 40: 'Configuring Google Play',
  50: 'Applying policies and installing apps', 60: 'Offline', 70: 'Factory reset in progress',
  80: 'Onboarding in progress', 90: 'Onboarding failed', 100: 'Onboarded', 110: 'Android for Work account added',
  120: 'Apps installed', 130: 'Branding processed', 140: 'Permission policy processed',
  150: 'Device policy processed', 160: 'Device settings processed', 170: 'Security policy processed',
  180: 'Phone policy processed', 190: 'Custom settings processed', 200: 'Registered',
};

/** "Offline (60)"; the number alone for a state Esper has not named; null for none. */
export function deviceStateName(state) {
  if (state === null || state === undefined) return null;
  return DEVICE_STATES[state] ? `${DEVICE_STATES[state]} (${state})` : String(state);
}

/** A <time> element showing the instant in the chosen time zone, UTC on hover. */
export function timeElement(rfc3339) {
  const el = document.createElement('time');
  if (!rfc3339) {
    el.textContent = '—';
    return el;
  }
  el.dateTime = rfc3339;
  el.title = rfc3339;
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) el.textContent = rfc3339;
  else el.textContent = (date.getFullYear() === THIS_YEAR ? LOCAL_TIME : LOCAL_TIME_YEAR).format(date);
  return el;
}

/** A datetime-local value (browser's time zone) as RFC 3339 UTC, or null. */
export function localInputToUtc(value) {
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

/** An RFC 3339 instant as a datetime-local value in the browser's time zone. */
export function utcToLocalInput(rfc3339) {
  if (!rfc3339) return '';
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
    + `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

const NUMBER = new Intl.NumberFormat('en');

/** "rows 41–60 of 2,841". */
export function rangeText(offset, shown, count) {
  if (count === 0) return 'No rows';
  if (shown === 0) return `No rows here (of ${NUMBER.format(count)})`;
  return `rows ${NUMBER.format(offset + 1)}–${NUMBER.format(offset + shown)} of ${NUMBER.format(count)}`;
}
