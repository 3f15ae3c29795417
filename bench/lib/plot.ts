/**
 * Tiny chart helpers: data in, SVG file out, through vega-lite (compiled to a vega spec) and vega's headless
 * renderer. No browser, no canvas: text widths are estimated, which is fine for bench reports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { RESULTS_DIR } from './report';

/** One axis of a line chart. */
export interface AxisSpec {
  /** The data field plotted on this axis. */
  field: string;
  /** Axis title (defaults to the field name). */
  title?: string;
  /** `log` for a logarithmic axis (every value must be > 0); default `linear`. */
  scale?: 'linear' | 'log';
  /** `ordinal` plots the values as evenly spaced labels, in the order of first appearance; default `quantitative`. */
  type?: 'quantitative' | 'ordinal';
}

/** What {@link writeLineChartSvg} draws. */
export interface LineChartSpec {
  title: string;
  x: AxisSpec;
  y: AxisSpec;
  /** Draw one line per distinct value of this field (with a legend). */
  color?: { field: string; title?: string };
  /** The rows, one per point. */
  data: readonly Record<string, unknown>[];
  /** Pixels of the plot area; default 640 × 360. */
  width?: number;
  height?: number;
}

/** A bare file name (`http-latency.svg`) goes under bench/results/; a path with a directory is used as given. */
function outputPath(file: string): string {
  const path = file.includes('/') ? resolve(file) : resolve(RESULTS_DIR, file);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

/** Compiles a vega-lite spec and renders it headlessly to SVG markup. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function axisEncoding(a: AxisSpec, data: readonly Record<string, unknown>[]) {
  const type = a.type ?? 'quantitative';
  // Ordinal axes keep the order in which values first appear (e.g. p50, p90, p99, p99.9).
  const sort = type === 'ordinal' ? [...new Set(data.map((d) => String(d[a.field])))] : undefined;
  return {
    field: a.field,
    type,
    title: a.title ?? a.field,
    ...(sort ? { sort, axis: { labelAngle: 0 } } : {}),
    ...(a.scale === 'log' ? { scale: { type: 'log' as const } } : {}),
  };
}

/**
 * Writes a line chart (with points) as an SVG file and returns the path written.
 *
 * @example
 * await writeLineChartSvg('sweep.svg', {
 *   title: 'Sweep time by gift count',
 *   x: { field: 'gifts', title: 'overdue gifts' },
 *   y: { field: 'ms', title: 'ms', scale: 'log' },
 *   color: { field: 'store' },
 *   data: [{ gifts: 100, ms: 40, store: 'memory' }, { gifts: 1000, ms: 350, store: 'memory' }],
 * });
 */
export async function writeLineChartSvg(file: string, chart: LineChartSpec): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 640,
    height: chart.height ?? 360,
    background: 'white',
    data: { values: chart.data.map((d) => ({ ...d })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: axisEncoding(chart.x, chart.data),
      y: axisEncoding(chart.y, chart.data),
      ...(chart.color
        ? {
            color: {
              field: chart.color.field,
              type: 'nominal',
              title: chart.color.title ?? chart.color.field,
              legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0 },
            },
          }
        : {}),
    },
  };
  const path = outputPath(file);
  writeFileSync(path, await renderSvg(spec));
  return path;
}

/** One measured latency distribution: latency in ms at each percentile (0–100). */
export interface LatencySeries {
  name: string;
  points: readonly { percentile: number; ms: number }[];
}

/**
 * Writes a latency-distribution chart: x = percentile (evenly spaced p50, p90, p99, … so the tail is readable),
 * y = latency in ms on a log scale, one line per series. Points at 0 ms (below the histogram's resolution)
 * cannot sit on a log axis and are left out. Returns the path written.
 */
export async function writeLatencyChartSvg(file: string, opts: { title: string; series: readonly LatencySeries[] }): Promise<string> {
  const percentiles = [...new Set(opts.series.flatMap((s) => s.points.map((p) => p.percentile)))].sort((a, b) => a - b);
  const data = percentiles.flatMap((percentile) =>
    opts.series.flatMap((s) =>
      s.points
        .filter((p) => p.percentile === percentile && p.ms > 0)
        .map((p) => ({ percentile: `p${p.percentile}`, ms: p.ms, target: s.name })),
    ),
  );
  return writeLineChartSvg(file, {
    title: opts.title,
    x: { field: 'percentile', title: 'percentile', type: 'ordinal' },
    y: { field: 'ms', title: 'latency (ms, log scale)', scale: 'log' },
    color: { field: 'target' },
    data,
  });
}
