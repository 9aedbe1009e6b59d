// The bundled example: public/examples/go1.27 (one run recorded three ways), listed by index.json.
// Its files are opened by URL like any hosted file, so "Share" on the example gives a `?url=`
// link that reopens it (the files are served with the app).

export const EXAMPLE_DIR = 'examples/go1.27/';

export async function exampleFiles(
  base = import.meta.env.BASE_URL,
): Promise<Array<{ name: string; url: string }>> {
  const dir = new URL(EXAMPLE_DIR, new URL(base, window.location.href));
  const index = await fetch(new URL('index.json', dir));
  if (!index.ok) throw new Error(`could not load the example list (HTTP ${index.status})`);
  const names = (await index.json()) as unknown;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
    throw new Error('the example list is malformed');
  return names.map((name: string) => ({ name, url: new URL(encodeURIComponent(name), dir).href }));
}
