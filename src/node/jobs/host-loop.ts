/**
 * The loop of a job host process: waits for one `start`, loads the job's handler, runs it
 * under a JobControl (cancel, pause, resume from the parent), reports events and the
 * outcome, then exits. Transport-neutral: worker/host.ts adapts Node's fork channel or
 * Electron's utility-process port. Used by: worker/host.ts, test job hosts.
 */
import type { JobHandler } from '../../worker/job-types';
import { createJobControl, executeJob, type JobControl } from './control';
import { isHostCommand, type HostCommand, type HostReport } from './protocol';

export interface HostPort {
  send(report: HostReport): Promise<void>;
  onCommand(listener: (message: unknown) => void): void;
  /** Called when the parent goes away. */
  onDisconnect(listener: () => void): void;
  exit(code: number): void;
}

export type HandlerLoader = (kind: string) => Promise<JobHandler>;

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function serveJobHost(port: HostPort, load: HandlerLoader): void {
  let control: JobControl | undefined;
  let started = false;
  const finish = (report: HostReport, code: number): void => {
    port.send(report).then(
      () => port.exit(code),
      () => port.exit(code),
    );
  };

  const run = async (command: Extract<HostCommand, { type: 'start' }>, own: JobControl): Promise<void> => {
    let handler: JobHandler;
    try {
      handler = await load(command.kind);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      finish({ type: 'error', code: typeof code === 'string' ? code : 'UNAVAILABLE', message: errorMessage(e) }, 0);
      return;
    }
    const outcome = await executeJob(handler, command.request, {
      workspace: command.workspace,
      backend: command.backend,
      control: own,
      emit: (event) => void port.send({ type: 'event', event }).catch(() => undefined),
    });
    finish(outcome.ok ? { type: 'done', result: outcome.result } : { type: 'error', code: outcome.code, message: outcome.message }, 0);
  };

  port.onCommand((message) => {
    if (!isHostCommand(message)) return; // garbled: ignore rather than crash
    if (message.type === 'start') {
      if (started) return;
      started = true;
      control = createJobControl();
      void run(message, control);
      return;
    }
    if (message.type === 'cancel') control?.cancel();
    else if (message.type === 'pause') control?.pause();
    else control?.resume();
  });
  port.onDisconnect(() => {
    control?.cancel();
    setTimeout(() => port.exit(0), 1000).unref();
  });
}

/** Electron's utility-process port (absent under plain Node). */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function electronHostPort(parent: ParentPort): HostPort {
  return {
    send: (report: HostReport) => {
      parent.postMessage(report);
      return new Promise((done) => setImmediate(done));
    },
    onCommand: (listener) => parent.on('message', (event) => listener(event.data)),
    onDisconnect: () => undefined, // Electron ends utility processes with their parent
    exit: (code) => process.exit(code),
  };
}

function forkHostPort(): HostPort {
  return {
    send: (report: HostReport) =>
      new Promise((done, failed) => {
        if (!process.send || !process.connected) return failed(new Error('no parent channel'));
        process.send(report, undefined, {}, (e) => (e ? failed(e) : done()));
      }),
    onCommand: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
    exit: (code) => process.exit(code),
  };
}

/** The port to this process's parent: Electron's parentPort or Node's fork channel. */
export function currentHostPort(): HostPort | undefined {
  const parent = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parent) return electronHostPort(parent);
  return process.send ? forkHostPort() : undefined;
}

/**
 * Starts hosting in this process with the given loader; exits with a message when this
 * process is not a job host child. Also turns stray failures into reports.
 */
export function startJobHost(load: HandlerLoader): void {
  const port = currentHostPort();
  if (!port) {
    process.stderr.write('the job host runs only as a child process of Wavelet Studio\n');
    process.exit(2);
  }
  process.on('uncaughtException', (e) => reportFatal(port, e));
  process.on('unhandledRejection', (e) => reportFatal(port, e));
  serveJobHost(port, load);
}

/** Turns a failure outside the job's own promise into a report before the process dies. */
export function reportFatal(port: HostPort, e: unknown): void {
  port.send({ type: 'error', code: 'JOB_CRASHED', message: `the job failed: ${errorMessage(e)}` }).finally(() => port.exit(1));
}
