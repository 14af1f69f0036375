// Reason codes of the face engine, each with a zh-CN message first and English second.
// Every rejection, refusal or bad input carries one of these; nothing here throws.

import type { Bilingual } from '../domain/bilingual.js';

export const FACE_REASONS = {
  'input.undecodable': { zh: '图像无法解码', en: 'Image cannot be decoded' },
  'input.too_small': { zh: '图像尺寸过小', en: 'Image is too small' },
  'input.too_large': { zh: '图像尺寸过大', en: 'Image is too large' },
  'face.none': { zh: '未检测到人脸', en: 'No face detected' },
  'face.multiple': { zh: '检测到多张人脸，已选取最大且居中者', en: 'Several faces; the largest centred one was used' },
  'face.cut_by_edge': { zh: '人脸超出画面边缘', en: 'Face is cut by the image edge' },
  'quality.too_small': { zh: '人脸过小，请靠近', en: 'Face too small; come closer' },
  'quality.yaw': { zh: '请正对镜头（左右偏转过大）', en: 'Face turned sideways too far' },
  'quality.pitch': { zh: '请正对镜头（抬头/低头过大）', en: 'Head tilted up or down too far' },
  'quality.roll': { zh: '请摆正头部（歪头过大）', en: 'Head rolled too far' },
  'quality.blur': { zh: '图像模糊', en: 'Image is blurred' },
  'quality.too_dark': { zh: '光线过暗', en: 'Face too dark' },
  'quality.too_bright': { zh: '光线过强', en: 'Face too bright' },
  'quality.eyes_closed': { zh: '请睁眼', en: 'Eyes closed' },
  'quality.occluded': { zh: '面部有遮挡', en: 'Face is occluded' },
  'liveness.cnn': { zh: '活体检测未通过（疑似假体）', en: 'Anti-spoof model says spoof' },
  'liveness.planar_motion': { zh: '照片/屏幕翻拍', en: 'Photo or screen replay (planar motion)' },
  'liveness.no_blink': { zh: '未检测到眨眼', en: 'No blink seen' },
  'liveness.screen_cue': { zh: '疑似屏幕翻拍（摩尔纹/频谱异常）', en: 'Screen replay cue (moire)' },
  'liveness.insufficient_frames': { zh: '活体检测帧数不足', en: 'Too few frames for liveness' },
  'liveness.challenge_failed': { zh: '动作与提示不符，请重新采集', en: 'The action did not follow the prompt; capture again' },
  'liveness.challenge_timeout': { zh: '未在规定时间内完成提示动作，请重新采集', en: 'The prompted actions were not done in time; capture again' },
  'match.none': { zh: '未登记或比对未通过', en: 'Not enrolled or no match' },
  'match.ambiguous': { zh: '比对结果不唯一', en: 'Ambiguous match (best and second too close)' },
  'match.id_photo_mismatch': { zh: '人证比对未通过', en: 'Live face does not match the ID photo' },
  'engine.models_unavailable': { zh: '人脸模型不可用，闸机停止', en: 'Face models unavailable; gate stopped' },
} as const satisfies Record<string, Bilingual>;

export type FaceReasonCode = keyof typeof FACE_REASONS;

export interface FaceReason {
  code: FaceReasonCode;
  message: Bilingual;
  /** Measured value and limit where the reason comes from a threshold. */
  value?: number;
  limit?: number;
}

export function reason(code: FaceReasonCode, value?: number, limit?: number): FaceReason {
  const r: FaceReason = { code, message: FACE_REASONS[code] };
  if (value !== undefined) r.value = value;
  if (limit !== undefined) r.limit = limit;
  return r;
}
