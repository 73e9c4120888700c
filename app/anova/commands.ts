/**
 * Command correlation over the cloud socket: one command in flight per cooker, in call order
 * (the cloud rate-limits by disconnecting, and the cooker applies commands one by one), each
 * settled by the RESPONSE carrying its top-level requestId.
 *
 * The deadline runs from the call, not from the send: a caller never waits longer than the
 * timeout in total, and a command whose deadline passed while queued is never sent.
 */
import { performance } from 'node:perf_hooks';
import { logContext, type Logger } from '../log';
import { CookerError, type CommandAck } from '../cooking/cooker';
import type { Frame } from './protocol';

/** A queued command with less time than this left is given up instead of being sent. */
const MIN_SEND_WINDOW_MS = 10;

export interface CommandTarget {
  cookerId: string;
  type: string;
}

export interface CommandTransport {
  /**
   * Writes one frame. Returns false when there is no open socket; calls `onWriteFailed` if the
   * write fails afterwards.
   */
  send(frame: Frame, onWriteFailed: () => void): boolean;
}

export interface CommandQueueOptions {
  transport: CommandTransport;
  newId: () => string;
  timeoutMs: number;
  logger: Logger;
}

interface Job {
  /** Command name, e.g. CMD_APC_START (for logs and error messages). */
  name: string;
  target: CommandTarget;
  build: (requestId: string) => Frame;
  resolve: (ack: CommandAck) => void;
  reject: (err: CookerError) => void;
  timer: NodeJS.Timeout;
  /** Monotonic ms at which the caller stops waiting. */
  deadline: number;
  calledAt: number;
  /** Set when sent. */
  requestId: string | null;
  settled: boolean;
  /** The caller's log context (its HTTP request id), for the lines written when the answer comes. */
  context: Readonly<Record<string, unknown>>;
}

export class CommandQueue {
  /** Per cooker, in call order; the head is the one in flight once it has a requestId. */
  private readonly queues = new Map<string, Job[]>();
  private readonly inFlight = new Map<string, Job>();

  constructor(private readonly opts: CommandQueueOptions) {}

  /** Queues a command; resolves on its "ok" RESPONSE, rejects with an CookerError otherwise. */
  submit(name: string, target: CommandTarget, build: (requestId: string) => Frame): Promise<CommandAck> {
    return new Promise<CommandAck>((resolve, reject) => {
      const now = performance.now();
      const job: Job = {
        name,
        target,
        build,
        resolve,
        reject,
        calledAt: now,
        deadline: now + this.opts.timeoutMs,
        requestId: null,
        settled: false,
        context: logContext(),
        timer: setTimeout(() => this.settle(job, this.timeoutError(job)), this.opts.timeoutMs),
      };
      const queue = this.queues.get(target.cookerId);
      if (queue) queue.push(job);
      else this.queues.set(target.cookerId, [job]);
      this.pump(target.cookerId);
    });
  }

  /**
   * Settles the command a RESPONSE answers. Returns false when no pending command has that
   * requestId (unknown, duplicate or late answers are ignored).
   */
  handleResponse(frame: Frame): boolean {
    const job = frame.requestId === undefined ? undefined : this.inFlight.get(frame.requestId);
    if (!job) return false;
    const status = statusOf(frame.payload);
    if (status === 'ok') {
      this.settle(job, { requestId: job.requestId as string });
    } else {
      const shown = describeStatus(status);
      this.settle(job, new CookerError('ANOVA_API_ERROR', `the Anova cloud rejected ${job.name} (status: ${shown})`));
    }
    return true;
  }

  /** Rejects every queued and in-flight command (socket lost, client closed). */
  failAll(err: CookerError): void {
    const jobs = [...this.queues.values()].flat();
    this.queues.clear();
    this.inFlight.clear();
    for (const job of jobs) this.complete(job, err);
  }

  /** Commands queued or in flight. */
  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  private pump(cookerId: string): void {
    const head = this.queues.get(cookerId)?.[0];
    if (!head || head.requestId !== null) return;
    if (head.deadline - performance.now() < MIN_SEND_WINDOW_MS) {
      // The caller stops waiting before any answer could arrive: do not send it at all.
      this.settle(head, this.timeoutError(head));
      return;
    }
    const requestId = this.opts.newId();
    head.requestId = requestId;
    this.inFlight.set(requestId, head);
    const unreachable = () =>
      this.settle(
        head,
        new CookerError('CLOUD_UNREACHABLE', `could not send ${head.name}: no connection to the cloud`),
      );
    const sent = this.opts.transport.send(head.build(requestId), unreachable);
    if (!sent) {
      unreachable();
      return;
    }
    this.opts.logger.debug('anova command sent', {
      ...head.context,
      command: head.name,
      anovaRequestId: requestId,
      cookerId,
    });
  }

  /** Removes a job from its queue, settles it, and lets the next command of that cooker go. */
  private settle(job: Job, outcome: CommandAck | CookerError): void {
    if (job.settled) return;
    const cookerId = job.target.cookerId;
    const queue = this.queues.get(cookerId);
    const wasHead = queue?.[0] === job;
    if (queue) {
      const i = queue.indexOf(job);
      if (i >= 0) queue.splice(i, 1);
      if (queue.length === 0) this.queues.delete(cookerId);
    }
    this.complete(job, outcome);
    if (wasHead) this.pump(cookerId);
  }

  private complete(job: Job, outcome: CommandAck | CookerError): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (job.requestId !== null) this.inFlight.delete(job.requestId);
    const fields = {
      ...job.context,
      command: job.name,
      anovaRequestId: job.requestId,
      cookerId: job.target.cookerId,
      ms: Math.round(performance.now() - job.calledAt),
    };
    if (outcome instanceof CookerError) {
      this.opts.logger.warn('anova command failed', { ...fields, code: outcome.code, sent: job.requestId !== null });
      job.reject(outcome);
    } else {
      this.opts.logger.info('anova command ok', fields);
      job.resolve(outcome);
    }
  }

  private timeoutError(job: Job): CookerError {
    const where = job.requestId === null ? 'while queued' : 'from the Anova cloud';
    return new CookerError('TIMEOUT', `no answer to ${job.name} ${where} within ${this.opts.timeoutMs} ms`);
  }
}

function statusOf(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null) return undefined;
  return (payload as Record<string, unknown>).status;
}

/** The upstream status, only when it is a short plain word; never other upstream text. */
function describeStatus(status: unknown): string {
  if (status === undefined) return 'missing';
  if (typeof status === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(status)) return JSON.stringify(status);
  return 'unrecognised';
}
