import { useEffect, useState } from 'preact/hooks';

/** Whole seconds left until `until`, rounded up: 00:00:00 shows exactly when the time is up, not a second before. */
export const secondsLeft = (until: string, now = Date.now()) => Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));

/** Time left until `until` as 23:59:58, ticking on the second boundaries of `until` itself. */
export function Countdown({ until, label = '剩余' }: { until: string; label?: string }) {
  const [left, setLeft] = useState(() => secondsLeft(until));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const ms = Date.parse(until) - Date.now();
      setLeft(secondsLeft(until));
      if (ms > 0) timer = setTimeout(tick, ms % 1000 || 1000);
    };
    tick();
    return () => clearTimeout(timer);
  }, [until]);
  const hh = String(Math.floor(left / 3600)).padStart(2, '0');
  const mm = String(Math.floor((left % 3600) / 60)).padStart(2, '0');
  const ss = String(left % 60).padStart(2, '0');
  return (
    <span class="countdown" role="timer" aria-label={`${label} ${hh} 小时 ${mm} 分 ${ss} 秒`}>
      {label} {hh}:{mm}:{ss}
    </span>
  );
}

/** True once `until` has passed by this phone's clock, flipping by itself (no reload) when it does. */
export function useTimeUp(until: string | null): boolean {
  const passed = () => until !== null && Date.parse(until) <= Date.now();
  const [up, setUp] = useState(passed);
  useEffect(() => {
    setUp(passed());
    if (until === null) return;
    const ms = Date.parse(until) - Date.now();
    if (ms <= 0) return;
    // setTimeout caps at ~24.8 days; a claim link lives 24 hours.
    const t = setTimeout(() => setUp(true), ms);
    return () => clearTimeout(t);
  }, [until]);
  return up;
}
