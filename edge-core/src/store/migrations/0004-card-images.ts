// 0004: the ID card's two sides as the clerk photographed them at enrollment (the device
// standard asks for front and back), encrypted like every photo, and where the 1:1 came from.
import type { Migration } from '../migration.js';

export const migration0004: Migration = {
  version: 4,
  name: 'card-images',
  up: `
ALTER TABLE enrollments ADD COLUMN card_portrait_enc BLOB;
ALTER TABLE enrollments ADD COLUMN card_emblem_enc BLOB;
ALTER TABLE enrollments ADD COLUMN id_match_source TEXT;
`,
};
