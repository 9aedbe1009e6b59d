import { describe, expect, it } from 'vitest';
import { CSV_EOL, csvNumber, csvRecord, csvText } from './csv';

describe('CSV fields', () => {
  it('quotes commas, double quotes, CR and LF (RFC 4180)', () => {
    expect(csvText('main.f')).toBe('main.f');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('line\nbreak')).toBe('"line\nbreak"');
    expect(csvText('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvText('')).toBe('');
    expect(CSV_EOL).toBe('\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('+1')).toBe("'+1");
    expect(csvText('-1')).toBe("'-1");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\t=1')).toBe("'\t=1");
    expect(csvText('\r=1')).toBe('"\'\r=1"');
    expect(csvText('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvText('main.(*T).f-1')).toBe('main.(*T).f-1');
  });

  it('writes our own numbers as numbers', () => {
    expect(csvNumber(-5)).toBe('-5');
    expect(csvNumber(NaN)).toBe('');
    expect(csvRecord(['1', csvText('a,b'), csvNumber(-2)])).toBe('1,"a,b",-2');
  });
});
