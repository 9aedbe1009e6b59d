import { describe, expect, it } from 'vitest';
import { linkFiles, linkSearch, MAX_LINK_URLS } from './urlSync';

const BASE = 'https://example.org/goroscope/?x=1';
const search = (...urls: string[]) =>
  `?${urls.map((u) => `url=${encodeURIComponent(u)}`).join('&')}`;

describe('?url= links', () => {
  it('parses each URL on its own: a malformed one gets a message, the others open', () => {
    expect(
      linkFiles(search('http://[::1', 'trace.out', 'https://h.example/a/b%20c.pprof'), BASE),
    ).toEqual([
      { name: 'http://[::1', error: '"http://[::1" is not a valid URL, so it was not opened' },
      { name: 'trace.out', url: 'https://example.org/goroscope/trace.out' },
      { name: 'b c.pprof', url: 'https://h.example/a/b%20c.pprof' },
    ]);
  });

  it('refuses schemes other than http and https, saying why (not CORS advice)', () => {
    const files = linkFiles(
      search(
        'javascript:alert(1)',
        'file:///home/me/trace.out',
        'data:text/plain,x',
        'ftp://h/x',
        'blob:https://e/1',
      ),
      BASE,
    );
    expect(files.map((f) => ('error' in f ? f.error : f.url))).toEqual([
      '"javascript:alert(1)" was not opened: a javascript: URL is not a hosted file, and links never run or embed content',
      '"file:///home/me/trace.out" was not opened: a file: URL names a file on your own disk, which a web page may not read: drop the file on the page instead',
      '"data:text/plain,x" was not opened: a data: URL is not a hosted file, and links never run or embed content',
      '"ftp://h/x" was not opened: only http: and https: URLs are fetched',
      '"blob:https://e/1" was not opened: a blob: URL is not a hosted file, and links never run or embed content',
    ]);
    for (const f of files) expect('error' in f && f.error).not.toMatch(/CORS|Access-Control/);
  });

  it('refuses credentials, overlong URLs and more files than a link may open', () => {
    const [cred] = linkFiles(search('https://user:pw@h.example/t.out'), BASE);
    expect(cred).toMatchObject({
      name: 't.out',
      error: expect.stringMatching(/user name or password/),
    });
    const [long] = linkFiles(search(`https://h.example/${'a'.repeat(9000)}`), BASE);
    expect(long).toMatchObject({ error: expect.stringMatching(/at most 8192/) });
    const many = linkFiles(search(...Array.from({ length: 150 }, (_, i) => `f${i}.log`)), BASE);
    expect(many).toHaveLength(MAX_LINK_URLS + 1);
    expect(many.at(-1)).toEqual({
      name: '50 more links',
      error:
        'this link names 150 files; at most 100 are opened from one link, the rest were left out',
    });
  });

  it('keeps a name with a stray % and ignores empty parameters', () => {
    expect(linkFiles('?url=a%25zz.log&url=&url=%20', BASE)).toEqual([
      { name: 'a%zz.log', url: 'https://example.org/goroscope/a%zz.log' },
    ]);
  });
});

describe('links to the session files', () => {
  const page = 'https://example.org/goroscope/?theme=x#v=1,2';
  it('names hosted files relative to the page, in session order, and keeps other parameters', () => {
    expect(
      linkSearch(
        [
          { url: 'https://example.org/goroscope/examples/go1.27/trace.out' },
          { url: null },
          { url: 'https://example.org/other/cpu.pprof' },
          { url: 'https://h.example/a/b%20c.pprof' },
        ],
        page,
      ),
    ).toBe(
      '?theme=x&url=examples%2Fgo1.27%2Ftrace.out&url=%2Fother%2Fcpu.pprof&url=https%3A%2F%2Fh.example%2Fa%2Fb%2520c.pprof',
    );
  });
  it('reopens the same files: linkFiles reads back what linkSearch wrote', () => {
    const urls = [
      'https://example.org/goroscope/examples/go1.27/dlv-trace.log',
      'https://h.example/a/b%20c.pprof',
    ];
    const search = linkSearch(
      urls.map((url) => ({ url })),
      page,
    );
    expect(linkFiles(search, page).map((f) => ('url' in f ? f.url : f.error))).toEqual(urls);
  });
  it('has no ?url= when every file is local', () => {
    expect(linkSearch([{ url: null }], 'https://example.org/g/')).toBe('');
  });
});
