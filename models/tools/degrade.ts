// Degrades a photo like the photo chip of a 2nd-generation resident ID card: a head-and-shoulders
// crop around the face, 102x126 pixels, soft (slight blur) and heavily compressed (JPEG q~55).
import sharp from 'sharp';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface IdPhotoStyle {
  width: number;
  height: number;
  jpegQuality: number;
  blurSigma: number;
  /** Crop height as a multiple of the face box height. */
  heightPerFace: number;
}

export const ID_CARD_PHOTO: IdPhotoStyle = { width: 102, height: 126, jpegQuality: 55, blurSigma: 0.6, heightPerFace: 1.9 };

/**
 * Crop rectangle with the ID photo's aspect ratio around a face box (x, y, w, h in image pixels),
 * slightly below the box centre (ID photos show the shoulders), shrunk and shifted to stay in
 * the image. Integer pixels, at least 1x1.
 */
export function idPhotoCrop(box: { x: number; y: number; w: number; h: number }, imageW: number, imageH: number, style: IdPhotoStyle = ID_CARD_PHOTO): Rect {
  const aspect = style.width / style.height;
  let h = box.h * style.heightPerFace;
  let w = h * aspect;
  // Fit inside the image keeping the aspect ratio.
  const fit = Math.min(1, imageW / w, imageH / h);
  w *= fit;
  h *= fit;
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h * 0.55;
  let left = cx - w / 2, top = cy - h / 2;
  left = Math.min(Math.max(0, left), imageW - w);
  top = Math.min(Math.max(0, top), imageH - h);
  const L = Math.max(0, Math.round(left)), T = Math.max(0, Math.round(top));
  return {
    left: L,
    top: T,
    width: Math.max(1, Math.min(imageW - L, Math.round(w))),
    height: Math.max(1, Math.min(imageH - T, Math.round(h))),
  };
}

/** A face box found in a frame of size `frame`, in the pixels of an image of size W x H (same picture, rescaled). */
export function boxInImage(box: { x: number; y: number; w: number; h: number }, frame: { width: number; height: number }, W: number, H: number): { x: number; y: number; w: number; h: number } {
  const sx = W / frame.width, sy = H / frame.height;
  return { x: box.x * sx, y: box.y * sy, w: box.w * sx, h: box.h * sy };
}

/**
 * Encoded image + face box in, ID-card-style JPEG bytes out. `frame` is the size of the image
 * the box was found in when that was a rescaled copy (the engine shrinks inputs over 1280 px);
 * without it the box is taken to be in the file's own pixels.
 */
export async function degradeToIdPhoto(
  bytes: Uint8Array,
  box: { x: number; y: number; w: number; h: number },
  style: IdPhotoStyle = ID_CARD_PHOTO,
  frame?: { width: number; height: number },
): Promise<Buffer> {
  const img = sharp(bytes).rotate();
  const meta = await img.metadata();
  const W = meta.autoOrient?.width ?? meta.width;
  const H = meta.autoOrient?.height ?? meta.height;
  if (!W || !H) throw new Error('image without dimensions');
  const rect = idPhotoCrop(frame ? boxInImage(box, frame, W, H) : box, W, H, style);
  let p = sharp(bytes).rotate().extract(rect).resize(style.width, style.height, { fit: 'fill' });
  if (style.blurSigma >= 0.3) p = p.blur(style.blurSigma);
  return p.jpeg({ quality: style.jpegQuality, chromaSubsampling: '4:2:0' }).toBuffer();
}
