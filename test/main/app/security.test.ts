// The session and web-contents rules against the stand-in electron module: navigation away from the app's
// page and new windows are refused (http(s) links go to the browser instead), every response carries the
// app's CSP, and no permission is granted except clipboard writes to the app's own page.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, APP_PAGE_URL, CONTENT_SECURITY_POLICY } from '../../../src-main/app/own-page';
import { secureAllWebContents, secureSession, secureWebContents } from '../../../src-main/app/security';
import { app, asSession, asWebContents, resetStandIn, shell, StandInSession, StandInWebContents, standInEvent } from './electron-stand-in';

vi.mock('electron', () => import('./electron-stand-in'));

beforeEach(() => resetStandIn());

function securedContents(): StandInWebContents {
  const contents = new StandInWebContents();
  contents.url = APP_PAGE_URL;
  secureWebContents(asWebContents(contents));
  return contents;
}

function navigate(contents: StandInWebContents, event: 'will-navigate' | 'will-redirect', url: string): boolean {
  const navigation = standInEvent();
  contents.emit(event, navigation, url);
  return navigation.isDefaultPrevented;
}

describe('navigation and new windows', () => {
  it('refuses navigating away and opens an http(s) link in the browser instead', async () => {
    const contents = securedContents();
    expect(navigate(contents, 'will-navigate', 'https://example.com/help')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'http://example.com/')).toBe(true);
    await Promise.resolve();
    expect(shell.opened).toEqual(['https://example.com/help', 'http://example.com/']);
  });

  it('refuses navigating to other schemes without opening anything', () => {
    const contents = securedContents();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://trailboard/other.html', 'smb://server/share', 'data:text/html,<p>hi']) {
      expect(navigate(contents, 'will-navigate', url)).toBe(true);
    }
    expect(shell.opened).toEqual([]);
  });

  it('lets the app’s own page load itself again (reload), nothing else', () => {
    const contents = securedContents();
    expect(navigate(contents, 'will-navigate', `${APP_PAGE_URL}#board`)).toBe(false);
    expect(navigate(contents, 'will-redirect', 'https://example.com/')).toBe(true);
    expect(shell.opened).toEqual([]);
  });

  it('denies every new window; an http(s) one opens in the browser', () => {
    const contents = securedContents();
    const handler = contents.windowOpenHandler;
    if (!handler) throw new Error('no window open handler');
    expect(handler({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(handler({ url: APP_PAGE_URL })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///tmp/x.html' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://example.com/docs']);
  });

  it('refuses to attach a webview', () => {
    const contents = securedContents();
    const attach = standInEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.isDefaultPrevented).toBe(true);
  });

  it('secures every web contents the app creates', () => {
    secureAllWebContents();
    const contents = new StandInWebContents();
    app.emit('web-contents-created', standInEvent(), contents);
    expect(navigate(contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' });
  });
});

describe('the session', () => {
  function securedSession(): StandInSession {
    const session = new StandInSession();
    secureSession(asSession(session));
    return session;
  }

  function request(session: StandInSession, permission: string, requestingUrl: string): boolean {
    let granted: boolean | undefined;
    session.permissionRequestHandler?.(null, permission, (isGranted) => (granted = isGranted), { requestingUrl, isMainFrame: true });
    if (granted === undefined) throw new Error('the request was not answered');
    return granted;
  }

  it('puts the app’s CSP on every response, replacing any other', () => {
    const session = securedSession();
    let headers: Record<string, string[]> | undefined;
    session.headersListener?.(
      { url: 'https://example.com/', responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('grants clipboard writes to the app’s page and nothing else to anyone', () => {
    const session = securedSession();
    expect(request(session, 'clipboard-sanitized-write', APP_PAGE_URL)).toBe(true);
    expect(request(session, 'clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(request(session, 'clipboard-sanitized-write', 'app://trailboard/other.html')).toBe(false);
    for (const permission of ['clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal', 'fullscreen', 'unknown']) {
      expect(request(session, permission, APP_PAGE_URL)).toBe(false);
    }
  });

  it('answers permission checks the same way', () => {
    const session = securedSession();
    const check = session.permissionCheckHandler;
    if (!check) throw new Error('no permission check handler');
    expect(check(null, 'clipboard-sanitized-write', APP_ORIGIN, { requestingUrl: APP_PAGE_URL, isMainFrame: true })).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', APP_ORIGIN, { isMainFrame: true })).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', 'https://evil.example', { requestingUrl: APP_PAGE_URL, isMainFrame: false })).toBe(false);
    expect(check(null, 'clipboard-read', APP_ORIGIN, { requestingUrl: APP_PAGE_URL, isMainFrame: true })).toBe(false);
    expect(check(null, 'notifications', APP_ORIGIN, { requestingUrl: APP_PAGE_URL, isMainFrame: true })).toBe(false);
  });

  it('has a strict CSP: nothing by default, no inline script or style elements, no eval, no frames', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-hashes|\*/);
    // The one concession: style attributes, which the renderer's own policy allows too.
    expect([...directives].filter(([, values]) => values.includes("'unsafe-inline'")).map(([name]) => name)).toEqual(['style-src-attr']);
  });
});
