// The bottom panel's tabs: the flame graph and go tool trace's analysis pages, on the same clock
// as the timeline (issue 16): Goroutines (by start function), Tasks & regions (histograms,
// instances, slow vs typical), MMU, Logs. Without an execution trace only the flame graph shows.
// Every figure comes from an engine query (engine/analysis.ts); a click moves the timeline there.

import { useState, type ReactNode } from 'react';
import { traceModel } from '../../store/selectors';
import { useSession } from '../session';
import { GoroutinesView } from './GoroutinesView';
import { LogsView } from './LogsView';
import { MmuView } from './MmuView';
import { TasksView } from './TasksView';
import './analysis.css';

export type AnalysisTab = 'flame' | 'goroutines' | 'tasks' | 'mmu' | 'logs';

const TABS: Array<{ id: AnalysisTab; label: string }> = [
  { id: 'flame', label: 'Flame graph' },
  { id: 'goroutines', label: 'Goroutines' },
  { id: 'tasks', label: 'Tasks & regions' },
  { id: 'mmu', label: 'MMU' },
  { id: 'logs', label: 'Logs' },
];

export function AnalysisPanel({ flame }: { flame: ReactNode }) {
  const traceId = useSession((s) => s.axis.traceId);
  const trace = useSession((s) => traceModel(s));
  const [tab, setTab] = useState<AnalysisTab>('flame');
  if (!trace || !traceId) return <>{flame}</>;
  const shown = tab;
  return (
    <div className="analysis-panel">
      <div className="analysis-tabs" role="tablist" aria-label="Bottom panel">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={t.id === shown}
            data-testid={`analysis-tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="analysis-body" role="tabpanel">
        {shown === 'flame' && flame}
        {shown === 'goroutines' && <GoroutinesView key={traceId} traceId={traceId} trace={trace} />}
        {shown === 'tasks' && <TasksView key={traceId} traceId={traceId} trace={trace} />}
        {shown === 'mmu' && <MmuView key={traceId} traceId={traceId} trace={trace} />}
        {shown === 'logs' && <LogsView key={traceId} traceId={traceId} trace={trace} />}
      </div>
    </div>
  );
}
