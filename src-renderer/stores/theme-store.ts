// The colour theme: follow the system (default), or force light or dark. Kept in localStorage and applied
// as <html data-theme="..."> (styles/tokens.css reads it).
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'trailboard.theme';

function readChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

type ThemeState = {
  theme: ThemeChoice;
  setTheme: (choice: ThemeChoice) => void;
};

export const useThemeStore = create<ThemeState>()((set) => ({
  theme: readChoice(),
  setTheme: (choice) => {
    try {
      if (choice === 'system') window.localStorage.removeItem(STORAGE_KEY);
      else window.localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Storage can be unavailable (private windows): the choice still holds for this session.
    }
    applyTheme(choice);
    set({ theme: choice });
  },
}));
