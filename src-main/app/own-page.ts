// Which page is the app's own. The renderer is served from a privileged custom scheme,
// `app://trailboard/index.html` (protocol.ts), never from file:// or the web: the IPC sender check, the
// permission handlers and the navigation guards all ask these functions whether a URL is that page.
//
// Plain functions on strings, no electron import: the checks that matter most are the easiest to test.

export const APP_SCHEME = 'app';
export const APP_HOST = 'trailboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for a URL on the app's origin (any path): `app://trailboard/...`, nothing else. */
export function isOwnOrigin(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * True for the app's page itself: `app://trailboard/index.html` (or `/`), whatever its query or fragment.
 * Only that document may call the core, write to the clipboard or be navigated to.
 */
export function isOwnPage(url: string): boolean {
  if (!isOwnOrigin(url)) return false;
  const { pathname } = new URL(url);
  return pathname === '/index.html' || pathname === '/';
}

/** Links the app hands to the person's browser instead of following: http and https, nothing else. */
export function isExternalLink(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.host !== '';
}

/**
 * The Content Security Policy of the app's page, sent as a header with every document the app serves
 * (protocol.ts) and forced onto any http(s) response a page of the app's session receives (security.ts).
 * Scripts, styles, fonts and images come from the app's own files; no inline script, no eval (the
 * renderer needs none: inputs are validated in the core), no frames, no plugins, no form posts, and the
 * page talks to nothing but itself (the core is reached through the preload's bridge, not the network).
 * Inline `style` attributes are allowed (`style-src-attr`), as the renderer's own policy in its index.html
 * allows them: both policies apply, so this one must not be narrower than what the page was built for.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
