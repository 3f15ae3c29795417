import type { ComponentChildren } from 'preact';

/** A terminal or blocking state of a page, in words. */
export function Notice({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <section class="notice" aria-live="polite">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
