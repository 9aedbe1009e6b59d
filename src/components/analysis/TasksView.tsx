// Go's /usertasks and /userregions pages, better: per task type and per region type (and start
// function), the count and the duration histogram in Go's log buckets; a bucket lists its
// instances, slowest first (capped, with "show more"); an instance zooms the timeline to it,
// selects its span and filters the lanes to its goroutines, and shows its goroutines, regions and
// logs. Incomplete tasks (begun or ended outside the trace) are in no bucket and listed apart.
// "Slow vs typical" compares the slowest instances of a type with the rest (./SlowTypicalView).

import { useState } from 'react';
import { formatDuration } from '../../base/units';
import type { InstanceList } from '../../engine/analysis';
import type { RegionInstance, TaskInstance } from '../../analysis/userTasks';
import type { TraceModel } from '../../model/trace';
import { useEngineQuery } from '../engine';
import { useSession } from '../session';
import { focusGoroutines, zoomTo } from './actions';
import { Histogram } from './Histogram';
import { SlowTypicalView, type SlowTarget } from './SlowTypicalView';

const STEP = 50;

interface Pick {
  kind: 'task' | 'region';
  type: string;
  startFunction: string | null;
  /** A bucket, or null with incomplete: the incomplete tasks. */
  bucket: number | null;
  incomplete: boolean;
}

const samePick = (a: Pick | null, b: Pick) =>
  a !== null &&
  a.kind === b.kind &&
  a.type === b.type &&
  a.startFunction === b.startFunction &&
  a.bucket === b.bucket &&
  a.incomplete === b.incomplete;

