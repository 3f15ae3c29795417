import { useEffect, useState } from 'preact/hooks';

/** Time left until `until` as 23:59:58, ticking every second. */
export function Countdown({ until, label = '剩余' }: { until: string; label?: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  const hh = String(Math.floor(left / 3600)).padStart(2, '0');
  const mm = String(Math.floor((left % 3600) / 60)).padStart(2, '0');
  const ss = String(left % 60).padStart(2, '0');
  return (
    <span class="countdown" role="timer" aria-label={`${label} ${hh} 小时 ${mm} 分 ${ss} 秒`}>
      {label} {hh}:{mm}:{ss}
    </span>
  );
}
