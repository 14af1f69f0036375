// Rebuilds the labelled evaluation photo sets (issue 12) from snapshots of public repositories
// (bare git directories, e.g. /work/.mirror/<owner>+<name>/repo as the fetch tool leaves them).
//   npx tsx models/tools/eval-data/build-eval-data.ts --mirror /work/.mirror --out /tmp/face-eval
// Writes (nothing of it is committed):
//   OUT/lfw/<name>/<name>_000N.jpg + OUT/lfw-pairs.txt   Labeled Faces in the Wild, standard pairs
//   OUT/small/<person>/<person>_000N.<ext>               31 people from face-recognition libraries' test/example photos
//   OUT/SOURCES.json                                     repositories, commits, licences, file count and digest per set
// The digest (SHA-256 over the sorted "path sha256" lines) is compared with the recorded one,
// so a rebuild proves it produced the same bytes the README's figures were measured on.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEEPFACE_PEOPLE, DLIB_JOHNS, FACE_API_PEOPLE, FACE_RECOGNITION_PEOPLE, SOURCES, type RepoSource } from './sources.js';

/** Digests of the sets as measured for models/README.md (null: not recorded yet). */
export const EXPECTED_DIGESTS: Record<'lfw' | 'small', string | null> = {
  lfw: '2280dac494e9859fc7f0f49e84a46db55834213eba180c5963ba8acfa5399aab',
  small: 'f8e00c0fd4aaf83fcdf02434e14f1c8e16ecc4d9bea5a53d5879dd62c4d889f8',
};

function gitDir(mirror: string, s: RepoSource): string {
  return join(mirror, s.repository.replace('/', '+'), 'repo');
}

function show(mirror: string, s: RepoSource, path: string): Buffer {
  return execFileSync('git', ['--git-dir', gitDir(mirror, s), 'show', `${s.commit}:${path}`], { maxBuffer: 64 * 1024 * 1024 });
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

export function digestOf(root: string): { files: number; digest: string } {
  const lines = listFiles(root).map((p) => `${relative(root, p)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
  return { files: lines.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

function put(root: string, person: string, n: number, bytes: Buffer, ext: string): void {
  const dir = join(root, person);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${person}_${String(n).padStart(4, '0')}${ext}`), bytes);
}

function buildLfw(mirror: string, out: string): void {
  const dir = join(out, 'lfw');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The snapshot lacks some large files elsewhere in that commit; git says so on stderr but
  // archives the path asked for (the file count and digest are checked afterwards).
  const tar = execFileSync('git', ['--git-dir', gitDir(mirror, SOURCES.lfw), 'archive', '--format=tar', SOURCES.lfw.commit, 'test_comp_models/lfw'], { maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  execFileSync('tar', ['-x', '-C', dir, '--strip-components=2'], { input: tar });
  writeFileSync(join(out, 'lfw-pairs.txt'), show(mirror, SOURCES.lfwPairs, 'data/pairs.txt'));
}

function buildSmall(mirror: string, out: string): void {
  const dir = join(out, 'small');
  rmSync(dir, { recursive: true, force: true });
  DEEPFACE_PEOPLE.forEach((imgs, k) => {
    const person = `deepface_${String(k + 1).padStart(2, '0')}`;
    imgs.forEach((i, n) => put(dir, person, n + 1, show(mirror, SOURCES.deepface, `tests/unit/dataset/img${i}.jpg`), '.jpg'));
  });
  for (const name of FACE_API_PEOPLE) {
    for (let n = 1; n <= 5; n++) put(dir, `faceapi_${name}`, n, show(mirror, SOURCES.faceApi, `examples/images/${name}/${name}${n}.png`), '.png');
  }
  for (const [name, paths] of Object.entries(FACE_RECOGNITION_PEOPLE)) {
    paths.forEach((p, n) => put(dir, `facerec_${name}`, n + 1, show(mirror, SOURCES.faceRecognition, p), extname(p)));
  }
  for (const name of DLIB_JOHNS) {
    const listing = execFileSync('git', ['--git-dir', gitDir(mirror, SOURCES.dlibJohns), 'ls-tree', '--name-only', SOURCES.dlibJohns.commit, `examples/johns/${name}/`], { encoding: 'utf8' });
    listing.trim().split('\n').filter((p) => p.endsWith('.jpg')).sort().forEach((p, n) => put(dir, `dlib_${name}`, n + 1, show(mirror, SOURCES.dlibJohns, p), '.jpg'));
  }
}

function main(): void {
  const { values } = parseArgs({ options: { mirror: { type: 'string' }, out: { type: 'string' }, only: { type: 'string' } }, strict: true });
  if (!values.mirror || !values.out) {
    console.error('usage: build-eval-data --mirror DIR --out DIR [--only lfw|small]');
    process.exitCode = 2;
    return;
  }
  mkdirSync(values.out, { recursive: true });
  const report: Record<string, unknown> = { sources: SOURCES };
  for (const set of ['lfw', 'small'] as const) {
    if (values.only && values.only !== set) continue;
    if (set === 'lfw') buildLfw(values.mirror, values.out);
    else buildSmall(values.mirror, values.out);
    const d = digestOf(join(values.out, set));
    const expected = EXPECTED_DIGESTS[set];
    const verdict = expected === null ? 'no recorded digest' : expected === d.digest ? 'same bytes as measured' : `DIFFERENT from the measured set (${expected})`;
    console.log(`${set}: ${d.files} files, digest ${d.digest} (${verdict})`);
    report[set] = d;
    if (expected !== null && expected !== d.digest) process.exitCode = 1;
  }
  writeFileSync(join(values.out, 'SOURCES.json'), JSON.stringify(report, null, 2));
}

main();
