// The accounts on this device and the current one (who I am in it, its members). Fed by
// `accounts.list` / `account.get` and refreshed on the core's `accounts.changed` / `account.changed`
// pushes. Switching or creating an account is a command; the board store follows the change.
import { create } from 'zustand';
import type { AccountSummary, AccountView, Failure, Result } from '../../shared/api/contract';
import { api } from '../lib/api';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

type AccountState = {
  status: LoadStatus;
  error: Failure | null;
  accounts: AccountSummary[];
  /** The current account, me and its members; null until loaded. */
  current: AccountView | null;
  /** Loads the list and the current account (again). */
  load: () => Promise<void>;
  switchTo: (accountId: string) => Promise<Result<AccountSummary>>;
  create: (name: string, userName?: string) => Promise<Result<AccountSummary>>;
  /** Follows the core's pushes; returns the unsubscribe. */
  followPushes: () => () => void;
};

let loadSeq = 0;

// The core names only the open account; the others' names are remembered here from when they were open.
const NAMES_KEY = 'trailboard.accountNames';

function readNames(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(NAMES_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

function rememberName(accountId: string, name: string): void {
  try {
    const names = readNames();
    if (names[accountId] === name) return;
    names[accountId] = name;
    window.localStorage.setItem(NAMES_KEY, JSON.stringify(names));
  } catch {
    // Not essential: the switcher falls back to the person's name.
  }
}

/** How the switcher names an account: its name, the name it had when last open here, or whose it is. */
export function accountLabel(summary: AccountSummary): string {
  return summary.name ?? readNames()[summary.id] ?? `${summary.user.name}’s account`;
}

export const useAccountStore = create<AccountState>()((set, get) => ({
  status: 'idle',
  error: null,
  accounts: [],
  current: null,

  load: async () => {
    const seq = ++loadSeq;
    if (get().status !== 'ready') set({ status: 'loading', error: null });
    const [list, current] = await Promise.all([api.call('accounts.list', {}), api.call('account.get', {})]);
    if (seq !== loadSeq) return;
    if (!list.ok) {
      set({ status: 'error', error: list.error });
      return;
    }
    if (!current.ok) {
      set({ status: 'error', error: current.error, accounts: list.value });
      return;
    }
    rememberName(current.value.account.id, current.value.account.name);
    set({ status: 'ready', error: null, accounts: list.value, current: current.value });
  },

  switchTo: async (accountId) => {
    const result = await api.call('accounts.switch', { accountId });
    if (result.ok) await get().load();
    return result;
  },

  create: async (name, userName) => {
    const input = userName === undefined || userName === '' ? { name } : { name, userName };
    const result = await api.call('accounts.create', input);
    if (result.ok) await get().load();
    return result;
  },

  followPushes: () => {
    const reload = () => void get().load();
    const offAccounts = api.on('accounts.changed', reload);
    const offAccount = api.on('account.changed', reload);
    return () => {
      offAccounts();
      offAccount();
    };
  },
}));

/** The current account's id, or undefined until it is loaded. */
export function currentAccountId(): string | undefined {
  return useAccountStore.getState().current?.account.id;
}

/** The person using the current account on this device (for "You" in sentences), or undefined. */
export function currentUserId(): string | undefined {
  return useAccountStore.getState().current?.me.id;
}
