/**
 * Times are ISO-8601 UTC strings with millisecond precision (`YYYY-MM-DDTHH:mm:ss.sssZ`, what Date#toISOString
 * writes); they sort lexicographically. Every document, API field and index key carries them in this form.
 *
 * A gift's lifecycle formats and parses a few dozen of them, and V8's toISOString (~470 ns) and Date.parse (~175 ns)
 * were 8 % of a lifecycle's CPU: the canonical form is formatted and read here by hand (~60 ns and ~15 ns), with the
 * day's `YYYY-MM-DDT` prefix cached. Anything outside the canonical form (years before 1970 or after 9999, offsets,
 * invalid dates) takes the built-in path, so results are exactly Date's.
 */

const DAY_MS = 86_400_000;
/** 1970-01-01 .. 9999-12-31: four-digit years, non-negative epoch days (the built-ins handle the rest). */
const FAST_MAX_MS = 253_402_300_800_000;

/** The `YYYY-MM-DDT` prefixes of the last two days formatted: a gift's instants fall on today and tomorrow (its expiry). */
const dayPrefix: (day: number) => string = lastTwo<number, string>(
  (day) => new Date(day * DAY_MS).toISOString().slice(0, 11),
  Number.NaN,
  '',
);

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/*
 * The last two instants formatted and parsed: a command reads the clock and compares against the same `now` many times
 * (every transition, timer and effect check), between instants a fixed step from it (a lease, a deadline), so most
 * calls repeat one of the previous two. Results are exact.
 */
function lastTwo<K, V>(compute: (key: K) => V, noKey: K, noValue: V): (key: K) => V {
  let a = noKey;
  let aValue = noValue;
  let b = noKey;
  let bValue = noValue;
  return (key) => {
    if (key === a) return aValue;
    if (key === b) return bValue;
    const value = compute(key);
    b = a;
    bValue = aValue;
    a = key;
    aValue = value;
    return value;
  };
}

/** Epoch milliseconds as the canonical ISO-8601 UTC string (identical to `new Date(ms).toISOString()`). */
export const isoOfMs: (ms: number) => string = lastTwo<number, string>(formatIso, Number.NaN, '');

function formatIso(ms: number): string {
  if (!(ms >= 0 && ms < FAST_MAX_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${dayPrefix(day)}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(rest - s * 1000)}Z`;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
/** Digits at 0-3, 5-6, 8-9, 11-12, 14-15, 17-18, 20-22 of a 24-character string. */
const DIGIT_POSITIONS = 0b11101101101101101101111;

/** True for `YYYY-MM-DDTHH:mm:ss.sssZ` with digits where digits belong (ranges are checked when parsing). */
function isCanonical(s: string): boolean {
  if (s.length !== 24) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return false;
  if (s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return false;
  for (let i = 0; i < 23; i++) {
    if ((DIGIT_POSITIONS >> i) & 1 && (s.charCodeAt(i) - 48) >>> 0 > 9) return false;
  }
  return true;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;

/**
 * Epoch milliseconds of an ISO-8601 string (identical to `Date.parse`, NaN when invalid). Before the first parse both
 * slots hold '' → NaN, which is what Date.parse('') answers.
 */
export const msOfIso: (at: string) => number = lastTwo<string, number>(parseIso, '', Number.NaN);

function parseIso(at: string): number {
  if (!isCanonical(at)) return Date.parse(at);
  const y = digit(at, 0) * 1000 + digit(at, 1) * 100 + digit(at, 2) * 10 + digit(at, 3);
  const mo = digit(at, 5) * 10 + digit(at, 6);
  const d = digit(at, 8) * 10 + digit(at, 9);
  const h = digit(at, 11) * 10 + digit(at, 12);
  const mi = digit(at, 14) * 10 + digit(at, 15);
  const s = digit(at, 17) * 10 + digit(at, 18);
  const ms = digit(at, 20) * 100 + digit(at, 21) * 10 + digit(at, 22);
  // Out-of-range fields (month 13, 24:01, Feb 30…) are Date.parse's to judge.
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return Date.parse(at);
  return daysFromCivil(y, mo, d) * DAY_MS + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;
}

export const iso = (d: Date): string => isoOfMs(d.getTime());
export const addSeconds = (at: string, seconds: number): string => isoOfMs(msOfIso(at) + seconds * 1000);
export const isAtOrAfter = (now: string, deadline: string): boolean => msOfIso(now) >= msOfIso(deadline);
