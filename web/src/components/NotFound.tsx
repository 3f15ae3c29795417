import type { ComponentChildren } from 'preact';

/** A page whose subject does not exist (a mistyped or stale link): say so, and offer the way back. */
export function NotFound({
  title,
  backHref,
  backLabel,
  children,
}: {
  title: string;
  backHref: string;
  backLabel: string;
  children?: ComponentChildren;
}) {
  return (
    <main>
      <section class="notice" role="alert">
        <h1>{title}</h1>
        {children}
        <p>
          <a class="button-link" href={backHref}>
            {backLabel}
          </a>
        </p>
      </section>
    </main>
  );
}
