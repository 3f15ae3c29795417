/**
 * The stand-in's timers in one place, so close() cancels every sleep (a hung answer, a retry interval, a refund
 * settling later) and idle() can wait for the work they stand for.
 */
export class StandinTimers {
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private readonly work = new Set<Promise<unknown>>();
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves after `ms`, or at once when the stand-in closes. */
  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleepers.add(sleeper);
    });
  }

  /** Background work idle() waits for (a notification's deliveries, a refund settling). */
  track(p: Promise<unknown>): void {
    const tracked = p.catch(() => undefined).finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.all([...this.work]);
  }

  close(): void {
    this.closed = true;
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleepers.clear();
  }
}
