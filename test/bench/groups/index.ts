/**
 * The benchmark groups, in the order `npm run bench` runs them. A new group is one file in this folder exporting a
 * `BenchGroup`, plus one line here.
 */
import type { BenchGroup } from '../lib/group';
import { storageGroup } from './storage';
import { domainGroup } from './domain';
import { uiGroup } from './ui';

export const benchGroups: readonly BenchGroup[] = [storageGroup, domainGroup, uiGroup];
