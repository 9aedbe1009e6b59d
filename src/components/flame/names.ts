/** A function name cut to fit a breadcrumb or a heading (the end is the part that tells). */
export function shortName(name: string): string {
  return name.length > 60 ? `…${name.slice(-59)}` : name;
}
