// This device's identity in the data folder: its id (the HLC node and every event's deviceId) and, per
// account, the person who uses Trailboard here. Written atomically (temp file + rename).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../shared/ids';
import type { Actor } from '../../shared/events';

export type DeviceFile = {
  deviceId: string;
  createdAt: string;
  /** The local person of each account on this device. */
  users: Record<string, Actor>;
  /** The name each account was created with here (for listing accounts that are not open). */
  accountNames?: Record<string, string>;
};

export const DEVICE_FILE_NAME = 'device.json';

export function readOrCreateDevice(dataDir: string, nowMs: number): DeviceFile {
  const path = join(dataDir, DEVICE_FILE_NAME);
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DeviceFile>;
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
  const device: DeviceFile = { deviceId: newId(nowMs), createdAt: new Date(nowMs).toISOString(), users: {} };
  writeDevice(dataDir, device);
  return device;
}

export function writeDevice(dataDir: string, device: DeviceFile): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, DEVICE_FILE_NAME);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(device, null, 2));
  renameSync(temporary, path);
}
