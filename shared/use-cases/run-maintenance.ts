import { EFFECT_KINDS, type EffectKind } from '../domain/gift';
import type { Deps } from '../ports/deps';
import { dispatchDueEffects, type DispatchReport } from './dispatch-effects';
import { sweepOverdueGifts, type SweepReport } from './sweep-overdue-gifts';

export interface MaintenanceReport {
  sweep: SweepReport;
  dispatched: Record<EffectKind, DispatchReport>;
}

/** Dispatches every kind of due effect once. */
export async function dispatchAllDueEffects(deps: Deps): Promise<Record<EffectKind, DispatchReport>> {
  const dispatched = {} as Record<EffectKind, DispatchReport>;
  for (const kind of EFFECT_KINDS) dispatched[kind] = await dispatchDueEffects(deps, kind);
  return dispatched;
}

/** The cleanup followed by every dispatcher, so effects the cleanup records go out in the same run. */
export async function runMaintenance(deps: Deps): Promise<MaintenanceReport> {
  const sweep = await sweepOverdueGifts(deps);
  return { sweep, dispatched: await dispatchAllDueEffects(deps) };
}
