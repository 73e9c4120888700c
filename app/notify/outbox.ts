/**
 * Where notifications wait until every target has them: in the journal's SQLite database
 * (table notification_outbox, migration 2 in app/journal/migrations.ts) so that what is due at a
 * shutdown or a crash is delivered after the restart, or in memory when the journal is degraded.
 *
 * Writes are few and small (an SD card): one insert per notification, one update when a target
 * settles while another still waits, one delete when the last one does. Retries write nothing.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { TARGET_NAMES, type TargetName } from './types';

export interface OutboxRecord {
  /** Delivery order (the row id). */
  seq: number;
  eventId: string;
  event: string;
  /** Epoch ms. */
  createdAt: number;
  /** Targets not yet settled (delivered, rejected or given up). */
  targets: TargetName[];
  /** The webhook body exactly as sent; title and message are read back from it. */
  body: string;
}

export interface Outbox {
  /** True when records survive a restart. */
  readonly durable: boolean;
  /** Stores a record and returns its seq. Throws when the write fails (the caller keeps it in memory). */
  add(record: Omit<OutboxRecord, 'seq'>): number;
  /** The targets still to settle; an empty list deletes the record. */
  update(seq: number, targets: readonly TargetName[]): void;
  /** Everything held, oldest first. */
  load(): OutboxRecord[];
}

function parseTargets(text: string): TargetName[] {
  return text.split(',').filter((t): t is TargetName => (TARGET_NAMES as readonly string[]).includes(t));
}

/** Over the journal's database handle (migrations already applied by whoever opened it). */
export class SqliteOutbox implements Outbox {
  readonly durable = true;
  private statements: {
    insert: StatementSync;
    update: StatementSync;
    remove: StatementSync;
    all: StatementSync;
  } | null = null;

  constructor(private readonly db: DatabaseSync) {}

  /** Prepared on first use, so a missing table surfaces as a failed write the notifier handles. */
  private get st() {
    this.statements ??= {
      insert: this.db.prepare(
        'INSERT INTO notification_outbox (event_id, event, created_at, targets, body) VALUES (?, ?, ?, ?, ?)',
      ),
      update: this.db.prepare('UPDATE notification_outbox SET targets = ? WHERE seq = ?'),
      remove: this.db.prepare('DELETE FROM notification_outbox WHERE seq = ?'),
      all: this.db.prepare(
        'SELECT seq, event_id, event, created_at, targets, body FROM notification_outbox ORDER BY seq',
      ),
    };
    return this.statements;
  }

  add(r: Omit<OutboxRecord, 'seq'>): number {
    const result = this.st.insert.run(r.eventId, r.event, r.createdAt, r.targets.join(','), r.body);
    return Number(result.lastInsertRowid);
  }

  update(seq: number, targets: readonly TargetName[]): void {
    if (targets.length === 0) this.st.remove.run(seq);
    else this.st.update.run(targets.join(','), seq);
  }

  load(): OutboxRecord[] {
    return this.st.all.all().map((row) => ({
      seq: Number(row.seq),
      eventId: String(row.event_id),
      event: String(row.event),
      createdAt: Number(row.created_at),
      targets: parseTargets(String(row.targets)),
      body: String(row.body),
    }));
  }
}

/** When the journal is degraded: same behaviour, lost at exit. One instance can outlive a Notifier. */
export class MemoryOutbox implements Outbox {
  readonly durable = false;
  private readonly records = new Map<number, OutboxRecord>();
  private nextSeq = 1;

  add(r: Omit<OutboxRecord, 'seq'>): number {
    const seq = this.nextSeq++;
    this.records.set(seq, { ...r, targets: [...r.targets], seq });
    return seq;
  }

  update(seq: number, targets: readonly TargetName[]): void {
    const record = this.records.get(seq);
    if (!record) return;
    if (targets.length === 0) this.records.delete(seq);
    else record.targets = [...targets];
  }

  load(): OutboxRecord[] {
    return [...this.records.values()].map((r) => ({ ...r, targets: [...r.targets] }));
  }

  get size(): number {
    return this.records.size;
  }
}

/** The SQLite outbox over the journal's handle, or the in-memory one when there is none. */
export function createOutbox(db: DatabaseSync | null): Outbox {
  return db ? new SqliteOutbox(db) : new MemoryOutbox();
}
