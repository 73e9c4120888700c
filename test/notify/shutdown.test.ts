/**
 * The server's shutdown: a notifier that fails to close must not keep the journal from
 * committing and the database from closing (its lock released for the next server).
 */
import { withDataDirectoryLock } from '../../app/journal/database';
import { Notifier } from '../../app/notify/notifier';
import { startStack } from '../helpers/stack';

afterEach(() => {
  jest.restoreAllMocks();
});

test('a rejection while shutting down still closes the journal and the database, and is logged', async () => {
  const stack = await startStack();
  try {
    jest.spyOn(Notifier.prototype, 'close').mockRejectedValueOnce(new Error('notifier broke'));
    const journalClosed = jest.spyOn(stack.server.journal, 'close');
    await expect(stack.server.close()).rejects.toThrow('notifier broke');
    expect(journalClosed).toHaveBeenCalledTimes(1);
    // The lock is released: the database was closed too.
    expect(withDataDirectoryLock(stack.dataDir, () => 'free')).toBe('free');
    expect(stack.logs.records().find((r) => r.level === 'error')).toMatchObject({
      message: 'shutdown step failed; closing the journal anyway',
      error: expect.objectContaining({ message: 'notifier broke' }),
    });
  } finally {
    await stack.sim.close();
  }
});
