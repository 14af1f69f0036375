// Why a camera stream stopped, in plain words (zh first), from what ffmpeg printed. Pure.
import type { Bilingual } from '../../../edge-core/src/ports/devices.js';

export type CameraFailureCode =
  | 'no_ffmpeg'
  | 'unauthorized'
  | 'refused'
  | 'not_found'
  | 'timeout'
  | 'unreachable'
  | 'busy'
  | 'undecodable'
  | 'stalled'
  | 'ended'
  | 'failed';

const WORDS: Record<CameraFailureCode, Bilingual> = {
  no_ffmpeg: { zh: '未安装 ffmpeg，无法读取摄像头', en: 'ffmpeg is not installed: the camera cannot be read' },
  unauthorized: { zh: '摄像头用户名或密码错误', en: 'The camera refused the user name or password' },
  refused: { zh: '摄像头拒绝连接（地址或端口不对，或摄像头未开机）', en: 'The camera refused the connection (wrong address or port, or the camera is off)' },
  not_found: { zh: '找不到摄像头或视频流地址', en: 'Camera or stream address not found' },
  timeout: { zh: '摄像头无响应（网络不通或摄像头断电）', en: 'The camera does not answer (network down or camera without power)' },
  unreachable: { zh: '网络不通，无法连接摄像头', en: 'The network cannot reach the camera' },
  busy: { zh: '摄像头被其他程序占用', en: 'The camera is in use by another program' },
  undecodable: { zh: '摄像头视频格式无法解码', en: 'The camera video cannot be decoded' },
  stalled: { zh: '摄像头画面停止', en: 'The camera picture stopped' },
  ended: { zh: '视频已播放完', en: 'The video ended' },
  failed: { zh: '摄像头视频流中断', en: 'The camera stream stopped' },
};

/** Classifies ffmpeg's error output (or a spawn error) into a failure code. */
export function classifyCameraFailure(text: string): CameraFailureCode {
  const t = text.toLowerCase();
  if (/spawn .*enoent|ffmpeg: not found/.test(t)) return 'no_ffmpeg';
  if (/401|unauthorized|authorization failed|403 forbidden/.test(t)) return 'unauthorized';
  if (/connection refused/.test(t)) return 'refused';
  if (/404|not found|no such file or directory|does not exist/.test(t)) return 'not_found';
  if (/timed out|timeout/.test(t)) return 'timeout';
  if (/no route to host|network is unreachable|host is unreachable|name or service not known|temporary failure in name resolution/.test(t)) return 'unreachable';
  if (/device or resource busy/.test(t)) return 'busy';
  if (/invalid data found|could not find codec|decoder .* not found|unsupported codec|error while decoding/.test(t)) return 'undecodable';
  return 'failed';
}

/** The health reason shown for a stopped stream, with the retry delay. */
export function cameraFailureText(code: CameraFailureCode, retryMs: number | null, detail = ''): Bilingual {
  const w = WORDS[code];
  const s = retryMs === null ? null : Math.max(1, Math.round(retryMs / 1000));
  const en = detail ? `${w.en} (${detail.slice(0, 160)})` : w.en;
  return s === null ? { zh: w.zh, en } : { zh: `${w.zh}，${s} 秒后重连`, en: `${en}; reconnecting in ${s} s` };
}
