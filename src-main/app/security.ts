// The app's security settings beyond the window's own (window.ts): the CSP on every response, navigation
// and new windows refused (http(s) links open in the person's browser instead), and every permission
// request denied except clipboard writes asked for by the app's own page.
import { app, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../../shared/node/logger';
import { CONTENT_SECURITY_POLICY, isExternalLink, isOwnOrigin, isOwnPage } from './own-page';

/** The one permission the app's page may have: writing (sanitized) text to the clipboard. */
export const ALLOWED_PERMISSION = 'clipboard-sanitized-write';

/** Whether a permission request (or check) from `requestingUrl` is granted. */
export function isPermissionGranted(permission: string, requestingUrl: string | undefined): boolean {
  return permission === ALLOWED_PERMISSION && requestingUrl !== undefined && isOwnPage(requestingUrl);
}

/**
 * Installs the session-wide rules: the CSP header on every response webRequest sees (http and https:
 * the app's own scheme carries it from protocol.ts), and the permission handlers.
 */
export function secureSession(session: Session, logger?: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...withoutCsp(details.responseHeaders), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const isGranted = isPermissionGranted(permission, details.requestingUrl);
    if (!isGranted) logger?.warn('permission request denied', { permission, url: details.requestingUrl });
    callback(isGranted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    isOwnOrigin(requestingOrigin) && isPermissionGranted(permission, details.requestingUrl ?? `${requestingOrigin}/`),
  );
}

/** The headers minus any CSP of their own (header names are case-insensitive). */
function withoutCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const kept: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') kept[name] = values;
  }
  return kept;
}

/**
 * Locks one web contents down: it may not navigate away from the app's page, open windows or attach
 * webviews. A link to an http(s) page opens in the person's browser instead.
 */
export function secureWebContents(contents: WebContents, logger?: Logger): void {
  contents.on('will-navigate', (event, url) => {
    if (isOwnPage(url)) return;
    event.preventDefault();
    openOutside(url, logger);
  });
  contents.on('will-redirect', (event, url) => {
    if (isOwnPage(url)) return;
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url, logger);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/** Opens an http(s) link in the person's browser; anything else is refused and logged. */
export function openOutside(url: string, logger?: Logger): void {
  if (!isExternalLink(url)) {
    logger?.warn('navigation refused', { url });
    return;
  }
  shell.openExternal(url).catch((error: unknown) => logger?.warn('could not open a link in the browser', { url, error: String(error) })); // eng-disable OPEN_EXTERNAL_JS_CHECK -- only http(s) URLs get here (isExternalLink above)
}

/** Applies secureWebContents to every web contents the app ever creates, windows or not. */
export function secureAllWebContents(logger?: Logger): void {
  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, logger));
}
