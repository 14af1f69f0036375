import { describe, expect, it } from 'vitest';
import { checkImagesExist, distinctImages, formatPairsFile, imagePath, parsePairsFile, PairsFileError } from '../tools/pairs.js';

describe('LFW pairs-file parsing', () => {
  it('parses a one-set file: N same-person lines then N different-person lines, tabs or spaces', () => {
    const pairs = parsePairsFile('2\nAaron_Peirsol\t1\t2\nAaron_Peirsol 3 4\nAbdel_Madi_Shabneh\t1\tDean_Barker\t1\nAbdel_Madi_Shabneh 1  Giancarlo_Fisichella 1\n\n');
    expect(pairs).toHaveLength(4);
    expect(pairs[0]).toEqual({ a: { name: 'Aaron_Peirsol', index: 1 }, b: { name: 'Aaron_Peirsol', index: 2 }, same: true, fold: 0, line: 2 });
    expect(pairs[3]).toMatchObject({ a: { name: 'Abdel_Madi_Shabneh', index: 1 }, b: { name: 'Giancarlo_Fisichella', index: 1 }, same: false, line: 5 });
  });

  it('parses the "SETS N" header into folds', () => {
    const text = '2\t1\nA 1 2\nA 1 B 1\nC 1 3\nC 2 D 4\n';
    const pairs = parsePairsFile(text);
    expect(pairs.map((p) => [p.fold, p.same])).toEqual([[0, true], [0, false], [1, true], [1, false]]);
  });

  it('round-trips through formatPairsFile', () => {
    const text = formatPairsFile([[{ name: 'x', index: 1 }, { name: 'x', index: 2 }]], [[{ name: 'x', index: 1 }, { name: 'y', index: 1 }]]);
    expect(parsePairsFile(text).map((p) => p.same)).toEqual([true, false]);
  });

  it.each([
    ['', /empty file/],
    ['abc\n', /line 1: pair count must be a positive integer/],
    ['1 2 3\n', /line 1: header must be/],
    ['2\nA 1 2\nA 1 B 1\n', /announces 4 pair lines .* file has 2/],
    ['1\nA 1\nA 1 B 1\n', /line 2: same-person line needs "name n1 n2" \(3 fields\), got 2/],
    ['1\nA 1 2\nA 1 B\n', /line 3: different-person line needs "name1 n1 name2 n2" \(4 fields\), got 3/],
    ['1\nA 1 x\nA 1 B 1\n', /line 2: image number must be a positive integer, got "x"/],
    ['1\nA 0 2\nA 1 B 1\n', /line 2: image number must be >= 1/],
    ['1\nA 1 2\nA 1 A 2\n', /line 3: different-person line names the same person twice/],
    ['1\nA 1 2\n\nA 1 B 1\n', /announces 2 pair lines/],
  ])('rejects malformed input %j with a clear error', (text, message) => {
    expect(() => parsePairsFile(text)).toThrow(PairsFileError);
    expect(() => parsePairsFile(text)).toThrow(message);
  });

  it('maps refs to DIR/name/name_000n.jpg and lists missing images', () => {
    expect(imagePath('/d', { name: 'Aaron_Peirsol', index: 3 })).toBe('/d/Aaron_Peirsol/Aaron_Peirsol_0003.jpg');
    const pairs = parsePairsFile('1\nA 1 2\nA 1 B 12\n');
    expect(distinctImages('/d', pairs)).toEqual(['/d/A/A_0001.jpg', '/d/A/A_0002.jpg', '/d/B/B_0012.jpg']);
    expect(() => checkImagesExist('/d', pairs, (p) => p !== '/d/B/B_0012.jpg')).toThrow(/1 image\(s\) named by the pairs file are missing under \/d:\n {2}\/d\/B\/B_0012.jpg/);
    expect(() => checkImagesExist('/d', pairs, () => true)).not.toThrow();
  });
});
