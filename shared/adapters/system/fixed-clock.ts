import type { Clock } from '../../ports/clock';

/** A clock that only moves when told to: tests and replays drive expiry and backoff with it. */
export class FixedClock implements Clock {
  private ms: number;
  constructor(start: string | Date) {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
  set(at: string | Date): void {
    this.ms = new Date(at).getTime();
  }
}
