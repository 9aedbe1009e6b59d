import { describe, expect, it } from 'vitest';
import { activityLine } from './describe';

describe('tooltip numbers carry their unit and share (issue 20)', () => {
  it('says goroutines, each state’s share and what the average is over', () => {
    const a = {
      buckets: 2,
      bucketNs: 1_200_000,
      running: Float32Array.of(2, 0),
      runnable: Float32Array.of(0, 0),
      waiting: Float32Array.of(506, 0),
      syscall: Float32Array.of(0, 0),
    };
    expect(activityLine(a, 100)).toBe(
      'running 2.0 goroutines (0.4%) · runnable 0.0 (0.0%) · waiting 506.0 (99.6%) · syscall 0.0 (0.0%) (average over 1.20 ms)',
    );
    // An empty moment: no share to give.
    expect(activityLine(a, 1_500_000)).toBe(
      'running 0.0 goroutines · runnable 0.0 · waiting 0.0 · syscall 0.0 (average over 1.20 ms)',
    );
  });
});
