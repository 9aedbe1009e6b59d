// The bundled example: public/examples/go1.27 (one run recorded three ways), listed by index.json.

export const EXAMPLE_DIR = 'examples/go1.27/';

export async function fetchExample(
  base = import.meta.env.BASE_URL,
): Promise<Array<{ name: string; blob: Blob }>> {
  const dir = new URL(EXAMPLE_DIR, new URL(base, window.location.href));
  const index = await fetch(new URL('index.json', dir));
  if (!index.ok) throw new Error(`could not load the example list (HTTP ${index.status})`);
  const names = (await index.json()) as unknown;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
    throw new Error('the example list is malformed');
  return Promise.all(
    names.map(async (name: string) => {
      const r = await fetch(new URL(encodeURIComponent(name), dir));
      if (!r.ok) throw new Error(`could not load example file ${name} (HTTP ${r.status})`);
      return { name, blob: await r.blob() };
    }),
  );
}
