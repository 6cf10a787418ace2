import { constants } from "node:os";
import { maxTimerMs, OptionProblems } from "../config/option-problems.js";

/** Something the exit hooks can flush: a {@link Sink} fits. */
export interface ExitFlushTarget {
  /** Flushes within `timeoutMs`; may resolve with anything and should not reject (a rejection is ignored). */
  flush(timeoutMs: number): Promise<unknown>;
  /** When present, `beforeExit` flushes this target only while it has records queued or in flight. */
  health?(): { readonly queued: number; readonly inFlight: number };
}

/** Signals the hooks may handle. */
export type ExitSignal = "SIGTERM" | "SIGINT" | "SIGHUP";

/** Options of {@link installProcessExitHooks}. See {@link processExitHooksDefaults}. */
export interface ProcessExitHooksOptions {
  /** Deadline for flushing all targets on a signal or at `beforeExit`, in ms. Default 5000. */
  timeoutMs?: number;
  /** Signals to flush on before the default action runs. Default `["SIGTERM", "SIGINT"]`. */
  signals?: readonly ExitSignal[];
  /** Flush when the event loop runs dry (`process.on("beforeExit")`). Default true. */
  beforeExit?: boolean;
}

/**
 * Defaults of {@link ProcessExitHooksOptions}: 5 s (inside Kubernetes' 30 s and Docker's 10 s grace
 * periods, with room for the app's own shutdown), SIGTERM (orchestrators) and SIGINT (Ctrl-C), and
 * `beforeExit` (a script that simply ends).
 */
export const processExitHooksDefaults = Object.freeze({
  timeoutMs: 5000,
  signals: Object.freeze(["SIGTERM", "SIGINT"] as const),
  beforeExit: true,
} as const);

/** A handle on one installation; see {@link installProcessExitHooks}. */
export interface ProcessExitHooks {
  /** Adds a target to flush. */
  add(target: ExitFlushTarget): void;
  /** Stops flushing a target. */
  remove(target: ExitFlushTarget): void;
  /** Removes this installation; the process listeners go when no installation needs them. Idempotent. */
  uninstall(): void;
}

interface Installation {
  readonly targets: Set<ExitFlushTarget>;
  readonly timeoutMs: number;
  readonly signals: ReadonlySet<ExitSignal>;
  readonly beforeExit: boolean;
  /** A beforeExit flush ran out of time: do not try again (it would keep the process alive forever). */
  gaveUp: boolean;
}

// One set of process listeners shared by every installation, so that "no other listener" is decidable.
const installations = new Set<Installation>();
const signalListeners = new Map<ExitSignal, () => void>();
let beforeExitListener: (() => void) | undefined;
let watchingRemovals = false;
let signalFlushRunning = false;
let beforeExitRunning = false;

/**
 * Flushes the given targets when the process is about to end, so queued telemetry is not lost:
 *
 * - On each of `signals`: flushes every target within `timeoutMs`. If the app had no listener of
 *   its own for that signal when it arrived, then removes its own and re-raises the signal, so the
 *   process ends with the default behaviour and exit status (e.g. 143 for SIGTERM). If the app had
 *   one (`on` or `once`, even one Node already removed before calling it), the app decides when and
 *   how to exit: nothing is re-raised and `process.exitCode` is left alone. A second signal during
 *   the flush re-raises at once, again only when the app has no listener for it.
 * - On `beforeExit`: flushes targets that still hold records; the flush keeps the loop alive up to
 *   `timeoutMs`. After a timed-out round it stops trying for that installation.
 *
 * Turn it off by not calling it (the client will call it unless told not to). Installations share
 * one listener per event. Never throws after option checks; flush failures are ignored.
 * @throws TelemetryError `config_invalid` on bad options.
 */
export function installProcessExitHooks(targets: Iterable<ExitFlushTarget>, options: ProcessExitHooksOptions = {}): ProcessExitHooks {
  const problems = new OptionProblems("process exit hooks");
  problems.unknownKeys(options, ["timeoutMs", "signals", "beforeExit"]);
  const timeoutMs = options.timeoutMs ?? processExitHooksDefaults.timeoutMs;
  const signals = options.signals ?? processExitHooksDefaults.signals;
  const beforeExit = options.beforeExit ?? processExitHooksDefaults.beforeExit;
  problems.integer("timeoutMs", timeoutMs, 1, maxTimerMs, "5000");
  if (!Array.isArray(signals) || signals.some((s) => s !== "SIGTERM" && s !== "SIGINT" && s !== "SIGHUP")) {
    problems.add("signals", JSON.stringify(signals), '["SIGTERM", "SIGINT"]');
  }
  problems.boolean("beforeExit", beforeExit);
  problems.throwIfAny();

  const installation: Installation = { targets: new Set(targets), timeoutMs, signals: new Set(signals), beforeExit, gaveUp: false };
  installations.add(installation);
  syncListeners();
  return {
    add: (target) => void installation.targets.add(target),
    remove: (target) => void installation.targets.delete(target),
    uninstall: () => {
      installations.delete(installation);
      syncListeners();
    },
  };
}

