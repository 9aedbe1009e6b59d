// Go's bare execution-trace reader, the speed anchor of `npm run bench` (issue 18): a program
// that reads every event with Go's own `internal/trace` Reader and nothing else
// (scripts/tracebench/main.go). `internal/trace` is importable only from inside GOROOT, and the
// brief allows no module downloads, so the program is copied into GOROOT/src/cmd/tracebench and
// built there against the cmd module's vendored dependencies (`GOFLAGS=-mod=vendor`). When GOROOT
// is not writable, the toolchain is copied to bench-data/goroot-<version> first.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoReader {
  /** The built binary. */
  bin: string;
  /** e.g. "go1.27.3". */
  version: string;
  /** How it was built, for the report. */
  how: string;
}

/** The Go toolchains scripts/get-go.sh unpacks, newest first. */
export const TOOLCHAINS = '/opt/go-toolchains/usr/lib';

function goVersion(goroot: string): string | null {
  const r = spawnSync(join(goroot, 'bin/go'), ['env', 'GOVERSION'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function writable(dir: string): boolean {
  try {
    const probe = join(dir, `.goroscope-probe-${process.pid}`);
    writeFileSync(probe, '');
    spawnSync('rm', ['-f', probe]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds (or reuses, when the source has not changed) the bare reader with the Go toolchain at
 * `goroot` into `outDir`. Throws with the build's output when it fails.
 */
export function buildGoReader(root: string, goroot: string, outDir: string): GoReader {
  const version = goVersion(goroot);
  if (version === null) throw new Error(`no working Go toolchain at ${goroot}`);
  const source = readFileSync(join(root, 'scripts/tracebench/main.go'), 'utf8');
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, `tracebench-${version}`);
  const stamp = `${bin}.src`;
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === source) {
    return { bin, version, how: `internal/trace of ${version}, built in its GOROOT (cached)` };
  }
  let tree = goroot;
  let how = `internal/trace of ${version}, built in ${goroot}/src/cmd`;
  if (!writable(join(goroot, 'src/cmd'))) {
    tree = join(outDir, `goroot-${version}`);
    if (!existsSync(join(tree, 'bin/go'))) cpSync(goroot, tree, { recursive: true });
    how = `internal/trace of ${version}, built in a copy of its GOROOT (${tree})`;
  }
  const dir = join(tree, 'src/cmd/tracebench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.go'), source);
  const r = spawnSync(join(tree, 'bin/go'), ['build', '-o', bin, './tracebench'], {
    cwd: join(tree, 'src/cmd'),
    encoding: 'utf8',
    env: {
      ...process.env,
      GOROOT: tree,
      GOFLAGS: '-mod=vendor',
      GOTOOLCHAIN: 'local',
      GOPROXY: 'off',
      GOCACHE: process.env.GOCACHE ?? join(outDir, 'gocache'),
    },
  });
  if (r.status !== 0 || !existsSync(bin)) {
    throw new Error(`building Go's bare reader failed:\n${r.stdout}${r.stderr}`);
  }
  writeFileSync(stamp, source);
  return { bin, version, how };
}

/** The newest toolchain under TOOLCHAINS (or $GOROOT_BENCH), or null. */
export function newestGoroot(): string | null {
  if (process.env.GOROOT_BENCH) return process.env.GOROOT_BENCH;
  for (const v of ['1.27', '1.26']) {
    const g = join(TOOLCHAINS, `go-${v}`);
    if (existsSync(join(g, 'bin/go')) && statSync(join(g, 'src/internal/trace')).isDirectory()) {
      return g;
    }
  }
  return null;
}
