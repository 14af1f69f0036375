// The command lines of the two offline voices, as pure functions: espeak-ng with its Mandarin
// pinyin voice (Linux; `cmn` reads tone numbers as English words, `cmn-latn-pinyin` speaks the
// tones), and Windows' own SAPI voices through PowerShell's System.Speech (espeak-ng is not on
// Windows). The text goes to SAPI on stdin, never through a command line, so nothing in a name
// can break out of the script.

export type SpeechEngine = 'espeak' | 'sapi';

export const DEFAULT_ESPEAK_VOICE = 'cmn-latn-pinyin';

/**
 * Text as it should be heard: symbols a voice would read aloud ("slash", "underscore") become
 * pauses, runs of pauses collapse, control characters go. Chinese punctuation is kept (pauses).
 */
export function speakable(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are removed
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/[/\\|_#*~<>@&^=+`"[\]{}()（）【】《》]/g, '，')
      .replace(/\s*[，,]\s*([，,]\s*)+/g, '，')
      .replace(/\s+/g, ' ')
      .replace(/^[，,\s]+|[，,\s]+$/g, '')
  );
}

export function espeakArgs(text: string, o: { voice?: string; speed?: number; wavPath?: string }): string[] {
  const args = ['-v', o.voice ?? DEFAULT_ESPEAK_VOICE, '-s', String(o.speed ?? 170)];
  if (o.wavPath) args.push('-w', o.wavPath);
  return [...args, '--', text];
}

/**
 * espeak-ng exits 0 when it could not open the sound device; it only says so on stderr
 * (ALSA/PulseAudio errors). That is a fault: the gate is silent.
 */
export function noAudioDevice(stderr: string): boolean {
  return /cannot find card|unknown pcm|audio open error|no such file or directory|connection refused|pa_simple|alsa lib/i.test(stderr);
}

/** speed (espeak words per minute, 80–450) → SAPI rate (−10…10, 0 ≈ 180 wpm). */
export function sapiRate(speed: number): number {
  return Math.max(-10, Math.min(10, Math.round((speed - 180) / 20)));
}

/** PowerShell invocation that speaks (or writes a WAV of) the UTF-8 text it reads on stdin. */
export function sapiCommand(o: { speed?: number; wavPath?: string; culture?: string }): { command: string; args: string[] } {
  const culture = (o.culture ?? 'zh-CN').replace(/[^A-Za-z-]/g, '');
  const wav = o.wavPath ? `$s.SetOutputToWaveFile('${o.wavPath.replace(/'/g, "''")}');` : '$s.SetOutputToDefaultAudioDevice();';
  const script = [
    '$ErrorActionPreference = "Stop";',
    '[Console]::InputEncoding = [Text.Encoding]::UTF8;',
    'Add-Type -AssemblyName System.Speech;',
    '$s = New-Object System.Speech.Synthesis.SpeechSynthesizer;',
    `$v = $s.GetInstalledVoices() | Where-Object { $_.Enabled -and $_.VoiceInfo.Culture.Name -eq '${culture}' } | Select-Object -First 1;`,
    `if (-not $v) { Write-Error 'no ${culture} voice installed'; exit 3 }`,
    '$s.SelectVoice($v.VoiceInfo.Name);',
    `$s.Rate = ${sapiRate(o.speed ?? 170)};`,
    wav,
    '$s.Speak([Console]::In.ReadToEnd());',
    '$s.Dispose();',
  ].join(' ');
  return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script] };
}
