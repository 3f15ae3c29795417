import type { ScheduledFunction } from '../shared/composition/function-manifest';
import type { Deps } from '../shared/ports/deps';

export interface MaintenanceReport {
  sweep: Record<string, unknown>;
  dispatched: Record<string, unknown>;
}

/** Runs the scheduled functions of one local group once, in manifest order. */
export async function runJobs(
  deps: Deps,
  jobs: readonly ScheduledFunction[],
  group: ScheduledFunction['localGroup'],
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of jobs) if (f.localGroup === group) out[f.name] = await f.job.run(deps);
  return out;
}

/** The cleanup followed by every dispatcher: what POST /dev/sweep and the local timer run. */
export async function runMaintenance(deps: Deps, jobs: readonly ScheduledFunction[]): Promise<MaintenanceReport> {
  const sweep = await runJobs(deps, jobs, 'cleanup');
  return { sweep, dispatched: await runJobs(deps, jobs, 'dispatch') };
}
