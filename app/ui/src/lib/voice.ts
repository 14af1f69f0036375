// Announcement through the browser's speech synthesis (optional per lane). The core's own
// voice driver (espeak-ng / a voice module) is separate; this is the screen's voice.
export function voiceAvailable(): boolean {
  return (
    typeof window !== 'undefined' &&
    'speechSynthesis' in window &&
    typeof SpeechSynthesisUtterance !== 'undefined'
  );
}

export function speak(text: string, lang: string): void {
  if (!voiceAvailable()) return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = lang;
  u.rate = 1;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(u);
}