export function TasksView({ traceId, trace }: { traceId: string; trace: TraceModel }) {
  const { data } = useEngineQuery('taskTable', { trace: traceId });
  const [pick, setPick] = useState<Pick | null>(null);
  const [slow, setSlow] = useState<SlowTarget | null>(null);
  const placedDlv = useSession((s) => s.axis.dlv);
  const dlvFiles = placedDlv.filter((d) => d.offsetNs !== null);
  if (!data) {
    return (
      <p className="analysis-empty muted" aria-busy="true">
        Summarizing tasks and regions…
      </p>
    );
  }
  if (slow) {
    return <SlowTypicalView traceId={traceId} target={slow} onBack={() => setSlow(null)} />;
  }
  const toggle = (p: Pick) => setPick((cur) => (samePick(cur, p) ? null : p));
  const nothing = data.tasks.length === 0 && data.regions.length === 0;
  return (
    <div className="analysis-view tasks-view" data-testid="tasks-view">
      <div className="analysis-columns">
        <div className="analysis-scroll">
          {nothing && (
            <p className="analysis-empty muted">
              This trace has no user tasks or regions (runtime/trace NewTask, WithRegion).
            </p>
          )}
          {data.tasks.length > 0 && (
            <table className="analysis-table" data-testid="task-table">
              <caption>Tasks</caption>
              <thead>
                <tr>
                  <th scope="col">Task type</th>
                  <th scope="col">Count</th>
                  <th scope="col">Duration histogram (complete tasks)</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.tasks.map((t) => {
                  const p = (bucket: number | null, incomplete = false): Pick => ({
                    kind: 'task',
                    type: t.type,
                    startFunction: null,
                    bucket,
                    incomplete,
                  });
                  return (
                    <tr key={t.type} data-testid="task-type">
                      <td className="name-cell">{t.type || '(no type)'}</td>
                      <td className="num">
                        {t.count}
                        {t.incomplete > 0 && (
                          <button
                            type="button"
                            className={`link incomplete${samePick(pick, p(null, true)) ? ' active' : ''}`}
                            onClick={() => toggle(p(null, true))}
                            title="Tasks that began or ended outside the trace: in no bucket"
                          >
                            {t.incomplete} incomplete
                          </button>
                        )}
                      </td>
                      <td>
                        <Histogram
                          firstBucket={t.histogram.firstBucket}
                          counts={t.histogram.counts}
                          selected={
                            pick?.kind === 'task' && pick.type === t.type ? pick.bucket : null
                          }
                          onPick={(b) => toggle(p(b))}
                          label={`Durations of ${t.type} tasks`}
                        />
                      </td>
                      <td>
                        {t.complete > 1 && (
                          <button
                            type="button"
                            className="button small"
                            onClick={() =>
                              setSlow({
                                kind: 'task',
                                type: t.type,
                                startFunction: null,
                                dlv: null,
                              })
                            }
                            data-testid="slow-typical"
                          >
                            Slow vs typical
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {data.regions.length > 0 && (
            <table className="analysis-table" data-testid="region-table">
              <caption>Regions</caption>
              <thead>
                <tr>
                  <th scope="col">Region type</th>
                  <th scope="col">Start function</th>
                  <th scope="col">Count</th>
                  <th scope="col">Duration histogram</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.regions.map((r) => {
                  const p = (bucket: number): Pick => ({
                    kind: 'region',
                    type: r.type,
                    startFunction: r.startFunction,
                    bucket,
                    incomplete: false,
                  });
                  const here =
                    pick?.kind === 'region' &&
                    pick.type === r.type &&
                    pick.startFunction === r.startFunction;
                  return (
                    <tr key={`${r.type}\0${r.startFunction}`} data-testid="region-type">
                      <td className="name-cell">{r.type || '(no type)'}</td>
                      <td className="name-cell muted">{r.startFunction || '(before the trace)'}</td>
                      <td className="num">
                        {r.count}
                        {r.count > r.complete && (
                          <span
                            className="muted"
                            title="Open at an end of the trace: run to that end"
                          >
                            {' '}
                            ({r.count - r.complete} open)
                          </span>
                        )}
                      </td>
                      <td>
                        <Histogram
                          firstBucket={r.histogram.firstBucket}
                          counts={r.histogram.counts}
                          selected={here ? pick.bucket : null}
                          onPick={(b) => toggle(p(b))}
                          label={`Durations of ${r.type} regions`}
                        />
                      </td>
                      <td>
                        {r.count > 1 && (
                          <button
                            type="button"
                            className="button small"
                            onClick={() =>
                              setSlow({
                                kind: 'region',
                                type: r.type,
                                startFunction: r.startFunction,
                                dlv: null,
                              })
                            }
                          >
                            Slow vs typical
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {dlvFiles.map((d) => (
            <DlvFunctions
              key={d.fileId}
              fileId={d.fileId}
              offsetNs={d.offsetNs!}
              onSlow={(func) =>
                setSlow({
                  kind: 'dlv',
                  type: func,
                  startFunction: null,
                  dlv: { file: d.fileId, offsetNs: d.offsetNs! },
                })
              }
            />
          ))}
        </div>
        {pick && (
          <Instances
            key={JSON.stringify(pick)}
            traceId={traceId}
            trace={trace}
            pick={pick}
            onClose={() => setPick(null)}
          />
        )}
      </div>
    </div>
  );
}

function DlvFunctions(props: { fileId: string; offsetNs: number; onSlow(func: string): void }) {
  const { data } = useEngineQuery('dlvFunctions', { dlv: props.fileId });
  if (!data || data.length === 0) return null;
  return (
    <table className="analysis-table">
      <caption>dlv-traced functions</caption>
      <thead>
        <tr>
          <th scope="col">Function</th>
          <th scope="col">Calls</th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {data.slice(0, 50).map((f) => (
          <tr key={f.func}>
            <td className="name-cell">{f.func}</td>
            <td className="num">{f.calls}</td>
            <td>
              {f.calls > 1 && (
                <button type="button" className="button small" onClick={() => props.onSlow(f.func)}>
                  Slow vs typical
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Instances(props: { traceId: string; trace: TraceModel; pick: Pick; onClose(): void }) {
  const { pick, trace } = props;
  const [limit, setLimit] = useState(STEP);
  const [open, setOpen] = useState<number | null>(null);
  const setView = useSession((s) => s.setView);
  const setSelection = useSession((s) => s.setSelection);
  const setLanes = useSession((s) => s.setLanes);
  const setFlame = useSession((s) => s.setFlame);
  const actions = { setView, setSelection, setLanes, setFlame };
  const q = useEngineQuery('instances', {
    trace: props.traceId,
    kind: pick.kind,
    type: pick.type,
    startFunction: pick.startFunction,
    bucket: pick.bucket,
    incomplete: pick.incomplete,
    order: 'desc',
    limit,
  });
  const list: InstanceList | null = q.data;
  const what = pick.kind === 'task' ? 'task' : 'region';
  const heading = pick.incomplete
    ? `Incomplete ${pick.type} tasks`
    : `${pick.type} ${what}s${list?.bucketNs ? ` of ${formatDuration(list.bucketNs.minNs)} – ${formatDuration(list.bucketNs.maxNs)}` : ''}`;
  const show = (key: number, startNs: number, endNs: number, ids: number[], label: string) => {
    setOpen(key);
    zoomTo(actions, startNs, endNs, trace.durationNs);
    if (ids.length > 0) focusGoroutines(actions, ids, label);
  };
  return (
    <section className="instances" aria-label={heading} data-testid="instances">
      <header>
        <h3>{heading}</h3>
        <span className="muted">{list ? `${list.total}, slowest first` : '…'}</span>
        <button type="button" className="button small" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </header>
      <ol className="instance-list">
        {list?.tasks.map((t) => (
          <TaskItem
            key={t.task}
            traceId={props.traceId}
            t={t}
            open={open === t.task}
            onClick={() =>
              show(
                t.task,
                t.startNs,
                t.endNs,
                t.goroutines.map((g) => g.id),
                `of task ${t.id}`,
              )
            }
            onGoroutine={(id) => focusGoroutines(actions, [id], `G${id}`)}
          />
        ))}
        {list?.regions.map((r) => (
          <RegionItem
            key={r.region}
            traceId={props.traceId}
            r={r}
            open={open === r.region}
            onClick={() =>
              show(
                r.region,
                r.startNs,
                r.endNs,
                r.goroutineId >= 0 ? [r.goroutineId] : [],
                `G${r.goroutineId}`,
              )
            }
          />
        ))}
      </ol>
      {list && list.total > limit && (
        <button
          type="button"
          className="button small"
          onClick={() => setLimit((l) => l + STEP * 4)}
        >
          Show more ({list.total - limit} not shown)
        </button>
      )}
    </section>
  );
}

function TaskItem(props: {
  traceId: string;
  t: TaskInstance;
  open: boolean;
  onClick(): void;
  onGoroutine(id: number): void;
}) {
  const { t } = props;
  return (
    <li className={props.open ? 'open' : undefined}>
      <button type="button" className="instance" onClick={props.onClick} data-testid="instance">
        <span className="dur">{formatDuration(t.durationNs)}</span>
        <span>task {t.id}</span>
        <span className="muted">at {formatDuration(t.startNs)}</span>
        {!t.complete && <span className="badge">incomplete</span>}
      </button>
      {props.open && (
        <div className="instance-details">
          <div>
            Goroutines:{' '}
            {t.goroutines.map((g) => (
              <button
                key={g.goroutine}
                type="button"
                className="link"
                onClick={() => props.onGoroutine(g.id)}
              >
                G{g.id}
              </button>
            ))}
            {t.parentId !== null && t.parentId !== 0 && (
              <span className="muted"> · parent task {t.parentId}</span>
            )}
          </div>
          {t.regions.length > 0 && (
            <div>
              Regions:{' '}
              {t.regions.slice(0, 20).map((r) => (
                <span key={r.region} className="chip">
                  {r.type} {formatDuration(r.durationNs)} (G{r.goroutineId})
                </span>
              ))}
              {t.regions.length > 20 && <span className="muted"> +{t.regions.length - 20}</span>}
            </div>
          )}
          <WhyBrief traceId={props.traceId} kind="task" index={t.task} />
          {t.logs.length > 0 && (
            <ul className="log-lines">
              {t.logs.slice(0, 20).map((l) => (
                <li key={l.log}>
                  <span className="muted">{formatDuration(l.timeNs - t.startNs)}</span>{' '}
                  {l.category && <span className="chip">{l.category}</span>} {l.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}

function RegionItem(props: { traceId: string; r: RegionInstance; open: boolean; onClick(): void }) {
  const { r } = props;
  return (
    <li className={props.open ? 'open' : undefined}>
      <button type="button" className="instance" onClick={props.onClick} data-testid="instance">
        <span className="dur">{formatDuration(r.durationNs)}</span>
        <span>G{r.goroutineId}</span>
        <span className="muted">at {formatDuration(r.startNs)}</span>
        {r.taskId > 0 && <span className="muted">task {r.taskId}</span>}
        {!r.complete && <span className="badge">open at an end</span>}
      </button>
      {props.open && (
        <div className="instance-details">
          <WhyBrief traceId={props.traceId} kind="region" index={r.region} />
        </div>
      )}
    </li>
  );
}

/** Why the instance took its time: its goroutines' time by state, and what held it up. */
function WhyBrief(props: { traceId: string; kind: 'task' | 'region'; index: number }) {
  const { data } = useEngineQuery('instanceWhy', {
    trace: props.traceId,
    kind: props.kind,
    index: props.index,
  });
  if (!data) return null;
  const t = data.total;
  const causes = data.causes.filter((c) => c.share >= 0.01).slice(0, 3);
  const parts = [
    ['running', t.runningNs],
    ['runnable', t.runnableNs],
    ['syscall', t.syscallNs],
    ['blocked', t.blockedNs],
  ] as const;
  return (
    <div className="why-brief" data-testid="instance-why">
      <div>
        {parts
          .filter(([, ns]) => ns > 0)
          .map(([label, ns]) => `${label} ${formatDuration(ns)}`)
          .join(' · ')}
        {t.blockedByReason.length > 0 && (
          <span className="muted">
            {' '}
            (
            {t.blockedByReason
              .slice(0, 3)
              .map((r) => `${r.reason || 'unknown'} ${formatDuration(r.ns)}`)
              .join(', ')}
            )
          </span>
        )}
      </div>
      {causes.length > 0 && (
        <div>
          Held up by:{' '}
          {causes.map((c) => (
            <span key={`${c.goId}-${c.state}`} className="chip" title={c.startFunction}>
              G{c.goId} {c.state}
              {c.func ? ` in ${c.func}` : ''} {Math.round(c.share * 100)}%
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
