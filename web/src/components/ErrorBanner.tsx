import { errorText } from '../texts';

/** A visible, announced error from the API's error code. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {errorText(error)}
    </p>
  );
}
