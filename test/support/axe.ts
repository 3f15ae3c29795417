/** axe-core run inside a playwright page: the accessibility rules (WCAG 2.x A/AA and best practices) on what it shows. */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';

export interface Violation {
  id: string;
  impact: Impact | null;
  help: string;
  /** One line per offending element: its selector and what is wrong with it. */
  nodes: string[];
}

/** Injects axe-core (once per document) and returns the violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: axe.source });
  // A browser-side expression: this file is type-checked without DOM types.
  const results = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as axe.AxeResults;
  return results.violations.map((v) => ({
    id: v.id,
    impact: (v.impact ?? null) as Impact | null,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
  }));
}

/** The serious and critical violations, as readable lines (empty when there are none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `[${v.impact}] ${v.id} (${v.help}) ${n}`));
}
