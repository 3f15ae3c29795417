/** Times are ISO-8601 UTC strings with millisecond precision; they sort lexicographically. */
export const iso = (d: Date): string => d.toISOString();
export const addSeconds = (at: string, seconds: number): string => new Date(Date.parse(at) + seconds * 1000).toISOString();
export const isAtOrAfter = (now: string, deadline: string): boolean => Date.parse(now) >= Date.parse(deadline);
