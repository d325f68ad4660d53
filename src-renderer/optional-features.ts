// Views built by other parts of the renderer that the shell mounts when they exist: the card panel, the
// board activity feed and settings. `import.meta.glob` finds each file at build time (an empty match when
// it does not exist yet), and the view is code-split and loaded on first use.
import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';

type Loader = () => Promise<unknown>;

function isComponent<P>(value: unknown): value is ComponentType<P> {
  return typeof value === 'function' || (typeof value === 'object' && value !== null && '$$typeof' in value);
}

function pick<P>(loaders: Record<string, Loader>, exportNames: readonly string[]): LazyExoticComponent<ComponentType<P>> | null {
  const loader = Object.values(loaders)[0];
  if (!loader) return null;
  return lazy(async () => {
    const mod = await loader();
    if (typeof mod === 'object' && mod !== null) {
      for (const name of exportNames) {
        const candidate: unknown = Reflect.get(mod, name);
        if (isComponent<P>(candidate)) return { default: candidate };
      }
    }
    throw new Error(`None of ${exportNames.join(', ')} is exported by the module`);
  });
}

export type CardPanelProps = { cardId: string; onClose: () => void };
export type ActivityFeedProps = { boardId: string; onOpenCard: (cardId: string) => void };
export type SettingsPageProps = Record<string, never>;

export const CardPanel = pick<CardPanelProps>(import.meta.glob('./features/card/CardPanel.tsx'), ['CardPanel']);
export const ActivityFeed = pick<ActivityFeedProps>(import.meta.glob('./features/activity/ActivityFeed.tsx'), [
  'ActivityFeed',
  'BoardActivity',
]);
export const SettingsPage = pick<SettingsPageProps>(import.meta.glob('./features/settings/SettingsPage.tsx'), [
  'SettingsPage',
  'Settings',
]);
