// The params the analysis tabs ask first, shared by the engine (which computes those answers as
// soon as a trace arrives: engine/queries.ts analysisWarmUp) and the page (which asks with the
// same params, so the answers are waiting in the engine's cache). Here because both sides may
// import base/, and the page may not import engine/ code.

/** go tool trace's /mmu defaults: STW, background workers and assists, system-wide. */
export const DEFAULT_MMU_FLAGS = {
  stw: true,
  background: true,
  assist: true,
  sweep: false,
  perProc: false,
} as const;

/** Points of the MMU curve (window sizes on a log axis from 1 µs to the trace's length). */
export const MMU_POINTS = 120;

/** The logs tab's first question: every task, no pattern, the first rows. */
export const DEFAULT_LOG_QUERY = {
  taskId: null,
  pattern: '',
  ignoreCase: true,
  limit: 500,
} as const;
