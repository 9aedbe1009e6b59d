// User logs (runtime/trace Log, Logf): listed per task and per goroutine, searchable. The search
// takes a user pattern (RE2 syntax through base/pattern.ts, linear time; a plain string is a
// substring test) and matches it against the log's category and message. `tasksMatching` is Go's
// "Search log text" of /usertasks (src/cmd/trace/tasks.go, go1.27: taskMatches: the task's type,
// its regions' types, its logs' categories and messages), with a pattern instead of a substring.
// Log text comes from the trace: show it as text, never as HTML.

import { compileUserPattern, type UserPattern } from '../base/pattern';
import type { TraceModel } from '../model/trace';
import { logEntry, type LogEntry, type UserRegions, type UserTasks } from './userTasks';

export interface LogQuery {
  /** Only the logs of this task (Go's task ID; 0 is the background task). */
  taskId?: number;
  /** Only the logs of this goroutine (goroutine index). */
  goroutine?: number;
  /** Only logs in [t0, t1] (ns). */
  t0?: number;
  t1?: number;
  /** A user pattern (RE2) matched against the category and the message. */
  pattern?: string;
  ignoreCase?: boolean;
  /** At most this many (the first in time order). */
  limit?: number;
}

export interface LogList {
  /** Logs that matched (all of them, even beyond `limit`). */
  total: number;
  logs: LogEntry[];
}

/** Logs in time order that pass the query. Throws base/pattern's PatternError for a bad pattern. */
export function userLogs(m: TraceModel, q: LogQuery = {}): LogList {
  const lg = m.logs;
  const re: UserPattern | null =
    q.pattern === undefined || q.pattern === ''
      ? null
      : compileUserPattern(q.pattern, { ignoreCase: q.ignoreCase ?? false });
  // Each distinct string is tested once.
  const verdict = new Map<number, boolean>();
  const matches = (s: number): boolean => {
    let v = verdict.get(s);
    if (v === undefined) {
      v = (re as UserPattern).test(m.strings[s] ?? '');
      verdict.set(s, v);
    }
    return v;
  };
  const limit = q.limit ?? Infinity;
  const out: LogEntry[] = [];
  let total = 0;
  for (let i = 0; i < lg.length; i++) {
    if (q.taskId !== undefined && lg.task[i] !== q.taskId) continue;
    if (q.goroutine !== undefined && lg.goroutine[i] !== q.goroutine) continue;
    const t = lg.time[i] as number;
    if (q.t0 !== undefined && t < q.t0) continue;
    if (q.t1 !== undefined && t > q.t1) continue;
    if (re && !matches(lg.category[i] as number) && !matches(lg.message[i] as number)) continue;
    total++;
    if (out.length < limit) out.push(logEntry(m, i));
  }
  return { total, logs: out };
}

/**
 * Indexes (in `tasks`) of the tasks whose type, region types, or log categories or messages
 * match the pattern. Throws PatternError for a bad pattern.
 */
export function tasksMatching(
  m: TraceModel,
  tasks: UserTasks,
  regions: UserRegions,
  pattern: string,
  options: { ignoreCase?: boolean } = {},
): number[] {
  const re = compileUserPattern(pattern, options);
  const verdict = new Map<number, boolean>();
  const matches = (s: number): boolean => {
    let v = verdict.get(s);
    if (v === undefined) {
      v = re.test(s < 0 ? '' : (m.strings[s] ?? ''));
      verdict.set(s, v);
    }
    return v;
  };
  const lg = m.logs;
  const out: number[] = [];
  for (let k = 0; k < tasks.length; k++) {
    let hit = matches(tasks.type[k] as number);
    for (
      let j = tasks.regionStart[k] as number;
      !hit && j < (tasks.regionStart[k + 1] as number);
      j++
    ) {
      hit = matches(regions.type[tasks.regions[j] as number] as number);
    }
    for (let j = tasks.logStart[k] as number; !hit && j < (tasks.logStart[k + 1] as number); j++) {
      const i = tasks.logs[j] as number;
      hit = matches(lg.category[i] as number) || matches(lg.message[i] as number);
    }
    if (hit) out.push(k);
  }
  return out;
}
