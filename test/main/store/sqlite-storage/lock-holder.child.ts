// Child process of lock.test.ts and bad-files.test.ts: another process using a data folder.
//
//   node lock-holder.child.mjs hold <dataFolder> <databaseName>[,<databaseName>…]
//     Opens `items` in each database, writes one document `held-<databaseName>` to each, prints
//     `READY {"pid","hostname"}`, then obeys stdin lines: `close <i>` closes the i-th instance (prints `CLOSED <i>`),
//     `exit` ends the process without closing anything (prints nothing).
//   node lock-holder.child.mjs try <dataFolder> <databaseName>
//     Opens, writes, reads back and closes; prints `RESULT {"ok":true}` or `RESULT {"ok":false,"error":{…}}`.
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { randomToken } from 'rxdb';
import { newItem, openItems, reportError, type ItemsInstance } from './durability-schema';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function hold(folder: string, databaseNames: string[]): Promise<void> {
  const instances: ItemsInstance[] = [];
  for (const databaseName of databaseNames) {
    const token = randomToken(10);
    const instance = await openItems(folder, databaseName, token);
    const response = await instance.bulkWrite([{ document: newItem(token, `held-${databaseName}`, 'held', 1) }], 'lock-holder');
    if (response.error.length > 0) throw new Error(`write failed: ${JSON.stringify(response.error[0])}`);
    instances.push(instance);
  }
  print(`READY ${JSON.stringify({ pid: process.pid, hostname: hostname() })}`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, argument] = line.trim().split(' ');
    if (command === 'close') {
      const index = Number(argument);
      await instances[index]?.close();
      print(`CLOSED ${index}`);
    } else if (command === 'exit') {
      process.exit(0);
    }
  }
}

async function tryOnce(folder: string, databaseName: string): Promise<void> {
  try {
    const token = randomToken(10);
    const instance = await openItems(folder, databaseName, token);
    const id = `try-${process.pid}`;
    const response = await instance.bulkWrite([{ document: newItem(token, id, 'try', 1) }], 'lock-try');
    if (response.error.length > 0) throw new Error(`write failed: ${JSON.stringify(response.error[0])}`);
    const found = await instance.findDocumentsById([id], false);
    await instance.close();
    if (found.length !== 1) throw new Error(`the document just written was not found`);
    print(`RESULT ${JSON.stringify({ ok: true })}`);
  } catch (error) {
    print(`RESULT ${JSON.stringify({ ok: false, error: reportError(error) })}`);
  }
}

const [mode, folder, names] = process.argv.slice(2);
if ((mode !== 'hold' && mode !== 'try') || !folder || !names) {
  throw new Error('usage: lock-holder.child.mjs hold|try <dataFolder> <databaseName>[,<databaseName>…]');
}
await (mode === 'hold' ? hold(folder, names.split(',')) : tryOnce(folder, names));
