// Runs as a WORKER THREAD of the test's process (not a child process): adopts the data folder the test's thread
// holds and opens the same database file through a connection of its own, as a second account thread started on
// the same account would. Messages in: { write: [{ id, v, n }] } writes each as one insert, then answers
// { written: n }; { close: true } closes the instance and answers { closed: true }.
import { parentPort, workerData } from 'node:worker_threads';
import { randomToken } from 'rxdb';
import { adoptHeldDataFolder } from '../../../../src-main/store/sqlite-storage';
import { newItem, openItems, reportError } from './durability-schema';

type Order = { write: { id: string; v: string; n: number }[] } | { close: true };

const { folder, databaseName } = workerData as { folder: string; databaseName: string };
const port = parentPort!;
const release = adoptHeldDataFolder(folder);
const token = randomToken(10);
const instance = await openItems(folder, databaseName, token);

port.on('message', (order: Order) => {
  void (async () => {
    try {
      if ('write' in order) {
        for (const { id, v, n } of order.write) {
          const { error } = await instance.bulkWrite([{ document: newItem(token, id, v, n) }], 'second-connection');
          if (error.length > 0) throw new Error(`write of ${id} refused: ${JSON.stringify(error)}`);
        }
        port.postMessage({ written: order.write.length });
      } else {
        await instance.close();
        release();
        port.postMessage({ closed: true });
        port.close();
      }
    } catch (error) {
      port.postMessage({ error: reportError(error) });
    }
  })();
});
port.postMessage({ ready: true });
