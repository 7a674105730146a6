/**
 * Bounded process handling for the e2e: free loopback ports, services started with their output in a log
 * file and stopped by pid (process group) at the end, also on failure or Ctrl-C, commands with a timeout,
 * and polling with a deadline. Every wait has a timeout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (the OS picks it; the socket is closed before the service binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `intervalMs` until it returns a value (not undefined/false), or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const why = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`timed out after ${(timeoutMs / 1000).toFixed(0)}s waiting for ${what}${why}`);
}

/** A long-running process the run started. */
export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
  readonly child: ChildProcess;
  exited: boolean;
}

const services: Service[] = [];

/** Starts a service in its own process group, stdout and stderr appended to `log`. */
export function startService(
  name: string,
  command: string,
  args: readonly string[],
  log: string,
  env: NodeJS.ProcessEnv = process.env,
): Service {
  const fd = openSync(log, "a");
  const child = spawn(command, args, { detached: true, stdio: ["ignore", fd, fd], env });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const service: Service = { name, pid: child.pid, log, child, exited: false };
  child.on("exit", () => {
    service.exited = true;
  });
  child.on("error", () => {
    service.exited = true;
  });
  services.push(service);
  return service;
}

/** The last lines of a service's log, for error messages. */
export function logTail(log: string, lines = 15): string {
  try {
    return readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Stops a service by pid: SIGTERM to its group, SIGKILL after `graceMs`. Resolves when it exited. */
export async function stopService(service: Service, graceMs = 15_000): Promise<void> {
  if (service.exited) return;
  const gone = new Promise<void>((r) => service.child.once("exit", () => r()));
  try {
    process.kill(-service.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = sleep(graceMs).then(() => "timeout" as const);
  if ((await Promise.race([gone.then(() => "exited" as const), timer])) === "timeout") {
    try {
      process.kill(-service.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await Promise.race([gone, sleep(5000)]);
  }
}

/** Stops every service the run started, last started first (the API server before etcd). */
export async function stopAll(): Promise<string[]> {
  const stopped: string[] = [];
  for (const s of [...services].reverse()) {
    if (s.exited) continue;
    await stopService(s);
    stopped.push(`${s.name} (pid ${s.pid})`);
  }
  return stopped;
}

/** Synchronous last resort on exit: SIGKILL whatever is still running (only our own pids). */
export function killAllNow(): void {
  for (const s of services) {
    if (s.exited) continue;
    try {
      process.kill(-s.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Result of a command. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  readonly timedOut: boolean;
}

/** A command running in the background, with its result to come. */
export interface RunningCommand {
  readonly pid: number;
  readonly result: Promise<CommandResult>;
  /** Output so far. */
  stdout(): string;
  kill(signal: NodeJS.Signals): void;
}

const commands = new Set<RunningCommand>();

/** Starts a command in its own process group; it is killed (group SIGKILL) after `timeoutMs`. */
export function startCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; input?: string },
): RunningCommand {
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let timedOut = false;
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    err += d;
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill("SIGKILL");
  }, options.timeoutMs);
  const running: RunningCommand = {
    pid: child.pid ?? -1,
    stdout: () => out,
    kill,
    result: new Promise((resolve) => {
      const finish = (code: number) => {
        clearTimeout(timer);
        commands.delete(running);
        resolve({ code, stdout: out, stderr: err, seconds: (Date.now() - started) / 1000, timedOut });
      };
      child.on("error", (e) => {
        err += `cannot run ${command}: ${e.message}`;
        finish(127);
      });
      child.on("close", (code, signal) => finish(code ?? (signal ? 128 : 1)));
    }),
  };
  commands.add(running);
  return running;
}

/** Runs a command to completion (bounded by `timeoutMs`). */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; input?: string },
): Promise<CommandResult> {
  return startCommand(command, args, options).result;
}

/** Kills every command still running (on failure or Ctrl-C). */
export function killCommandsNow(): void {
  for (const c of commands) c.kill("SIGKILL");
}
