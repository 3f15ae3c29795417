import type { Deps } from '../shared/ports/deps';
import { DISPATCH_JOBS, SWEEP_JOB } from './functions';

export type DispatchReports = Record<string, unknown>;
export interface MaintenanceReport {
  sweep: unknown;
  dispatched: DispatchReports;
}

/** Runs each dispatcher function once. */
export async function runDispatchJobs(deps: Deps): Promise<DispatchReports> {
  const out: DispatchReports = {};
  for (const j of DISPATCH_JOBS) out[j.name] = await j.run(deps);
  return out;
}

/** The cleanup function followed by every dispatcher: what POST /dev/sweep and the local timer run. */
export async function runMaintenance(deps: Deps): Promise<MaintenanceReport> {
  const sweep = await SWEEP_JOB.run(deps);
  return { sweep, dispatched: await runDispatchJobs(deps) };
}
