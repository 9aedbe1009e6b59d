// Go execution traces start with a 16-byte header: "go 1.N trace" padded with NUL bytes
// (Go src/internal/trace/version/version.go, go1.26: headerFmt = "go 1.%d trace\x00\x00\x00").

const HEADER = /^go 1\.(\d{1,3}) trace\0*$/;

/** The minor version N of a `go 1.N trace` header, or null when the bytes are not a Go trace. */
export function sniffGoTrace(bytes: Uint8Array): number | null {
  if (bytes.length < 16) {
    // A cut header still names the format when what is there matches.
    const head = latin1(bytes.subarray(0, bytes.length));
    return /^go 1\.\d{1,3} tr/.test(head) ? Number(/^go 1\.(\d+)/.exec(head)?.[1]) : null;
  }
  const m = HEADER.exec(latin1(bytes.subarray(0, 16)));
  return m ? Number(m[1]) : null;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i] as number);
  return s;
}
