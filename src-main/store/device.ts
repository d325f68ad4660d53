// This device's identity in the data folder: its id (the HLC node and every event's deviceId) and, per
// account, the person who uses Trailboard here.
//
// Several threads of one process read and write device.json (the core's router thread reserves new
// accounts; an account thread rolls back a creation that failed, or records the local user of an import).
// So nothing keeps a copy to write back later: every change is a read-modify-write of the file as it is now
// (`updateDevice`), written atomically (writeFileAtomically: a temp file named for this process and thread,
// then a rename), so a reader never sees half a file and no writer puts a stale copy over another thread's
// change. (Changes are
// rare, small and never concurrent in practice: the router makes them one command at a time, and an account
// thread only while the router waits for it.)
import { mkdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../shared/ids';
import { writeFileAtomically } from '../../shared/node/atomic-file';
import type { Actor } from '../../shared/events';
import { listAccountIds } from './account-files';

export type DeviceFile = {
  deviceId: string;
  createdAt: string;
  /** The local person of each account on this device. */
  users: Record<string, Actor>;
  /** The name each account was created with here (for listing accounts that are not open). */
  accountNames?: Record<string, string>;
};

export const DEVICE_FILE_NAME = 'device.json';

/** device.json as it is now, or undefined when there is none yet. */
export function readDevice(dataDir: string): DeviceFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, DEVICE_FILE_NAME), 'utf8')) as Partial<DeviceFile>;
    if (typeof parsed.deviceId === 'string' && parsed.deviceId.length > 0) {
      return {
        deviceId: parsed.deviceId,
        createdAt: parsed.createdAt ?? '',
        users: parsed.users ?? {},
        accountNames: parsed.accountNames ?? {},
      };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return undefined;
}

export function readOrCreateDevice(dataDir: string, nowMs: number): DeviceFile {
  return readDevice(dataDir) ?? updateDevice(dataDir, nowMs, () => undefined);
}

/**
 * Applies `change` to device.json as it is on disk now (created with a new device id if missing) and writes
 * the result atomically; returns what was written.
 */
export function updateDevice(dataDir: string, nowMs: number, change: (device: DeviceFile) => void): DeviceFile {
  const device = readDevice(dataDir) ?? { deviceId: newId(nowMs), createdAt: new Date(nowMs).toISOString(), users: {} };
  change(device);
  writeDevice(dataDir, device);
  return device;
}

/** Writes the whole file: for setting up a folder no thread uses yet (tests); everything else uses `updateDevice`. */
export function writeDevice(dataDir: string, device: DeviceFile): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileAtomically(join(dataDir, DEVICE_FILE_NAME), JSON.stringify(device, null, 2));
}

/**
 * Reserves a new account: its id, its local user (this device's person) and its name are recorded in
 * device.json BEFORE the account's file exists. A crash before `account_created` is stored then leaves a file
 * this device can still open and finish creating (the store does, on opening it), never an account it
 * cannot open; a crash before the file exists leaves entries nothing lists (accounts are listed by file).
 */
export function reserveAccount(dataDir: string, nowMs: number, input: { name: string; userName: string }): { accountId: string; user: Actor } {
  const accountId = newId(nowMs);
  const user: Actor = { id: newId(nowMs), name: input.userName.trim() || 'You' };
  updateDevice(dataDir, nowMs, (device) => {
    device.users[accountId] = user;
    (device.accountNames ??= {})[accountId] = input.name.trim();
  });
  return { accountId, user };
}

/**
 * The account a core starts with: the folder's first account (by id) this device has a user for; on first run,
 * with none, a local account "My boards" reserved here (`isNew`: its file is still to be created), so the app
 * works with no server.
 */
export function startingAccount(dataDir: string, nowMs: number): { accountId: string; isNew: boolean } {
  const users = readDevice(dataDir)?.users ?? {};
  const first = listAccountIds(dataDir).find((id) => users[id] !== undefined);
  if (first !== undefined) return { accountId: first, isNew: false };
  return { accountId: reserveAccount(dataDir, nowMs, { name: 'My boards', userName: defaultUserName() }).accountId, isNew: true };
}

/** Removes a reservation whose creation failed (its file is gone). */
export function forgetAccount(dataDir: string, nowMs: number, accountId: string): void {
  updateDevice(dataDir, nowMs, (device) => {
    delete device.users[accountId];
    delete device.accountNames?.[accountId];
  });
}

/** The name of this computer's user, as the first account's person is called until they say otherwise. */
export function defaultUserName(): string {
  try {
    const name = userInfo().username.trim();
    return name.length > 0 ? name.charAt(0).toUpperCase() + name.slice(1) : 'You';
  } catch {
    return 'You';
  }
}