function syncListeners(): void {
  const wanted = new Set<ExitSignal>();
  for (const i of installations) for (const s of i.signals) wanted.add(s);
  for (const [signal, listener] of signalListeners) {
    if (!wanted.has(signal)) {
      process.removeListener(signal, listener);
      signalListeners.delete(signal);
    }
  }
  for (const signal of wanted) {
    if (signalListeners.has(signal)) continue;
    const listener = (): void => onSignal(signal);
    signalListeners.set(signal, listener);
    process.on(signal, listener);
  }
  const wantRemovals = signalListeners.size > 0;
  if (wantRemovals !== watchingRemovals) {
    watchingRemovals = wantRemovals;
    if (wantRemovals) process.on("removeListener", noteRemoval);
    else process.removeListener("removeListener", noteRemoval);
  }
  const wantBeforeExit = [...installations].some((i) => i.beforeExit);
  if (wantBeforeExit && !beforeExitListener) {
    beforeExitListener = onBeforeExit;
    process.on("beforeExit", beforeExitListener);
  } else if (!wantBeforeExit && beforeExitListener) {
    process.removeListener("beforeExit", beforeExitListener);
    beforeExitListener = undefined;
  }
}

// Node removes a `once` listener just before calling it, so when a signal comes, the app's once-listeners
// that run before ours are gone by the time ours runs. Removals of others' listeners are noted here for the
// rest of the current tick: a signal's listeners all run in one tick, before this set is cleared.
const removedThisTick = new Set<string | symbol>();

function noteRemoval(event: string | symbol, listener: unknown): void {
  if (listener === signalListeners.get(event as ExitSignal) || !signalListeners.has(event as ExitSignal)) return;
  if (removedThisTick.size === 0) process.nextTick(() => removedThisTick.clear());
  removedThisTick.add(event);
}

/** Whether the app had a listener of its own for `signal` when it arrived (called from our listener). */
function appHandles(signal: ExitSignal): boolean {
  if (removedThisTick.has(signal)) return true;
  const ours = signalListeners.get(signal);
  return process.listeners(signal).some((l) => l !== ours);
}

function onSignal(signal: ExitSignal): void {
  const appDecides = appHandles(signal);
  if (signalFlushRunning) {
    if (!appDecides) reraise(signal);
    return;
  }
  signalFlushRunning = true;
  const relevant = [...installations].filter((i) => i.signals.has(signal));
  void flushAll(relevant, () => true).then(() => {
    signalFlushRunning = false;
    if (!appDecides) reraise(signal);
  });
}

function reraise(signal: ExitSignal): void {
  const ours = signalListeners.get(signal);
  if (ours) process.removeListener(signal, ours);
  signalListeners.delete(signal);
  if (process.listenerCount(signal) > 0) return; // the app added one meanwhile: it handles the signal
  try {
    process.kill(process.pid, signal);
  } catch {
    process.exit(128 + (constants.signals[signal] ?? 15));
  }
}

function onBeforeExit(): void {
  if (beforeExitRunning || signalFlushRunning) return;
  const relevant = [...installations].filter((i) => i.beforeExit && !i.gaveUp);
  const pending = (t: ExitFlushTarget): boolean => {
    try {
      const h = t.health?.();
      return h === undefined || h.queued + h.inFlight > 0;
    } catch {
      return true;
    }
  };
  if (!relevant.some((i) => [...i.targets].some(pending))) return;
  beforeExitRunning = true;
  void flushAll(relevant, pending).then((timedOut) => {
    beforeExitRunning = false;
    for (const i of timedOut) i.gaveUp = true;
  });
}

/** Flushes the selected targets of each installation within its deadline; resolves with the installations that timed out. Never rejects. */
async function flushAll(relevant: readonly Installation[], select: (t: ExitFlushTarget) => boolean): Promise<Installation[]> {
  const timedOut: Installation[] = [];
  await Promise.all(
    relevant.map(async (installation) => {
      let timer: NodeJS.Timeout | undefined;
      // A ref'd timer keeps the loop alive until the flush or the deadline, whichever is first.
      const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), installation.timeoutMs)));
      const flushes = [...installation.targets].filter(select).map(async (target) => {
        try {
          const report: unknown = await target.flush(installation.timeoutMs);
          return typeof report === "object" && report !== null && (report as { status?: unknown }).status === "timeout" ? "timeout" : "done";
        } catch {
          return "timeout"; // a target broke its promise not to reject; treat it as not flushed
        }
      });
      const outcome = await Promise.race([Promise.all(flushes), deadline]);
      clearTimeout(timer);
      if (outcome === "timeout" || outcome.includes("timeout")) timedOut.push(installation);
    }),
  );
  return timedOut;
}
