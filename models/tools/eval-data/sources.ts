// Public sources of the labelled evaluation photos (issue 12). Nothing here is committed as an
// image: build-eval-data.ts extracts the photos from snapshots of these repositories (git
// directories fetched from the public GitHub archive) at the commits named, so every rebuild
// gives the same bytes (checked against `digest`).
//
// Licences: the repositories' code licences are named; the photos themselves are mostly of
// public figures taken from the web, with no licence of their own stated. They are used for
// measurement only, never shipped, never committed.

export interface RepoSource {
  /** owner/name on GitHub. */
  repository: string;
  commit: string;
  licence: string;
  licenceStatedIn: string;
  what: string;
}

export const SOURCES = {
  lfw: {
    repository: 'exadel-inc/CompreFace',
    commit: 'd59f1e301e616419d4a9cd8b285385f14a87fb06',
    licence: 'repository Apache-2.0; the photos are Labeled Faces in the Wild (University of Massachusetts, Amherst): news photos collected from the web, distributed for research, no licence for the photos themselves',
    licenceStatedIn: 'LICENSE of exadel-inc/CompreFace; LFW web page',
    what: 'test_comp_models/lfw/: all 13,233 LFW images (5,749 people, 250x250, original not aligned), as committed for a model comparison',
  },
  lfwPairs: {
    repository: 'davidsandberg/facenet',
    commit: '096ed770f163957c1e56efa7feeb194773920f6e',
    licence: 'MIT (repository); the pairs list is LFW\'s standard View 2 pairs.txt',
    licenceStatedIn: 'LICENSE.md of davidsandberg/facenet',
    what: 'data/pairs.txt: 10 folds x (300 same + 300 different) pairs',
  },
  deepface: {
    repository: 'serengil/deepface',
    commit: '243209fd7b46ecdecf72665cc25219f6e8181f25',
    licence: 'MIT (repository); photos of public figures from the web',
    licenceStatedIn: 'LICENSE of serengil/deepface',
    what: 'tests/unit/dataset/img*.jpg: 61 photos of 13 people; identities from the Yes pairs of master.csv and face-recognition-pivot.csv',
  },
  faceApi: {
    repository: 'justadudewhohacks/face-api.js',
    commit: 'a86f011d72124e5fb93e59d5c4ab98f699dd5c9c',
    licence: 'MIT (repository); TV stills',
    licenceStatedIn: 'LICENSE of justadudewhohacks/face-api.js',
    what: 'examples/images/<name>/<name>1-5.png: 8 people x 5 small face crops',
  },
  faceRecognition: {
    repository: 'ageitgey/face_recognition',
    commit: '2e2dccea9dd0ce730c8d464d0f67c6eebb40c9d1',
    licence: 'MIT (repository); photos of public figures',
    licenceStatedIn: 'LICENSE of ageitgey/face_recognition',
    what: 'examples/knn_examples and tests/test_images: 5 people, 2-4 photos each',
  },
  dlibJohns: {
    repository: 'davisking/dlib',
    commit: '3d40bf5790ca9073c160cebb898800d9f33e12ab',
    licence: 'Boost Software License 1.0 (repository); photos of public figures',
    licenceStatedIn: 'LICENSE.txt of davisking/dlib',
    what: 'examples/johns/<name>/*.jpg: 5 people x 11 photos',
  },
} as const satisfies Record<string, RepoSource>;

/** deepface identities (13 people, 61 images), from the repository's labelled pair lists. */
export const DEEPFACE_PEOPLE: readonly (readonly number[])[] = [
  [1, 2, 4, 5, 6, 7, 10, 11],
  [26, 27, 28, 42, 43, 44, 45, 46],
  [8, 9, 47, 48, 49, 50, 51],
  [3, 12, 53, 54, 55, 56],
  [16, 17, 59, 61, 62],
  [13, 14, 15, 57, 58],
  [29, 30, 31, 32, 33],
  [34, 35, 36, 37],
  [38, 39, 40, 41],
  [18, 19, 67],
  [22, 23],
  [24, 25],
  [20, 21],
];

export const FACE_API_PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon', 'stuart'] as const;

/** ageitgey/face_recognition: identity -> paths (distinct files; duplicates by content left out). */
export const FACE_RECOGNITION_PEOPLE: Readonly<Record<string, readonly string[]>> = {
  obama: ['tests/test_images/obama.jpg', 'tests/test_images/obama2.jpg', 'tests/test_images/obama3.jpg', 'examples/knn_examples/test/obama1.jpg'],
  biden: ['tests/test_images/biden.jpg', 'examples/knn_examples/train/biden/biden2.jpg'],
  alex_lacamoire: ['examples/knn_examples/train/alex_lacamoire/img1.jpg', 'examples/knn_examples/test/alex_lacamoire1.jpg'],
  kit_harington: ['examples/knn_examples/train/kit_harington/john1.jpeg', 'examples/knn_examples/train/kit_harington/john2.jpeg', 'examples/knn_examples/test/johnsnow_test1.jpg'],
  rose_leslie: ['examples/knn_examples/train/rose_leslie/img1.jpg', 'examples/knn_examples/train/rose_leslie/img2.jpg'],
};

export const DLIB_JOHNS = ['John_Salley', 'John_Savage', 'John_Schneider', 'John_Shimkus', 'John_Simm'] as const;
