import { mainThreadCpuSeconds } from './thread-cpu';

export type PhaseRow = {
  phase: string;
  wallSeconds: number;
  mainCpuSeconds: number;
  /** Wall time the main thread was not running JavaScript: waiting on LevelDB's threads, or for a core. */
  mainWaitSeconds: number;
};

/**
 * Wall time and main-thread CPU spent in each named phase of a loop, summed over its turns: where a long run's time
 * goes, and how much of it the main thread spent waiting rather than working.
 */
export class PhaseTimes {
  private readonly totals = new Map<string, { wall: number; cpu: number }>();
  private wall = 0;
  private cpu = 0;

  /** Starts the first phase of a turn. */
  start(): void {
    this.wall = performance.now();
    this.cpu = mainThreadCpuSeconds();
  }

  /** Ends the phase running since start() or the last lap(), under `phase`, and starts the next. */
  lap(phase: string): void {
    const wall = performance.now();
    const cpu = mainThreadCpuSeconds();
    const total = this.totals.get(phase) ?? { wall: 0, cpu: 0 };
    total.wall += (wall - this.wall) / 1000;
    total.cpu += cpu - this.cpu;
    this.totals.set(phase, total);
    this.wall = wall;
    this.cpu = cpu;
  }

  rows(): PhaseRow[] {
    return [...this.totals].map(([phase, t]) => ({
      phase,
      wallSeconds: round(t.wall),
      mainCpuSeconds: round(t.cpu),
      mainWaitSeconds: round(Math.max(0, t.wall - t.cpu)),
    }));
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
