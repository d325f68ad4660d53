// The app shell: a sidebar (accounts, boards, settings) and the main area (the board, its activity, or
// settings), with the card panel over the board. Routes are plain state: there is one window and no
// addresses to share. Global keys: Ctrl/Cmd+Z undoes the last action outside text fields.
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { ComponentType, ReactNode } from 'react';
import { ErrorState, LoadingState, Spinner, Toaster, isTextEntry } from './components';
import { BoardScreen } from './features/board/BoardScreen';
import { Sidebar } from './features/board/Sidebar';
import { api } from './lib/api';
import type { ConnectionState } from './lib/api';
import { ActivityFeed, CardPanel, SettingsPage } from './optional-features';
import { useAccountStore } from './stores/account-store';
import { useBoardStore } from './stores/board-store';
import { undoFromShortcut } from './stores/undo-store';

export type Route = 'board' | 'activity' | 'settings';

export function App() {
  const status = useAccountStore((state) => state.status);
  const error = useAccountStore((state) => state.error);
  const load = useAccountStore((state) => state.load);
  const boardId = useBoardStore((state) => state.boardId);
  const [route, setRoute] = useState<Route>('board');
  const [openCardId, setOpenCardId] = useState<string | null>(null);
  const openerRef = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const offAccounts = useAccountStore.getState().followPushes();
    const offBoards = useBoardStore.getState().followPushes();
    void useAccountStore.getState().load();
    void useBoardStore.getState().loadBoards();
    return () => {
      offAccounts();
      offBoards();
    };
  }, []);

  // Ctrl/Cmd+Z outside text fields: undo the last action. Inside one, the browser undoes typing.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const isUndoKey = (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'z';
      if (!isUndoKey || event.defaultPrevented || isTextEntry(event.target)) return;
      event.preventDefault();
      undoFromShortcut(event.target, isTextEntry);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  // The link to the core: say when it is down, and reload what is shown once it is back (pushes missed
  // meanwhile are not replayed).
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  useEffect(() => {
    let wasDown = false;
    return api.onConnection((state) => {
      setConnection(state);
      if (state === 'disconnected') wasDown = true;
      if (state === 'connected' && wasDown) {
        wasDown = false;
        void useAccountStore.getState().load();
        void useBoardStore.getState().loadBoards();
        void useBoardStore.getState().refresh();
      }
    });
  }, []);

  // Edit ▸ Undo in the Electron menu arrives as a push of the shell (the menu takes the key before the
  // page sees it).
  useEffect(() => api.on('menu.undo', () => undoFromShortcut(document.activeElement, isTextEntry)), []);

  const openCard = useCallback((cardId: string) => {
    const active = document.activeElement;
    openerRef.current = active instanceof HTMLElement ? active : null;
    setOpenCardId(cardId);
  }, []);

  const closeCard = useCallback(() => {
    const cardId = openCardId;
    setOpenCardId(null);
    // Focus goes back to the card that opened the panel (found again if its row was re-rendered).
    requestAnimationFrame(() => {
      const opener = openerRef.current;
      openerRef.current = null;
      if (opener && opener.isConnected) {
        opener.focus();
        return;
      }
      if (cardId !== null) document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(cardId)}"]`)?.focus();
    });
  }, [openCardId]);

  // Leaving a board closes its card.
  useEffect(() => {
    setOpenCardId(null);
  }, [boardId]);

  if (status === 'idle' || (status === 'loading' && useAccountStore.getState().current === null)) {
    return (
      <div className="tb-app tb-app--centered">
        <LoadingState label="Opening Trailboard…" />
        <Toaster />
      </div>
    );
  }

  if (status === 'error' && useAccountStore.getState().current === null) {
    return (
      <div className="tb-app tb-app--centered">
        <ErrorState
          title="Trailboard couldn’t open your data"
          message={error?.message ?? 'The app’s data could not be read.'}
          onRetry={() => void load()}
        />
        <Toaster />
      </div>
    );
  }

  return (
    <div className="tb-app">
      <a className="tb-skip-link" href="#tb-main">
        Skip to content
      </a>
      <Sidebar route={route} onNavigate={setRoute} />
      <main id="tb-main" className="tb-main" tabIndex={-1}>
        {connection === 'disconnected' ? (
          <div className="tb-connection" role="status">
            <Spinner size={14} isDecorative />
            Reconnecting to Trailboard… Changes can’t be saved until the connection is back.
          </div>
        ) : null}
        {route === 'settings' ? (
          <Optional view={SettingsPage} name="Settings">
            {(View) => <View />}
          </Optional>
        ) : (
          <BoardScreen
            tab={route === 'activity' ? 'activity' : 'board'}
            onTabChange={(tab) => setRoute(tab)}
            onOpenCard={openCard}
            openCardId={openCardId}
            renderActivity={(id) => (
              <Optional view={ActivityFeed} name="Activity">
                {(View) => <View boardId={id} onOpenCard={openCard} />}
              </Optional>
            )}
          />
        )}
      </main>
      {openCardId !== null && CardPanel ? (
        <div className="tb-panel-host">
          <Suspense fallback={<div className="tb-panel-loading"><LoadingState label="Opening card…" /></div>}>
            <CardPanel key={openCardId} cardId={openCardId} onClose={closeCard} />
          </Suspense>
        </div>
      ) : null}
      <Toaster />
    </div>
  );
}

function Optional<P extends object>({
  view,
  name,
  children,
}: {
  view: ComponentType<P> | null;
  name: string;
  children: (View: ComponentType<P>) => ReactNode;
}) {
  if (!view) {
    return <ErrorState title={`${name} isn’t available in this build`} message="This part of Trailboard is not installed." />;
  }
  return <Suspense fallback={<LoadingState />}>{children(view)}</Suspense>;
}
