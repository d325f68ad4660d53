// Particulars of account events (eventable: the account; eventableId = accountId).
import { object, type Infer } from '../schema';
import { refSchema } from './common';

/** The account exists; `admin` is its first admin (for a local account, the person who created it). */
export const accountCreatedV1 = object({ account: refSchema, admin: refSchema });
export type AccountCreatedV1 = Infer<typeof accountCreatedV1>;
